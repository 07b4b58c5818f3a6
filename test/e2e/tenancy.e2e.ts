// End to end, for real: the Pulumi engine with the policy pack, a real API server
// with Pod Security Admission, the real scheduler and controllers placing pods on
// kwok's fake nodes, and an other tenant that must come out untouched.
// Steps run in order and share one cluster; the hooks always clean up.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { blocking, destroy, openStack, OperationReport, preview, up } from "../../plan/automation";
import { Plan, runPlan } from "../../plan/engine";
import { fromPreviewJson } from "../../plan/previewJson";
import { allTwins } from "../../policy/admission";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { planOf } from "../../policy/testing/fixtures";
import { objectsOf, paramsOf, previewOnlyCases } from "../policy/admissionHarness";
import { casesOf } from "../policy/ruleCases";
import { barePod, dominoShapedWorkloads, podSpec, stackVariant, type TenancyConfig } from "./fixtures";
import { backendDir, cleanupTempDir, cluster, e2eDir, kubectl, KubeObject, kubeList, ok, pulumi, pulumiEnv, run, waitFor, waitForUnlocked } from "./harness";

const stack = "local";
const dominoKinds =
    "namespaces,serviceaccounts,configmaps,secrets,services,resourcequotas,limitranges,daemonsets,jobs,networkpolicies,clusterroles,clusterrolebindings,roles,rolebindings,priorityclasses,storageclasses," +
    "validatingadmissionpolicies,validatingadmissionpolicybindings,mutatingadmissionpolicies,mutatingadmissionpolicybindings,flowschemas,prioritylevelconfigurations";
const tenantKinds = "configmaps,deployments,daemonsets,replicasets,pods";

let plan: Plan;
let engine: Stack;
let nodes: Map<string, Record<string, string>>;
let tenantBefore: string;
let tenantDesiredBefore: string;
const timings: Record<string, number> = {};

/**
 * The other tenant as it stands: its namespace, objects and nodes, serialised for comparison.
 * "bytes" keeps every field; "desired" drops what controllers rewrite on their own after a
 * control-plane restart (status, resourceVersion, managedFields), keeping all a tenant declared.
 */
function tenantSnapshot(level: "bytes" | "desired" = "bytes"): string {
    const strip = (o: KubeObject): KubeObject => {
        if (level === "bytes") return o;
        const { status: _status, ...rest } = o;
        const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata as KubeObject["metadata"] & { managedFields?: unknown };
        return { ...rest, metadata } as KubeObject;
    };
    const ns = kubeList("namespace", ["acme"]).map(strip);
    const objects = kubeList(tenantKinds, ["-n", "acme"]).map(strip);
    const acmeNodes = kubeList("nodes", ["-l", "tenant=acme"]).map((n) => ({
        name: n.metadata.name,
        labels: n.metadata.labels,
        annotations: n.metadata.annotations,
        spec: n.spec,
    }));
    const sorted = [...ns, ...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
    return JSON.stringify({ objects: sorted, nodes: acmeNodes }, null, 1);
}

function key(kind: string, name: string, namespace?: string): string {
    return `${kind}/${namespace ?? ""}/${name}`;
}

function plannedObjects(): { kind: string; name: string; namespace?: string; labels: Record<string, string> }[] {
    return (
        plan.resources
            // The operator's chart is a remote component: one resource with no manifest of its own in the offline plan.
            .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v4:Chart")
            .map((r) => {
                const m = r.inputs as { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
                return { kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, labels: m.metadata.labels ?? {} };
            })
    );
}

/** The `Domino` kind, served only while the operator chart's CRD (the stand-in's, test/fixtures) exists. */
const dominoResourceKind = "dominos.operator.domino.ai";

function liveObjects(): Map<string, KubeObject> {
    const objects = kubeList(dominoKinds);
    const crd = ok(kubectl(["get", "crd", dominoResourceKind, "--ignore-not-found", "-o", "name"]), "kubectl get crd");
    if (crd.stdout.trim()) objects.push(...kubeList(dominoResourceKind));
    return new Map(objects.map((o) => [key(o.kind, o.metadata.name, o.metadata.namespace), o]));
}

const dominoNamespaces = () =>
    plannedObjects()
        .filter((o) => o.kind === "Namespace")
        .map((o) => o.name);

function dominoPods(): KubeObject[] {
    const namespaces = new Set(dominoNamespaces());
    return kubeList("pods").filter((p) => namespaces.has(p.metadata.namespace ?? ""));
}

const nodeOf = (pod: KubeObject) => (pod.spec as { nodeName?: string }).nodeName ?? "";

/** The engine's own verdict, typed: fails with its last words and every policy finding. */
function succeeded(r: OperationReport, what: string): OperationReport {
    assert.ok(r.ok, `${what} failed after ${r.seconds}s:\n${r.failure ?? ""}\npolicy: ${JSON.stringify(r.policy, null, 1)}`);
    return r;
}

const progress = (line: string) => process.stdout.write(`      ${line}\n`);

/** preflight as a user runs it: exit code and findings as JSON. */
function preflight(configFile?: string): { code: number; findings: { check: string; severity: string; message: string }[]; stderr: string } {
    const args = ["--import", "tsx", "scripts/preflight.ts", ...(configFile ? ["--config", configFile] : ["--stack", stack]), "--json"];
    const r = run(process.execPath, args, { timeoutSeconds: 120 });
    return { code: r.code, findings: r.stdout ? (JSON.parse(r.stdout) as { findings: [] }).findings : [], stderr: r.stderr };
}

/** The local stack file with one edit, written next to the e2e state. */
function variant(name: string, edit: (tenancy: TenancyConfig) => void): string {
    return stackVariant(e2eDir, stack, name, edit);
}

describe("end to end on the local control plane", function () {
    this.timeout(15 * 60 * 1000);

    before(async () => {
        plan = await runPlan({ stack });
        cluster("down");
        const up = ok(cluster("up"), "cluster up");
        timings.clusterUp = up.seconds;
        nodes = new Map(kubeList("nodes").map((n) => [n.metadata.name, n.metadata.labels ?? {}]));
        await waitFor("the other tenant's pods to run", 60, () => {
            const pods = kubeList("pods", ["-n", "acme"]);
            return pods.length > 0 && pods.every((p) => (p.status as { phase?: string }).phase === "Running") ? true : undefined;
        });
        tenantBefore = tenantSnapshot();
        tenantDesiredBefore = tenantSnapshot("desired");
        engine = await openStack(stack, process.cwd(), {
            stateDir: backendDir,
            passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE),
            pulumiHome: String(pulumiEnv.PULUMI_HOME),
        });
    });

    after(async () => {
        // Leave nothing behind, whatever failed: no resources, no processes, no temp state.
        if (engine) await destroy(engine);
        cluster("down");
        cleanupTempDir();
        process.stdout.write(`      e2e timings (s): ${JSON.stringify(timings)}\n`);
    });

    it("passes preflight against the local cluster, read-only", () => {
        const r = preflight();
        assert.equal(r.code, 0, `${r.stderr}\n${JSON.stringify(r.findings, null, 1)}`);
        assert.deepEqual(
            r.findings.filter((f) => f.severity === "error"),
            [],
        );
        assert.ok(
            r.findings.some((f) => f.check === "pool-nodes" && f.severity === "ok"),
            "the pools' nodes were checked",
        );
    });

    it("fails preflight, naming the pool, on a stack whose pool label no node carries", () => {
        const broken = variant("local-unlabelled", (t) => {
            (t.nodePools as { nodePoolLabel?: string }[])[1].nodePoolLabel = "compute-missing";
        });
        const r = preflight(broken);
        assert.equal(r.code, 1, r.stderr);
        assert.ok(
            r.findings.some((f) => f.severity === "error" && /pool compute: no node carries dominodatalab\.com\/node-pool=compute-missing/.test(f.message)),
            JSON.stringify(r.findings, null, 1),
        );
    });

    it("fails the preview of that stack before registering anything, the engine printing preflight's finding without a stack trace", async () => {
        // The program runs preflight at preview (index.ts); tenancy.preflight defaults to error.
        const broken = variant("local-unlabelled-preview", (t) => {
            (t.nodePools as { nodePoolLabel?: string }[])[1].nodePoolLabel = "compute-missing";
        });
        const r = await preview(engine, { policyPack: "policy", configFile: broken });
        timings.previewPreflightRefused = r.seconds;
        assert.equal(r.ok, false, "preflight must fail the preview");
        const said = [...r.errors, r.failure ?? ""].join("\n");
        assert.match(said, /preflight found \d+ problem\(s\) in the cluster of .*\.cluster\/kubeconfig/);
        assert.match(said, /\[pool-nodes\] pool compute: no node carries dominodatalab\.com\/node-pool=compute-missing/);
        assert.match(said, /-> label the pool's nodes dominodatalab\.com\/node-pool=compute-missing, or fix tenancy\.nodePools\[1\]\.nodePoolLabel/);
        assert.doesNotMatch(r.errors.join("\n"), /^\s+at .*\.ts:\d+/m, "a RunError: the message alone");
        assert.deepEqual(r.policy, [], "nothing reached the policy pack: no resource was registered");
    });

    it("fails the preview of a stack with a config mistake, the engine printing the config path and what is allowed, nothing else", async () => {
        const broken = variant("local-bad-min-size", (t) => {
            (t.nodePools as { minSize?: unknown }[])[0].minSize = "lots";
        });
        const r = await preview(engine, { policyPack: "policy", configFile: broken });
        assert.equal(r.ok, false, "a config mistake must fail the preview");
        const errors = r.errors.join("\n");
        // The program's own error is the diagnostic; the engine adds one line that the program failed.
        const ours = r.errors.filter((e) => e.includes("tenancy."));
        assert.deepEqual(
            ours,
            ['invalid stack configuration (1 problem):\n  - tenancy.nodePools[0].minSize: must be a whole number from 0 to 1000 (got "lots")'],
            errors,
        );
        assert.doesNotMatch(errors, /^\s+at /m, "no stack trace");
        assert.doesNotMatch(errors, /issues:|\{ *$/m, "no object dump");
        assert.ok(!errors.includes("\u001b["), "no ANSI colour codes");
        assert.deepEqual(r.policy, [], "nothing reached the policy pack: no resource was registered");
    });

    it("previews the local stack with the policy pack and no mandatory violation", async () => {
        const r = succeeded(await preview(engine, { policyPack: "policy", progress }), "preview with the policy pack");
        timings.preview = r.seconds;
        assert.deepEqual(blocking(r), []);
        assert.ok((r.changes.create ?? 0) > 40, `expected the whole stack to be created, got ${JSON.stringify(r.changes)}`);
    });

    it("fails the preview of a broken variant, the engine naming the rule it breaks", async () => {
        // A privileged compute namespace with a reason the pack does not allow-list.
        const broken = variant("local-broken", (t) => {
            t.domino.podSecurity = { compute: { enforce: "privileged", exception: "users want to debug their nodes" } };
        });
        const r = await preview(engine, { policyPack: "policy", configFile: broken });
        assert.equal(r.ok, false, "the broken variant must fail preview");
        assert.deepEqual([...new Set(blocking(r).map((p) => p.policy))], ["namespaces-pod-security"], JSON.stringify(r.policy, null, 1));
    });

    it("gives the same verdicts on `pulumi preview --json` as on the offline plan, clean and broken", async () => {
        const broken = variant("local-broken-json", (t) => {
            t.domino.podSecurity = { compute: { enforce: "privileged", exception: "users want to debug their nodes" } };
        });
        for (const [name, configFile] of [
            ["clean", undefined],
            ["broken", broken],
        ] as const) {
            const r = pulumi(["preview", "--stack", stack, "--json", ...(configFile ? ["--config-file", configFile] : [])]);
            const fromEngine = checkPlan(fromPreviewJson(JSON.parse(r.stdout)));
            const offline = checkPlan(await runPlan(configFile ? { configFile, stack } : { stack }));
            const verdicts = (vs: typeof offline) => vs.map((v) => `${v.policy} ${v.urn ?? ""} ${v.message}`).sort();
            assert.deepEqual(verdicts(fromEngine), verdicts(offline), `${name}: preview JSON and offline plan disagree`);
            if (name === "broken")
                assert.ok(
                    fromEngine.some((v) => v.policy === "namespaces-pod-security"),
                    "the broken variant is caught from preview JSON",
                );
        }
    });

    it("deploys, and every planned object exists in the API server with its namespace and labels", async () => {
        const r = succeeded(await up(engine, { policyPack: "policy", progress }), "up with the policy pack");
        timings.up = r.seconds;
        const live = liveObjects();
        const planned = plannedObjects();
        assert.ok(planned.length > 40);
        for (const o of planned) {
            const found = live.get(key(o.kind, o.name, o.namespace));
            assert.ok(found, `${o.kind} ${o.namespace ?? ""}/${o.name} is missing`);
            for (const [k, v] of Object.entries(o.labels)) assert.equal(found.metadata.labels?.[k], v, `${o.kind} ${o.name} label ${k}`);
            if (!o.namespace) assert.ok(o.name.startsWith("domino-"), `${o.kind} ${o.name} lacks the deployment prefix`);
        }
    });

    it("lets the real scheduler place every Domino pod where the tenancy model says", async () => {
        const expected = kubeList("daemonsets").filter((d) => dominoNamespaces().includes(d.metadata.namespace ?? ""));
        await waitFor("every Domino DaemonSet to be fully scheduled and ready", 120, () => {
            const ds = kubeList("daemonsets").filter((d) => dominoNamespaces().includes(d.metadata.namespace ?? ""));
            return ds.every((d) => {
                const s = d.status as { desiredNumberScheduled: number; numberReady: number };
                return s.desiredNumberScheduled > 0 && s.numberReady === s.desiredNumberScheduled;
            })
                ? true
                : undefined;
        });
        // The program's own node agents only: Domino's log shipper, exporter, image cache and registry certificates are Domino's to run.
        assert.deepEqual(expected.map((d) => d.metadata.name).sort(), ["max-map-count", "nvidia-device-plugin"]);
        const pods = dominoPods();
        for (const pod of pods) {
            const labels = nodes.get(nodeOf(pod)) ?? {};
            const where = `${pod.metadata.namespace}/${pod.metadata.name} on ${nodeOf(pod)}`;
            assert.equal(labels["dominodatalab.com/domino-node"], "true", `Domino pod off Domino nodes: ${where}`);
            assert.notEqual(labels.tenant, "acme", where);
            const owner = pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name;
            if (owner === "nvidia-device-plugin") assert.equal(labels["dominodatalab.com/node-pool"], "default-gpu", where);
            if (owner === "max-map-count") assert.equal(labels["dominodatalab.com/node-pool"], "platform", where);
        }
        const perOwner = (name: string) => pods.filter((p) => p.metadata.ownerReferences?.[0]?.name === name).length;
        assert.equal(perOwner("nvidia-device-plugin"), 2);
        assert.equal(perOwner("max-map-count"), 2);
        for (const pod of kubeList("pods", ["-n", "acme"])) {
            assert.notEqual(
                nodes.get(nodeOf(pod))?.["dominodatalab.com/domino-node"],
                "true",
                `other tenant's pod ${pod.metadata.name} on a dedicated Domino node`,
            );
        }
    });

    it("lands workloads Domino's operator would create (kubectl, outside Pulumi) on their pools under dedicated isolation, other tenants kept off", async () => {
        // What the operator creates, without the dedicated toleration: the dedicated-placement
        // MutatingAdmissionPolicy must add it (and a pool for the pod that chose none).
        const marker = { "e2e-dedicated": "true" };
        const { items: domino, expected } = dominoShapedWorkloads(
            {
                platformNamespace: "domino-platform",
                computeNamespace: "domino-compute",
                pools: { platform: "platform", compute: "default", gpu: "default-gpu" },
            },
            "e2e",
            marker,
        );
        const items = [...domino, barePod("e2e-acme-unrelated", "acme", podSpec(undefined, undefined, false), marker)];
        const file = path.join(e2eDir, "dedicated-workloads.json");
        fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        ok(kubectl(["create", "-f", file]), "create Domino-shaped workloads");
        try {
            const ours = () => kubeList("pods", ["-A", "-l", "e2e-dedicated=true"]);
            // 2 + 1 + 6 DaemonSet pods (every Domino node: the policy gives DaemonSet pods the GPU toleration) + 3 runs + acme
            const pods = await waitFor("the Domino-shaped pods to run", 120, () => {
                const ps = ours();
                return ps.length >= 13 && ps.every((p) => (p.status as { phase?: string }).phase === "Running") ? ps : undefined;
            });
            for (const p of pods) {
                const labels = nodes.get(nodeOf(p)) ?? {};
                const where = `${p.metadata.namespace}/${p.metadata.name} on ${nodeOf(p)}`;
                if (p.metadata.namespace === "acme") {
                    assert.notEqual(labels["dominodatalab.com/domino-node"], "true", `other tenant's pod on a Domino node: ${where}`);
                    const tolerations = ((p.spec as { tolerations?: { key?: string }[] }).tolerations ?? []).map((t) => t.key);
                    assert.ok(!tolerations.includes("dominodatalab.com/dedicated"), `the policy touched another tenant's pod: ${where}`);
                    continue;
                }
                const prefix = Object.keys(expected).find((k) => p.metadata.name.startsWith(k));
                assert.ok(prefix, where);
                assert.equal(labels["dominodatalab.com/domino-node"], "true", where);
                if (expected[prefix]) assert.equal(labels["dominodatalab.com/node-pool"], expected[prefix], where);
            }
            assert.equal(pods.filter((p) => p.metadata.name.startsWith("e2e-node-agent")).length, 6);
        } finally {
            kubectl(["delete", "-f", file, "--wait=true", "--timeout=60s"], 90);
        }
    });

    it("was refused nothing by Pod Security Admission", () => {
        // Only Pod Security's refusals: a chart's Deployment applied beside its ServiceAccount
        // (helm.v4.Chart orders neither, and a transform's depends-on annotation comes too late
        // for the provider) fails its first pod once with "serviceaccount not found", then the
        // ReplicaSet retries; the specs above see every pod placed.
        const namespaces = new Set(dominoNamespaces());
        const refused = kubeList("events").filter(
            (e) =>
                namespaces.has(e.metadata.namespace ?? "") &&
                /FailedCreate/.test(String((e as { reason?: string }).reason)) &&
                /PodSecurity/.test(String((e as { message?: string }).message)),
        );
        assert.deepEqual(
            refused.map((e) => (e as { message?: string }).message),
            [],
        );
    });

    it("never admits what the pack refuses, every twin on its rule's own cases, and never speaks in the other tenant's namespace", () => {
        // Server-side dry runs: admission runs in full (mutation, then validation), nothing is
        // stored. Only cases the live params decide (the stack's own tenancy model, no extra
        // pack config), objects in a namespace that exists (cluster-scoped objects are judged
        // for Domino's service accounts only, not kubectl's admin). What the server admits is
        // judged again by the rule: under dedicated isolation the placement policy repairs a
        // pod template that selects no pool, so admitting the repaired object is agreement.
        const liveParams = JSON.stringify(paramsOf({ name: "", expect: null }));
        const namespaces = new Set(kubeList("namespaces").map((n) => n.metadata.name));
        const disagreements: string[] = [];
        const tally: Record<string, number> = {
            refusedByTwin: 0,
            refusedByPodSecurity: 0,
            repairedAtAdmission: 0,
            admitted: 0,
            refusedForAnotherRule: 0,
            liveObjectOfThatName: 0,
        };
        for (const twin of allTwins()) {
            const rule = allRules.find((r) => r.name === twin.rule)!;
            for (const c of casesOf(twin.rule)) {
                if (c.config || JSON.stringify(paramsOf(c)) !== liveParams || (previewOnlyCases[twin.rule] ?? []).includes(c.name)) continue;
                const packRefuses = checkPlan(planOf(c), {}, [rule]).length > 0;
                for (const o of objectsOf(c).filter((x) => x.metadata.namespace && namespaces.has(x.metadata.namespace))) {
                    const dry = (namespace: string) =>
                        kubectl(["create", "--dry-run=server", "-o", "json", "-f", "-"], 60, JSON.stringify({ ...o, metadata: { ...o.metadata, namespace } }));
                    const where = `${twin.rule} / ${c.name} (${o.kind})`;
                    const r = dry(o.metadata.namespace!);
                    if (/already exists/.test(r.stderr)) {
                        // The stack deployed an object of that name: a create cannot be judged.
                        tally.liveObjectOfThatName++;
                        continue;
                    }
                    // Any of Domino's twins may be the one that answers (an object can break two rules);
                    // Pod Security Admission runs before admission policies and may refuse first.
                    const byTwin = /ValidatingAdmissionPolicy 'domino-[a-z-]+' .*denied request: [a-z-]+: /.test(r.stderr);
                    if (r.code === 0) {
                        const admitted = JSON.parse(r.stdout) as typeof o;
                        const repaired: typeof c = c.object
                            ? { ...c, object: admitted }
                            : {
                                  ...c,
                                  resources: c.resources!.map((x) =>
                                      x.inputs === (o as unknown) ? { ...x, inputs: admitted as unknown as Record<string, unknown> } : x,
                                  ),
                              };
                        if (checkPlan(planOf(repaired), {}, [rule]).length > 0) disagreements.push(`${where}: the server admitted what the pack refuses`);
                        else tally[packRefuses ? "repairedAtAdmission" : "admitted"]++;
                    } else if (packRefuses) {
                        if (byTwin) tally.refusedByTwin++;
                        else if (/violates PodSecurity/.test(r.stderr)) tally.refusedByPodSecurity++;
                        else disagreements.push(`${where}: the pack refuses, the API server said: ${r.stderr.trim()}`);
                    } else if (byTwin) {
                        // A minimal case may break another rule too; only this rule's own twin refusing is a disagreement.
                        const refusing = /denied request: ([a-z-]+): /.exec(r.stderr)?.[1];
                        if (refusing === twin.rule) disagreements.push(`${where}: the pack accepts, its twin refused: ${r.stderr.trim()}`);
                        else tally.refusedForAnotherRule++;
                    }
                    // The other tenant's namespace is outside every binding: no twin ever speaks there.
                    const inAcme = dry("acme");
                    if (/ValidatingAdmissionPolicy 'domino-/.test(inAcme.stderr))
                        disagreements.push(`${where}: refused in the other tenant's namespace: ${inAcme.stderr.trim()}`);
                }
            }
        }
        Object.assign(timings, tally);
        assert.ok(tally.refusedByTwin > 30, `only ${tally.refusedByTwin} refusals came from the twins: ${JSON.stringify(tally)}`);
        assert.deepEqual(disagreements, []);
    });

    it("lets another tenant's admin write cluster-scoped objects the twins judge only for Domino's service accounts", () => {
        // kubectl's admin is not Domino: its ClusterRoles, bindings and CRDs are none of the twins' business.
        for (const args of [
            ["clusterrole", "acme-reader", "--verb=get,list", "--resource=pods"],
            ["clusterrolebinding", "acme-reader", "--clusterrole=acme-reader", "--group=acme-admins"],
            ["priorityclass", "acme-high", "--value=1000"],
        ]) {
            const r = kubectl(["create", ...args, "--dry-run=server", "-o", "name"]);
            assert.equal(r.code, 0, `${args.slice(0, 2).join(" ")}: ${r.stderr}`);
        }
    });

    it("previews no change the second time: the program is idempotent", async () => {
        const r = succeeded(await preview(engine, { policyPack: "policy", expectNoChanges: true }), "preview --expect-no-changes");
        timings.previewNoChanges = r.seconds;
    });

    it("destroys every Domino object and leaves the other tenant byte-for-byte unchanged", async () => {
        const r = succeeded(await destroy(engine, { progress }), "destroy");
        timings.destroy = r.seconds;
        const live = liveObjects();
        const left = plannedObjects().filter((o) => live.has(key(o.kind, o.name, o.namespace)));
        assert.deepEqual(left, []);
        assert.deepEqual(dominoPods(), []);
        assert.deepEqual(JSON.parse(tenantSnapshot()), JSON.parse(tenantBefore));
    });

    it("converges after the API server is killed in the middle of pulumi up and restarted", async () => {
        const abort = new AbortController();
        const interrupted = up(engine, { signal: abort.signal });
        const exited = interrupted.then((r) => (r.ok ? 0 : 1));
        // Wait until the update is under way: some objects exist, not all.
        await waitFor("the update to start creating objects", 120, () => (kubectl(["get", "namespace", "domino-platform"]).code === 0 ? true : undefined));
        const pid = Number(fs.readFileSync(path.join(".cluster", "pids", "kube-apiserver.pid"), "utf8"));
        process.kill(pid, "SIGKILL");
        // Give the update time to hit the dead server (it may give up, or keep retrying),
        // then bring the server back under it; whatever it does next, it is bounded.
        const early = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000))]);
        ok(cluster("up"), "restart the API server");
        const timer = setTimeout(() => abort.abort(), 300_000);
        const code = early ?? (await exited);
        clearTimeout(timer);
        timings.interruptedUpExit = code;
        await waitForUnlocked(180);

        const first = await interrupted;
        const r = succeeded(await up(engine), `up after the restart (the interrupted one said: ${first.failure?.slice(-1500) ?? "ok"})`);
        timings.upAfterRestart = r.seconds;
        succeeded(await preview(engine, { expectNoChanges: true }), "preview after convergence");

        // Nothing lost: every planned object exists. Nothing duplicated: one state entry per URN, none pending.
        const live = liveObjects();
        for (const o of plannedObjects()) assert.ok(live.has(key(o.kind, o.name, o.namespace)), `${o.kind} ${o.name} missing after convergence`);
        const exported = (await engine.exportStack()) as {
            deployment: { resources: { urn: string }[]; pending_operations?: unknown[] };
        };
        const urns = exported.deployment.resources.map((x) => x.urn);
        assert.equal(new Set(urns).size, urns.length, "duplicate URNs in state");
        assert.deepEqual(exported.deployment.pending_operations ?? [], []);
        const inState = new Set(urns);
        for (const r of plan.resources.filter((x) => x.custom)) assert.ok(inState.has(r.urn), `state lacks ${r.urn}`);
        // Killing the API server makes controllers rewrite the tenant's status; what it declared must stand.
        assert.deepEqual(JSON.parse(tenantSnapshot("desired")), JSON.parse(tenantDesiredBefore));
    });
});
