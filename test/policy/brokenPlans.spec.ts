// Deliberately broken plans, each one edit away from a shipped stack: the whole pack
// must catch each with the rule meant for it, and with no other rule.

import { strict as assert } from "assert";
import { checkPlan } from "../../policy/lib/check";
import { shippedPlan } from "../helpers/policyPlans";
import { ruleCases } from "./cases";

describe("broken plans against the whole pack", function () {
    this.timeout(60000);

    for (const c of ruleCases.filter((x) => x.singleCause)) {
        it(`${c.rule}: ${c.behaviour}, and no other rule fires`, async () => {
            const plan = await shippedPlan(c.stack);
            c.edit!(plan);
            const found = checkPlan(plan, c.config ?? {});
            assert.deepEqual([...new Set(found.map((v) => v.policy))], [c.rule], found.map((v) => `${v.policy}: ${v.message}`).join("\n"));
        });
    }

    it("covers at least half of the rules with a single-cause broken plan", () => {
        const covered = new Set(ruleCases.filter((x) => x.singleCause).map((x) => x.rule));
        assert.ok(covered.size >= 9, `only ${covered.size} rules have a single-cause broken plan`);
    });
});
