// Domino's promise: every node function has exactly one owner on the real nodes. For
// each function the verifier recognises a DaemonSet by what it does (the device-plugin
// socket folder, the node exporter, the image-cache agent, the registry certificate
// folders, the max_map_count writer), works out on which nodes each would run (its node
// selector, required affinity and tolerations against the node's labels and taints), and
// requires at most one per node, and exactly one where this program owns the function.
// Log shipping is left out: the cluster's own shipper may read Domino's nodes too, by design.

import { devicePluginHostPath, poolsWithRole, sysctlTunerName, whyNotOn, type NodeFunction, type PodScheduling, type Taint } from "@domino-tenancy/core";
import type { Check, Probe } from "../probe";

interface Container {
    name?: string;
    image?: string;
    command?: string[];
    args?: string[];
}
interface PodTemplateSpec extends PodScheduling {
    containers?: Container[];
    initContainers?: Container[];
    volumes?: { hostPath?: { path?: string } }[];
}
interface DaemonSet {
    metadata: { name: string; namespace: string };
    spec?: { template?: { spec?: PodTemplateSpec } };
}
interface Node {
    metadata: { name: string; labels?: Record<string, string> };
    spec?: { taints?: Taint[] };
}

const containersOf = (s: PodTemplateSpec) => [...(s.containers ?? []), ...(s.initContainers ?? [])];
const hostPaths = (s: PodTemplateSpec) => (s.volumes ?? []).flatMap((v) => (v.hostPath?.path ? [v.hostPath.path.replace(/\/+$/, "")] : []));
const images = (s: PodTemplateSpec) => containersOf(s).map((c) => c.image ?? "");

/** How a DaemonSet doing each function looks, whoever deployed it. */
export const signatures: Readonly<Partial<Record<NodeFunction, (ds: DaemonSet, s: PodTemplateSpec) => boolean>>> = {
    gpuDevicePlugin: (_ds, s) => hostPaths(s).includes(devicePluginHostPath) || images(s).some((i) => /device-plugin/.test(i)),
    nodeMetrics: (_ds, s) => images(s).some((i) => /node-exporter/.test(i)),
    imageCache: (ds, s) => /image-cache/.test(ds.metadata.name) || images(s).some((i) => /image-cache/.test(i)),
    registryCertificates: (_ds, s) => hostPaths(s).some((p) => /^\/etc\/(docker|containerd)\/certs\.d$/.test(p)),
    sysctl: (ds, s) =>
        ds.metadata.name === sysctlTunerName || containersOf(s).some((c) => [...(c.command ?? []), ...(c.args ?? [])].join(" ").includes("vm.max_map_count")),
};

export const nodeFunctionOwners: Probe = {
    id: "domino-node-functions",
    title: "every node function has one owner on the real nodes: no second device plugin, exporter or tuner",
    remediation: "delete the extra DaemonSet, or set domino.nodeFunctions.<function> to the owner that really runs it (docs/node-functions.md) and `pulumi up`",
    async run(ctx) {
        const t = ctx.target;
        const [dss, ns] = await Promise.all([
            ctx.client.get<{ items?: DaemonSet[] }>("/apis/apps/v1/daemonsets"),
            ctx.client.get<{ items?: Node[] }>("/api/v1/nodes"),
        ]);
        for (const r of [dss, ns]) if (r.status >= 300) throw new Error(`listing answered ${r.status}: ${r.message}`);
        const nodes = (ns.body.items ?? []).map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {}, taints: n.spec?.taints ?? [] }));
        const domino = nodes.filter((n) => t.pools.some((p) => Object.entries(p.labels).every(([k, v]) => n.labels[k] === v)));
        // Where the program's own agents belong: the device plugin on GPU pools, the tuner on platform pools.
        const programScope: Partial<Record<NodeFunction, readonly string[]>> = {
            gpuDevicePlugin: poolsWithRole(t.pools, "gpu").map((p) => p.name),
            sysctl: poolsWithRole(t.pools, "platform").map((p) => p.name),
        };
        const checks: Check[] = [];
        for (const [fn, matches] of Object.entries(signatures) as [NodeFunction, NonNullable<(typeof signatures)[NodeFunction]>][]) {
            const doers = (dss.body.items ?? []).filter((ds) => matches(ds, ds.spec?.template?.spec ?? {}));
            const owner = t.nodeFunctions[fn];
            for (const node of domino) {
                const here = doers
                    .filter((ds) => whyNotOn(ds.spec?.template?.spec ?? {}, node) === undefined)
                    .map((ds) => `${ds.metadata.namespace}/${ds.metadata.name}`);
                const pool = t.pools.find((p) => Object.entries(p.labels).every(([k, v]) => node.labels[k] === v))!;
                const mustHaveOne = owner === "program" && (programScope[fn] ?? []).includes(pool.name);
                if (here.length === 0 && !mustHaveOne) continue;
                checks.push({
                    identity: "the verifier (read)",
                    request: `DaemonSets doing ${fn} that would run on node ${node.name} (pool ${pool.name})`,
                    expected: mustHaveOne ? "exactly one (the program's)" : `at most one (owner: ${owner})`,
                    actual: here.length ? here.join(", ") : "none",
                    holds: mustHaveOne ? here.length === 1 : here.length <= 1,
                });
            }
        }
        if (checks.length === 0)
            checks.push({
                identity: "the verifier (read)",
                request: "DaemonSets doing a node function on Domino's nodes",
                expected: "at most one per function and node",
                actual: `none on ${domino.length} Domino node(s)`,
                holds: domino.length > 0,
            });
        return { checks };
    },
};
