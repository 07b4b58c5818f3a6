// Each rule against its own passing and failing examples (test/policy/cases.ts),
// run alone through the plan checker with engine-shaped arguments.

import { strict as assert } from "assert";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { shippedStacks } from "../../plan/engine";
import { manifest, shippedPlan } from "../helpers/policyPlans";
import { ruleCases } from "./cases";

describe("policy rules", function () {
    this.timeout(60000);

    for (const rule of allRules) {
        describe(rule.name, () => {
            for (const c of ruleCases.filter((x) => x.rule === rule.name)) {
                it(c.behaviour, async () => {
                    const plan = await shippedPlan(c.stack);
                    c.edit?.(plan);
                    const found = checkPlan(plan, c.config ?? {}, [rule]);
                    if (c.violation === null) {
                        assert.deepEqual(found, [], `expected no violation, got:\n${found.map((v) => v.message).join("\n")}`);
                    } else {
                        assert.ok(
                            found.some((v) => c.violation!.test(v.message)),
                            `expected a violation matching ${c.violation}, got:\n${found.map((v) => v.message).join("\n") || "(none)"}`,
                        );
                        assert.ok(found.every((v) => v.policy === rule.name && v.enforcementLevel === "mandatory"));
                    }
                });
            }
        });
    }

    describe("every shipped stack", () => {
        for (const stack of shippedStacks()) {
            it(`${stack}: has zero violations of any rule`, async () => {
                const found = checkPlan(await shippedPlan(stack));
                assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
            });
        }
    });

    describe("the deployment each rule relies on", () => {
        it("reports, per rule that needs it, that the stack declares no tenancy model, rather than passing silently", async () => {
            const plan = await shippedPlan("local");
            plan.resources.splice(plan.resources.findIndex((r) => r.name === "domino-system-tenancy-model"), 1);
            const found = checkPlan(plan);
            const rulesNeedingIt = found.filter((v) => /declares no tenancy model/.test(v.message)).map((v) => v.policy);
            assert.ok(rulesNeedingIt.includes("workloads-land-on-domino-pools"));
            assert.ok(rulesNeedingIt.includes("cluster-scoped-names-prefixed"));
            assert.ok(!rulesNeedingIt.includes("daemonsets-node-scoped"), "rules that judge one object alone still run");
        });

        it("has nothing to judge in a stack without Kubernetes objects or node pools", () => {
            const plan = { resources: [{ urn: "urn:pulumi:s::p::x:y:Z::c", type: "x:y:Z", name: "c", inputs: {} }] };
            assert.deepEqual(checkPlan(plan), []);
        });

        it("refuses a tenancy model of a schema version it does not read", async () => {
            const plan = await shippedPlan("local");
            const cm = manifest(plan, "ConfigMap", "tenancy-model");
            cm.data["model.json"] = JSON.stringify({ ...JSON.parse(cm.data["model.json"]), schemaVersion: 99 });
            const found = checkPlan(plan);
            assert.ok(found.some((v) => /schemaVersion is 99; this pack reads version 1/.test(v.message)));
        });

        it("takes the prefix from the tenancy model, so a renamed deployment moves every expectation with it", async () => {
            const plan = await shippedPlan("dev-aws");
            const found = checkPlan(plan);
            assert.deepEqual(found, []);
            assert.ok(manifest(plan, "Namespace", "domino-dev-platform"));
        });
    });
});
