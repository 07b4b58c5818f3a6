// Deliberately broken plans (brokenPlans.ts), each one edit away from a shipped stack:
// the whole pack must catch each with the rule meant for it, and with no other rule.

import { strict as assert } from "assert";
import { checkPlan } from "../../policy/lib/check";
import { shippedPlan } from "../helpers/policyPlans";
import { brokenPlans } from "./brokenPlans";

describe("broken plans against the whole pack", function () {
    this.timeout(60000);

    for (const c of brokenPlans) {
        it(`${c.rule}: ${c.behaviour}, and no other rule fires`, async () => {
            const plan = await shippedPlan(c.stack);
            c.edit(plan);
            const found = checkPlan(plan, c.config ?? {});
            const said = found.map((v) => `${v.policy}: ${v.message}`).join("\n") || "(none)";
            assert.deepEqual([...new Set(found.map((v) => v.policy))], [c.rule], said);
            assert.ok(
                found.some((v) => c.expect.test(v.message)),
                `expected a violation matching ${c.expect}, got:\n${said}`,
            );
            assert.ok(found.every((v) => v.enforcementLevel === "mandatory"));
        });
    }

    it("covers at least half of the rules with a single-cause broken plan", () => {
        const covered = new Set(brokenPlans.map((x) => x.rule));
        assert.ok(covered.size >= 9, `only ${covered.size} rules have a single-cause broken plan`);
    });
});
