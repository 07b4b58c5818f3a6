// Every shipped stack's `Domino` resource, judged offline as the API server would judge it
// against Domino's CRD: the project's strict stand-in (test/fixtures/platform-operator-standin),
// or Domino's own rendered CRD when DOMINO_CRD_FILE names it. The stand-in is first held to
// the documented facts of the real one, so it cannot drift looser than Domino's.

import { strict as assert } from "assert";
import * as path from "path";
import * as yaml from "js-yaml";
import { agentServiceAccountName, dominoApiVersion, reviewableConfigAnnotation } from "../../components/kubernetes/dominoResource";
import { maskedPassword } from "../../components/kubernetes/installer";
import { knownAgentTags, knownConfigSchemas, minorOf } from "../../components/model/install/releases";
import { readStackConfig, repoRoot, runProgram, shippedStacks, stackFile } from "../../plan/engine";
import { tenancyReport } from "../../plan/report";
import { generatedDominoConfigText } from "../../plan/nodeFunctionOwners";
import { type Crd, crdProblems, pathsWith, readCrd } from "../helpers/crdSchema";
import { shippedPlan } from "../helpers/policyPlans";

const fixtureDir = path.join(repoRoot, "test", "fixtures", "platform-operator-standin", "crds");
const standIn = readCrd(path.join(fixtureDir, "dominos.yaml"));
const crd: Crd = process.env.DOMINO_CRD_FILE ? readCrd(process.env.DOMINO_CRD_FILE) : standIn;
const against = process.env.DOMINO_CRD_FILE ? `Domino's CRD (${process.env.DOMINO_CRD_FILE})` : "the stand-in CRD";

type Obj = Record<string, unknown>;
const specSchema = (c: Crd) => (c.spec.versions[0].schema.openAPIV3Schema.properties as Record<string, Obj>).spec;
const propsOf = (s: Obj) => s.properties as Record<string, Obj>;

/** A stack's Domino resource with spec.config as the text Domino reads (the plan shows it secret; the masked copy has the same shape). */
async function dominoOf(stack: string): Promise<Obj> {
    const plan = await shippedPlan(stack);
    const r = plan.resources.find((x) => (x.inputs as { kind?: string }).kind === "Domino");
    assert.ok(r, `${stack}: no Domino resource`);
    const inputs = JSON.parse(JSON.stringify(r.inputs)) as { spec: Obj };
    inputs.spec.config = generatedDominoConfigText(plan);
    return inputs;
}

describe("the Domino resource against Domino's CRD (offline)", function () {
    this.timeout(120000);

    describe("the stand-in CRD is at least as strict as the documented facts of Domino's (chart 0.6.0)", () => {
        it("serves operator.domino.ai/v1beta1 only, namespaced, with a status subresource", () => {
            assert.equal(standIn.metadata.name, "dominos.operator.domino.ai");
            assert.equal(standIn.spec.group, "operator.domino.ai");
            assert.equal(standIn.spec.scope, "Namespaced");
            assert.deepEqual(
                standIn.spec.versions.map((v) => [v.name, v.served, v.storage, !!v.subresources?.status]),
                [["v1beta1", true, true, true]],
            );
            assert.equal(dominoApiVersion, "operator.domino.ai/v1beta1");
        });

        it("requires agent, clusterId, config, interval and version, and the agent's repository and version", () => {
            const spec = specSchema(standIn);
            assert.deepEqual([...(spec.required as string[])].sort(), ["agent", "clusterId", "config", "interval", "version"]);
            const agentSpec = propsOf(propsOf(spec).agent).spec;
            assert.deepEqual([...(agentSpec.required as string[])].sort(), ["repository", "version"]);
        });

        it("types each field as Domino's does: config a string, interval a Go duration, retryLimit an integer, automountServiceAccountToken a string", () => {
            const spec = propsOf(specSchema(standIn));
            const agent = propsOf(propsOf(spec.agent).spec);
            assert.deepEqual(Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.type])), {
                agent: "object",
                catalog: "object",
                clusterId: "string",
                config: "string",
                interval: "string",
                maxHistory: "integer",
                suspend: "boolean",
                version: "string",
            });
            assert.equal(spec.interval.pattern, "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
            assert.deepEqual(
                ["repository", "version", "retryLimit", "dryRunMode", "automountServiceAccountToken", "serviceAccountName"].map((k) => agent[k].type),
                ["string", "string", "integer", "boolean", "string", "string"],
            );
        });

        it("declares no field Domino's does not, and preserves no unknown field anywhere", () => {
            const agent = Object.keys(propsOf(propsOf(propsOf(specSchema(standIn)).agent).spec)).sort();
            const documented = [
                "affinity",
                "automountServiceAccountToken",
                "containerSecurityContext",
                "dryRunMode",
                "env",
                "imagePullSecrets",
                "initContainers",
                "nodeSelector",
                "pullPolicy",
                "repository",
                "resources",
                "retryLimit",
                "securityContext",
                "serviceAccountName",
                "tolerations",
                "version",
            ];
            assert.deepEqual(agent, documented);
            assert.deepEqual(pathsWith(standIn.spec.versions[0].schema.openAPIV3Schema, "x-kubernetes-preserve-unknown-fields"), []);
            const hr = readCrd(path.join(fixtureDir, "helmreleases.yaml"));
            assert.deepEqual(
                [hr.metadata.name, hr.spec.group, hr.spec.scope, hr.spec.versions.map((v) => v.name)],
                ["helmreleases.operator.domino.ai", "operator.domino.ai", "Namespaced", ["v1beta1"]],
            );
            assert.deepEqual(pathsWith(hr.spec.versions[0].schema.openAPIV3Schema, "x-kubernetes-preserve-unknown-fields"), []);
        });

        it("refuses the resource this program used to write: the guessed group, .spec.agentVersion and a config object", () => {
            const guess = {
                apiVersion: "platform.dominodatalab.com/v1alpha1",
                kind: "Domino",
                metadata: { name: "domino", namespace: "domino-system" },
                spec: { agentVersion: "6.1.0.catalog-b50f131", config: { schema: "1.3", name: "domino" } },
            };
            assert.match(crdProblems(standIn, guess).join("\n"), /apiVersion 'platform.dominodatalab.com\/v1alpha1' is not served/);
            const problems = crdProblems(standIn, { ...guess, apiVersion: "operator.domino.ai/v1beta1" });
            for (const expected of [
                /\/spec must have required property 'agent'/,
                /\/spec must have required property 'clusterId'/,
                /\/spec must have required property 'interval'/,
                /\/spec must have required property 'version'/,
                /\/spec\/config must be string/,
                /\/spec\/agentVersion is not in the schema/,
            ])
                assert.match(problems.join("\n"), expected);
        });
    });

    for (const stack of shippedStacks()) {
        describe(`the ${stack} stack's Domino resource`, () => {
            it(`is accepted whole by ${against}: apiVersion, kind, namespace, required fields, types, no field pruned`, async () => {
                assert.deepEqual(crdProblems(crd, await dominoOf(stack)), []);
            });

            it("names the agent tag of the release page, the config schema of the version's configuration reference, and the config's own name", async () => {
                const d = (await dominoOf(stack)) as { spec: { version: string; clusterId: string; config: string; agent: { spec: Obj } } };
                const config = yaml.load(d.spec.config) as Obj;
                assert.equal(d.spec.agent.spec.version, knownAgentTags[d.spec.version]);
                assert.equal(config.schema, knownConfigSchemas[minorOf(d.spec.version)]?.schema);
                assert.equal(config.version, d.spec.version);
                assert.equal(config.name, d.spec.clusterId);
            });
        });
    }

    it("finds a field the CRD does not declare, deep in the agent's spec, as the server would prune it", async () => {
        const d = (await dominoOf("local")) as { spec: { agent: { spec: Obj } } };
        d.spec.agent.spec.priorityClassName = "domino-platform";
        (d.spec.agent.spec.containerSecurityContext as Obj).hostNetwork = true;
        assert.deepEqual(crdProblems(crd, d), [
            "/spec/agent/spec/priorityClassName is not in the schema (pruned; refused under strict field validation)",
            "/spec/agent/spec/containerSecurityContext/hostNetwork is not in the schema (pruned; refused under strict field validation)",
        ]);
    });

    describe("the agent Job it asks for", () => {
        it("runs the release's agent from <registry>/domino/fleetcommand-agent, as the operator's account, with the pull secret", async () => {
            const agent = ((await dominoOf("local")) as { spec: { agent: { spec: Obj } } }).spec.agent.spec;
            assert.equal(agent.repository, "quay.io/domino/fleetcommand-agent");
            assert.equal(agent.serviceAccountName, agentServiceAccountName);
            assert.deepEqual(agent.imagePullSecrets, [{ name: "domino-registry" }]);
        });

        it("lands on the platform pool, tolerating the dedicated taint, with requests, limits and a retry limit", async () => {
            const agent = ((await dominoOf("local")) as { spec: { agent: { spec: Obj } } }).spec.agent.spec;
            assert.deepEqual(agent.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
            assert.deepEqual(agent.tolerations, [{ key: "dominodatalab.com/dedicated", operator: "Equal", value: "domino", effect: "NoSchedule" }]);
            const resources = agent.resources as { requests: Obj; limits: Obj };
            assert.ok(resources.requests.cpu && resources.requests.memory && resources.limits.cpu && resources.limits.memory);
            assert.equal(agent.retryLimit, 1);
        });

        it("meets Pod Security restricted: non-root, no privilege escalation, every capability dropped, the runtime's seccomp profile", async () => {
            const agent = ((await dominoOf("prod-gcp")) as { spec: { agent: { spec: Obj } } }).spec.agent.spec;
            const pod = agent.securityContext as Obj;
            const container = agent.containerSecurityContext as Obj;
            assert.equal(pod.runAsNonRoot, true);
            assert.deepEqual(pod.seccompProfile, { type: "RuntimeDefault" });
            assert.equal(container.allowPrivilegeEscalation, false);
            assert.deepEqual(container.capabilities, { drop: ["ALL"] });
        });
    });

    describe("the config a reviewer sees", () => {
        it("is the secret spec.config's text with only the registry password masked", async () => {
            const plan = await shippedPlan("dev-aws");
            const domino = plan.resources.find((x) => (x.inputs as { kind?: string }).kind === "Domino")!.inputs as {
                metadata: { annotations: Record<string, string> };
                spec: { config: string };
            };
            assert.equal(domino.spec.config, "[secret]");
            const masked = yaml.load(domino.metadata.annotations[reviewableConfigAnnotation]) as { helm: { image_registries: Obj[] } };
            assert.deepEqual(masked.helm.image_registries, [{ server: "quay.io", username: "domino-dev+deploy", password: maskedPassword }]);
        });

        it("never shows the registry password in clear: not in the plan, its JSON, the report or anything the run logs", async () => {
            const password = "pw-must-not-leak-7f3a";
            const { config } = readStackConfig(stackFile("local"), "domino-tenancy");
            const said: string[] = [];
            const writes = { out: process.stdout.write, err: process.stderr.write };
            const capture = (chunk: unknown) => (said.push(String(chunk)), true);
            process.stdout.write = capture as typeof process.stdout.write;
            process.stderr.write = capture as typeof process.stderr.write;
            const run = async () => {
                const { plan, outputs } = await runProgram({
                    inline: { stack: "leak-check", tenancy: JSON.parse(config["domino-tenancy:tenancy"]), secrets: { registryPassword: password } },
                });
                return { planJson: JSON.stringify({ plan, outputs }), report: tenancyReport({ stack: "leak-check", plan }) };
            };
            const { planJson, report } = await run().finally(() => {
                process.stdout.write = writes.out;
                process.stderr.write = writes.err;
            });
            assert.ok(planJson.includes("kubernetes:operator.domino.ai/v1beta1:Domino"), "the plan holds the Domino resource");
            assert.match(report, /## Domino's generated configuration[\s\S]*password: ['"]\*{8}['"]/);
            for (const [where, text] of [
                ["plan JSON", planJson],
                ["report", report],
                ["logs", said.join("")],
            ])
                assert.ok(!text.includes(password), `the password appears in clear in the ${where}`);
        });
    });
});
