// End to end, for real: the Pulumi engine with the policy pack, a real API server
// with Pod Security Admission, the real scheduler and controllers placing pods on
// kwok's fake nodes, and an other tenant that must come out untouched.
// Steps run in order and share one cluster; the hooks always clean up.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { Plan, runPlan, stackFile } from "../../plan/engine";
import { cleanupTempDir, cluster, e2eDir, kubectl, KubeObject, kubeList, ok, pulumi, pulumiAsync, waitFor, waitForUnlocked } from "./harness";

const stack = "local";
const dominoKinds = "namespaces,serviceaccounts,configmaps,services,resourcequotas,limitranges,daemonsets,jobs,networkpolicies,clusterroles,clusterrolebindings,rolebindings,priorityclasses,storageclasses";
const tenantKinds = "configmaps,deployments,daemonsets,replicasets,pods";

let plan: Plan;
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
    const acmeNodes = kubeList("nodes", ["-l", "tenant=acme"]).map((n) => ({ name: n.metadata.name, labels: n.metadata.labels, annotations: n.metadata.annotations, spec: n.spec }));
    const sorted = [...ns, ...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
    return JSON.stringify({ objects: sorted, nodes: acmeNodes }, null, 1);
}

function key(kind: string, name: string, namespace?: string): string {
    return `${kind}/${namespace ?? ""}/${name}`;
}

function plannedObjects(): { kind: string; name: string; namespace?: string; labels: Record<string, string> }[] {
    return plan.resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => {
            const m = r.inputs as { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
            return { kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, labels: m.metadata.labels ?? {} };
        });
}

function liveObjects(): Map<string, KubeObject> {
    return new Map(kubeList(dominoKinds).map((o) => [key(o.kind, o.metadata.name, o.metadata.namespace), o]));
}

const dominoNamespaces = () => plannedObjects().filter((o) => o.kind === "Namespace").map((o) => o.name);

function dominoPods(): KubeObject[] {
    const namespaces = new Set(dominoNamespaces());
    return kubeList("pods").filter((p) => namespaces.has(p.metadata.namespace ?? ""));
}

const nodeOf = (pod: KubeObject) => (pod.spec as { nodeName?: string }).nodeName ?? "";

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
        ok(pulumi(["stack", "init", stack]), "stack init");
    });

    after(() => {
        // Leave nothing behind, whatever failed: no resources, no processes, no temp state.
        pulumi(["destroy", "--stack", stack, "--yes", "--skip-preview"], 300);
        cluster("down");
        cleanupTempDir();
        process.stdout.write(`      e2e timings (s): ${JSON.stringify(timings)}\n`);
    });

    it("previews the local stack with the policy pack and no mandatory violation", () => {
        const r = ok(pulumi(["preview", "--stack", stack, "--diff", "--policy-pack", "policy"]), "pulumi preview --policy-pack policy");
        timings.preview = r.seconds;
        assert.doesNotMatch(r.stdout, /mandatory/i, r.stdout.slice(-4000));
    });

    it("fails the preview of a broken variant, naming the rule it breaks", () => {
        const doc = yaml.load(fs.readFileSync(stackFile(stack), "utf8")) as { config: Record<string, { domino: Record<string, unknown> }> };
        // A privileged compute namespace with a reason the pack does not allow-list.
        doc.config["domino-tenancy:tenancy"].domino.podSecurity = { compute: { enforce: "privileged", exception: "users want to debug their nodes" } };
        const broken = path.join(e2eDir, "Pulumi.local-broken.yaml");
        fs.writeFileSync(broken, yaml.dump(doc));
        const r = pulumi(["preview", "--stack", stack, "--config-file", broken, "--policy-pack", "policy"]);
        assert.notEqual(r.code, 0, "the broken variant must fail preview");
        assert.match(r.stdout + r.stderr, /namespaces-pod-security/);
    });

    it("deploys, and every planned object exists in the API server with its namespace and labels", () => {
        const r = ok(pulumi(["up", "--stack", stack, "--yes", "--skip-preview", "--policy-pack", "policy"]), "pulumi up");
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
        assert.ok(expected.length >= 5);
        const pods = dominoPods();
        for (const pod of pods) {
            const labels = nodes.get(nodeOf(pod)) ?? {};
            const where = `${pod.metadata.namespace}/${pod.metadata.name} on ${nodeOf(pod)}`;
            assert.equal(labels["dominodatalab.com/domino-node"], "true", `Domino pod off Domino nodes: ${where}`);
            assert.notEqual(labels.tenant, "acme", where);
            const owner = pod.metadata.ownerReferences?.[0]?.name ?? pod.metadata.name;
            if (owner === "nvidia-device-plugin") assert.equal(labels["dominodatalab.com/node-pool"], "default-gpu", where);
            if (owner === "max-map-count") assert.equal(labels["dominodatalab.com/node-pool"], "platform", where);
            if (owner === "image-cache-agent") assert.ok(["default", "default-gpu"].includes(labels["dominodatalab.com/node-pool"]), where);
        }
        // Each node-wide agent runs on every Domino node (2 per pool, 3 pools).
        const perOwner = (name: string) => pods.filter((p) => p.metadata.ownerReferences?.[0]?.name === name).length;
        assert.equal(perOwner("fluentd"), 6);
        assert.equal(perOwner("nvidia-device-plugin"), 2);
        assert.equal(perOwner("max-map-count"), 2);
        for (const pod of kubeList("pods", ["-n", "acme"])) {
            assert.notEqual(nodes.get(nodeOf(pod))?.["dominodatalab.com/domino-node"], "true", `other tenant's pod ${pod.metadata.name} on a dedicated Domino node`);
        }
    });

    it("was refused nothing by Pod Security Admission", () => {
        const namespaces = new Set(dominoNamespaces());
        const refused = kubeList("events").filter(
            (e) => namespaces.has(e.metadata.namespace ?? "") && /FailedCreate/.test(String((e as { reason?: string }).reason)),
        );
        assert.deepEqual(refused.map((e) => (e as { message?: string }).message), []);
    });

    it("previews no change the second time: the program is idempotent", () => {
        const r = ok(pulumi(["preview", "--stack", stack, "--expect-no-changes", "--policy-pack", "policy"]), "pulumi preview --expect-no-changes");
        timings.previewNoChanges = r.seconds;
    });

    it("destroys every Domino object and leaves the other tenant byte-for-byte unchanged", async () => {
        const r = ok(pulumi(["destroy", "--stack", stack, "--yes", "--skip-preview"]), "pulumi destroy");
        timings.destroy = r.seconds;
        const live = liveObjects();
        const left = plannedObjects().filter((o) => live.has(key(o.kind, o.name, o.namespace)));
        assert.deepEqual(left, []);
        assert.deepEqual(dominoPods(), []);
        assert.deepEqual(JSON.parse(tenantSnapshot()), JSON.parse(tenantBefore));
    });

    it("converges after the API server is killed in the middle of pulumi up and restarted", async () => {
        const child = pulumiAsync(["up", "--stack", stack, "--yes", "--skip-preview"]);
        let output = "";
        child.stdout?.on("data", (d) => (output += String(d)));
        child.stderr?.on("data", (d) => (output += String(d)));
        const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
        // Wait until the update is under way: some objects exist, not all.
        await waitFor("the update to start creating objects", 120, () => (kubectl(["get", "namespace", "domino-platform"]).code === 0 ? true : undefined));
        const pid = Number(fs.readFileSync(path.join(".cluster", "pids", "kube-apiserver.pid"), "utf8"));
        process.kill(pid, "SIGKILL");
        // Give the update time to hit the dead server (it may give up, or keep retrying),
        // then bring the server back under it; whatever it does next, it is bounded.
        const early = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000))]);
        ok(cluster("up"), "restart the API server");
        const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
        const code = early ?? (await exited);
        clearTimeout(timer);
        timings.interruptedUpExit = code;
        await waitForUnlocked(180);

        const r = ok(pulumi(["up", "--stack", stack, "--yes", "--skip-preview"]), `pulumi up after the restart (first run said: ${output.slice(-1500)})`);
        timings.upAfterRestart = r.seconds;
        ok(pulumi(["preview", "--stack", stack, "--expect-no-changes"]), "preview after convergence");

        // Nothing lost: every planned object exists. Nothing duplicated: one state entry per URN, none pending.
        const live = liveObjects();
        for (const o of plannedObjects()) assert.ok(live.has(key(o.kind, o.name, o.namespace)), `${o.kind} ${o.name} missing after convergence`);
        const exported = JSON.parse(ok(pulumi(["stack", "export", "--stack", stack]), "stack export").stdout) as {
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
