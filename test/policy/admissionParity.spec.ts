// Every twin against its rule's own cases (policy/rules/<name>/cases.ts): the API
// server's verdict, evaluated here in node, must be the CrossGuard rule's verdict.
// The few cases a twin cannot decide from one object are listed with the reason;
// the same reasons are the parity table in docs/admission.md. Judged twice: by the rule's twins
// alone, and by the policies as registered (policies.ts groups twins), where the
// rule's verdict is the refusals that name it.

import { strict as assert } from "assert";
import { admissionPolicies, allTwins } from "../../policy/admission";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { planOf } from "../../policy/testing/fixtures";
import { judge, objectsOf, paramsOf, previewOnlyCases } from "./admissionHarness";
import { casesOf } from "./ruleCases";

describe("admission twins agree with their rules on the rules' own cases", () => {
    const twins = allTwins();
    const policies = admissionPolicies(twins);
    for (const ruleName of [...new Set(twins.map((t) => t.rule))]) {
        const rule = allRules.find((r) => r.name === ruleName);
        const own = twins.filter((t) => t.rule === ruleName);
        const holding = policies.filter((p) => p.rules.includes(ruleName));
        describe(ruleName, () => {
            it("is the twin of a rule of the pack", () => assert.ok(rule, `no rule named ${ruleName}`));
            for (const c of casesOf(ruleName)) {
                const skipped = (previewOnlyCases[ruleName] ?? []).includes(c.name);
                it(`${skipped ? "(preview-only, admitted at runtime) " : ""}${c.name}`, () => {
                    const packSays = checkPlan(planOf(c), c.config ?? {}, [rule!]).length > 0;
                    const params = paramsOf(c);
                    const req = { username: c.requestedBy };
                    const refusals = objectsOf(c).flatMap((o) => own.flatMap((t) => judge(t, o, params, req)));
                    for (const m of refusals) assert.ok(m.startsWith(`${ruleName}: `), `refusal does not start with the rule's name: ${m}`);
                    // As registered: the same verdict from the policies that hold the rule's checks.
                    const registered = objectsOf(c)
                        .flatMap((o) => holding.flatMap((p) => judge(p, o, params, req)))
                        .filter((m) => m.startsWith(`${ruleName}: `));
                    assert.deepEqual(registered, refusals, "the grouped policies judge the rule as its twins do");
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
