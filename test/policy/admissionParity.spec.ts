// Every twin against its rule's own cases (policy/rules/<name>/cases.ts): the API
// server's verdict, evaluated here in node, must be the CrossGuard rule's verdict.
// The few cases a twin cannot decide from one object are listed with the reason;
// the same reasons are the README's parity table.

import { strict as assert } from "assert";
import { allTwins } from "../../policy/admission";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { planOf } from "../../policy/testing/fixtures";
import { judge, objectsOf, paramsOf, previewOnlyCases } from "./admissionHarness";
import { casesOf } from "./ruleCases";

describe("admission twins agree with their rules on the rules' own cases", () => {
    for (const twin of allTwins()) {
        const rule = allRules.find((r) => r.name === twin.rule);
        describe(twin.rule, () => {
            it("is the twin of a rule of the pack", () => assert.ok(rule, `no rule named ${twin.rule}`));
            for (const c of casesOf(twin.rule)) {
                const skipped = (previewOnlyCases[twin.rule] ?? []).includes(c.name);
                it(`${skipped ? "(preview-only, admitted at runtime) " : ""}${c.name}`, () => {
                    const packSays = checkPlan(planOf(c), c.config ?? {}, [rule!]).length > 0;
                    const params = paramsOf(c);
                    const refusals = objectsOf(c).flatMap((o) => judge(twin, o, params));
                    for (const m of refusals) assert.ok(m.startsWith(`${twin.rule}: `), `refusal does not start with the rule's name: ${m}`);
                    if (skipped) {
                        assert.equal(packSays, true, "a preview-only case must be one the pack rejects");
                        assert.deepEqual(refusals, [], "the twin was expected to admit this case; drop it from previewOnlyCases");
                        return;
                    }
                    assert.equal(
                        refusals.length > 0,
                        packSays,
                        `pack ${packSays ? "rejects" : "accepts"}, twin ${refusals.length > 0 ? `refuses:\n${refusals.join("\n")}` : "admits"}`,
                    );
                });
            }
        });
    }
});
