// A user's mistake found at load or run time (the config, the rename guard, preflight)
// prints as its message alone: no trace, no object dump, whichever way the engine shows it.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { userError } from "../../components/userError";
import { pulumiProgram } from "../../components/program";
import { planMocks } from "../../plan/mocks";
import { projectName } from "../../plan/engine";
import { baseTenancy, testSecrets, withPatch } from "../helpers/plan";

describe("user errors at run time", () => {
    it("are RunErrors whose stack and inspected form are the message alone", () => {
        const message = "tenancy.domino.name changed from 'domino' to 'analytics'; set tenancy.dataProtection.renameFrom";
        const error = userError(message);
        assert.ok(pulumi.RunError.isInstance(error));
        assert.equal(error.message, message);
        assert.equal(error.stack, message);
        assert.equal(inspect(error), message);
        assert.equal(inspect({ cause: error }, { depth: 2 }).includes("    at "), false);
    });

    it("a config mistake at load reaches the engine as a user error: the config path and what is allowed, nothing else", async () => {
        const project = projectName();
        await pulumi.runtime.setMocks(planMocks, project, "user-error", false);
        const tenancy = withPatch(baseTenancy("existing"), { nodePools: [{ name: "platform", role: "platform", minSize: "lots" }] });
        pulumi.runtime.setAllConfig({ [`${project}:tenancy`]: JSON.stringify(tenancy), [`${project}:registryPassword`]: testSecrets.registryPassword }, [
            `${project}:registryPassword`,
        ]);
        assert.throws(
            () => pulumiProgram({}, process.cwd()),
            (err: Error) =>
                pulumi.RunError.isInstance(err) &&
                err.message ===
                    'invalid stack configuration (1 problem):\n  - tenancy.nodePools[0].minSize: must be a whole number from 0 to 1000 (got "lots")' &&
                err.stack === err.message &&
                inspect(err) === err.message,
        );
    });
});
