// The whole pack on the shipped stacks' plans (the integration tier; each rule's own
// behaviour is pinned by its cases, policy/rules/<name>/cases.ts, in ruleCases.spec.ts),
// and the deployment the rules take from the stack.

import { strict as assert } from "assert";
import { checkPlan } from "../../policy/lib/check";
import { clusterScopedNamesPrefixed } from "../../policy/rules/cluster-scoped-names-prefixed/rule";
import { tenancyContext } from "../../policy/lib/context";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { runPlan, shippedStacks, stackFile } from "../../plan/engine";
import { testSecrets, withPatch } from "../helpers/plan";
import { manifest, shippedPlan } from "../helpers/policyPlans";

describe("policy rules", function () {
    this.timeout(60000);

    describe("every shipped stack", () => {
        for (const stack of shippedStacks()) {
            it(`${stack}: has zero violations of any rule`, async () => {
                const found = checkPlan(await shippedPlan(stack));
                assert.deepEqual(
                    found.map((v) => `${v.policy}: ${v.message}`),
                    [],
                );
            });
        }

        it("the 5.x agent install (the local stack on Domino 5.11.1): its Job, prefixed ClusterRoles and secrets pass every rule", async () => {
            const local = yaml.load(fs.readFileSync(stackFile("local"), "utf8")) as { config: Record<string, unknown> };
            const tenancy = withPatch(local.config["domino-tenancy:tenancy"] as Record<string, unknown>, {
                domino: { version: "5.11.1", install: { chart: undefined } },
            });
            const plan = await runPlan({ inline: { stack: "local-agent", tenancy: JSON.parse(JSON.stringify(tenancy)), secrets: testSecrets }, env: {} });
            assert.ok(
                plan.resources.some((r) => r.type === "kubernetes:batch/v1:Job"),
                "the agent Job is in the plan",
            );
            assert.deepEqual(
                checkPlan(plan).map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });
    });

    describe("the deployment each rule relies on", () => {
        it("reports, per rule that needs it, that the stack declares no tenancy model, rather than passing silently", async () => {
            const plan = await shippedPlan("local");
            plan.resources.splice(
                plan.resources.findIndex((r) => r.name === "domino-system-tenancy-model"),
                1,
            );
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
            assert.deepEqual(checkPlan(plan), []);
            const derived = tenancyContext(plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs })));
            assert.equal(derived.ok && derived.context.prefix, "domino-dev-");
            // A name that carries the shipped default's prefix but not this deployment's is caught.
            manifest(plan, "Namespace", "domino-dev-platform").metadata.name = "domino-platform";
            const found = checkPlan(plan, {}, [clusterScopedNamesPrefixed]);
            assert.deepEqual(
                found.map((v) => v.message),
                ["Namespace 'domino-platform' is cluster-scoped but not prefixed 'domino-dev-'"],
            );
        });
    });
});
