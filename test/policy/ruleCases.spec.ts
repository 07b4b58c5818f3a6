// Each rule against its own cases (policy/rules/<name>/cases.ts): minimal objects, one
// tweak each, run through the offline checker with that rule alone, so a change to
// the program can never break a rule's test.

import { strict as assert } from "assert";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { planOf } from "../../policy/testing/fixtures";
import { casesOf } from "./ruleCases";

describe("policy rules, each against its own cases", () => {
    for (const rule of allRules) {
        describe(rule.name, () => {
            for (const c of casesOf(rule.name)) {
                it(c.name, () => {
                    const found = checkPlan(planOf(c), c.config ?? {}, [rule]);
                    const said = found.map((v) => v.message).join("\n") || "(none)";
                    if (c.expect === null) {
                        assert.deepEqual(found, [], `expected no violation, got:\n${said}`);
                        return;
                    }
                    assert.ok(
                        found.some((v) => c.expect!.test(v.message)),
                        `expected a violation matching ${c.expect}, got:\n${said}`,
                    );
                    for (const v of found) {
                        assert.equal(v.policy, rule.name, `a violation from another rule: ${v.message}`);
                        assert.equal(v.enforcementLevel, "mandatory");
                    }
                });
            }
        });
    }

    it("names every case of a rule differently, so each title pins one behaviour", () => {
        for (const rule of allRules) {
            const names = casesOf(rule.name).map((c) => c.name);
            assert.deepEqual(
                names.filter((n, i) => names.indexOf(n) !== i),
                [],
                rule.name,
            );
        }
    });
});
