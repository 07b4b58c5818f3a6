// The `Domino` resource on a real API server with the strict CRD (the stand-in chart's,
// test/fixtures/platform-operator-standin/crds): a wrong field fails here under strict field
// validation, not in a customer's cluster; what Pulumi applied is stored whole (nothing
// pruned); and a Domino version bump is an in-place update of the same object, never a
// replace (deleting the resource is what uninstalls Domino). Its own cluster and state.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { destroy, openStack, OperationReport, up } from "../../plan/automation";
import { repoRoot, runPlan } from "../../plan/engine";
import { generatedDominoConfigText } from "../../plan/nodeFunctionOwners";
import { dominoApiVersion } from "../../components/kubernetes/dominoResource";
import { knownAgentTags } from "../../components/model/install/releases";
import { stackVariant } from "./fixtures";
import { cluster, kubectl, KubeObject, ok, pulumiEnv, workspace } from "./harness";

type Obj = Record<string, unknown>;
const from = "6.2.0";
const to = "6.2.2";

function succeeded(r: OperationReport, what: string): OperationReport {
    assert.ok(r.ok, `${what} failed after ${r.seconds}s:\n${r.failure ?? ""}\npolicy: ${JSON.stringify(r.policy, null, 1)}`);
    return r;
}

const progress = (line: string) => process.stdout.write(`      ${line}\n`);

function liveDomino(): KubeObject & { metadata: { generation: number } } {
    const r = ok(kubectl(["get", "dominos.operator.domino.ai", "domino", "-n", "domino-system", "-o", "json"]), "kubectl get domino");
    return JSON.parse(r.stdout) as KubeObject & { metadata: { generation: number } };
}

describe("the Domino resource on the API server: strict, stored whole, upgraded in place", function () {
    this.timeout(20 * 60 * 1000);
    const ws = workspace("domino-upgrade");
    const timings: Record<string, number> = {};
    let engine: Stack;
    let atFrom: string;
    /** The Domino resource the offline plan of the `from` variant registers, config as its reviewable text. */
    let planned: Obj & { spec: Obj & { agent: { spec: Obj } } };

    before(async () => {
        atFrom = stackVariant(ws.dir, "local", `local-${from}`, (t) => {
            t.domino.version = from;
        });
        const plan = await runPlan({ configFile: atFrom, stack: "local" });
        const r = plan.resources.find((x) => (x.inputs as { kind?: string }).kind === "Domino");
        assert.ok(r, "the plan registers a Domino resource");
        planned = JSON.parse(JSON.stringify(r.inputs)) as typeof planned;
        planned.spec.config = generatedDominoConfigText(plan);
        cluster("down");
        timings.clusterUp = ok(cluster("up"), "cluster up").seconds;
        const stateDir = path.join(ws.dir, "state");
        fs.mkdirSync(stateDir, { recursive: true });
        engine = await openStack("local", repoRoot, {
            stateDir,
            passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE),
            pulumiHome: String(pulumiEnv.PULUMI_HOME),
        });
    });

    after(async () => {
        if (engine) await destroy(engine);
        cluster("down");
        ws.cleanup();
        process.stdout.write(`      domino-upgrade timings (s): ${JSON.stringify(timings)}\n`);
    });

    it(`deploys the local stack at Domino ${from} through the policy pack`, async () => {
        timings.up = succeeded(await up(engine, { policyPack: "policy", configFile: atFrom, progress }), `up at ${from}`).seconds;
        assert.equal(liveDomino().apiVersion, dominoApiVersion);
    });

    it("has the API server accept the planned resource under strict field validation, and refuse a field the CRD does not declare", () => {
        // A server-side dry run (nothing stored) of a copy under another name: the stored one is Pulumi's.
        const dry = (o: Obj) =>
            kubectl(
                ["create", "--dry-run=server", "--validate=strict", "-o", "name", "-f", "-"],
                60,
                JSON.stringify({ ...o, metadata: { ...(o.metadata as Obj), name: "strict-check" } }),
            );
        const accepted = dry(planned);
        assert.equal(accepted.code, 0, accepted.stderr);
        const extra = dry({ ...planned, spec: { ...planned.spec, agent: { spec: { ...planned.spec.agent.spec, priorityClassName: "domino-platform" } } } });
        assert.notEqual(extra.code, 0, "a field the CRD does not declare must be refused");
        assert.match(extra.stderr, /unknown field "spec\.agent\.spec\.priorityClassName"/);
        const asObject = dry({ ...planned, spec: { ...planned.spec, config: yaml.load(planned.spec.config as string) } });
        assert.notEqual(asObject.code, 0, "a config object must be refused");
        // Either verdict refuses it: the strict decoder names the object's keys, or the schema its type.
        assert.match(asObject.stderr, /strict decoding error: unknown field "spec\.config\.|spec\.config in body must be of type string/);
    });

    it("stores every field Pulumi applied: the live spec is the planned one, the config text Domino's with the real password", () => {
        const live = liveDomino();
        const { config: liveConfig, ...liveSpec } = live.spec as Obj & { config: string };
        const { config: plannedConfig, ...plannedSpec } = planned.spec;
        assert.deepEqual(liveSpec, plannedSpec, "a planned field was pruned or changed by the server");
        // The live text carries the password where the reviewable copy masks it; nothing else differs.
        const mask = (text: string) => {
            const doc = yaml.load(text) as { helm: { image_registries: { password: string }[] } };
            doc.helm.image_registries.forEach((r) => (r.password = "masked"));
            return doc;
        };
        assert.deepEqual(mask(liveConfig), mask(plannedConfig as string));
    });

    it(`upgrades ${from} -> ${to} in place: the preview updates the Domino resource and replaces nothing, then the same object gets a new generation`, async () => {
        const was = liveDomino();
        const steps = new Map<string, string>();
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m) steps.set(m.urn, m.op);
        };
        // The shipped local stack is at the default version, the bump.
        await engine.preview({ policyPacks: ["policy"], diff: true, onEvent });
        const dominoStep = [...steps].find(([urn]) => urn.endsWith(`${dominoApiVersion}:Domino::platform-operator-domino`));
        assert.equal(dominoStep?.[1], "update", `the Domino resource's step: ${dominoStep?.[1]}`);
        const destructive = [...steps].filter(([, op]) => /replace|delete/.test(op));
        assert.deepEqual(destructive, [], "a version bump replaces or deletes nothing");

        timings.upgrade = succeeded(await up(engine, { policyPack: "policy", progress }), `up at ${to}`).seconds;
        const now = liveDomino();
        assert.equal(now.metadata.uid, was.metadata.uid, "the same object");
        assert.equal(now.metadata.generation, was.metadata.generation + 1, "one spec change");
        const spec = now.spec as { version: string; agent: { spec: { version: string } }; config: string };
        assert.deepEqual([spec.version, spec.agent.spec.version], [to, knownAgentTags[to]]);
        assert.equal((yaml.load(spec.config) as { version: string }).version, to);
    });
});
