// A user's mistake found at run time (the rename guard, preflight) prints as its
// message alone: no trace, no object dump, whichever way the engine shows it.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { userError } from "../../components/userError";

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
});
