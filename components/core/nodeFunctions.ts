// Node-level functions: the few jobs that need an agent on every Domino node (or the
// node's own configuration), and who does each. Exactly one owner per function, so a
// deployment never runs two log shippers, two exporters or two device plugins:
//   domino  - Domino's own DaemonSet, switched on in the generated Domino config (and
//             scoped to Domino's nodes by its `global_node_selectors`);
//   cluster - the cluster's admins or the cloud do it; Domino's is switched off;
//   program - this program deploys it.
// Which owners a function allows follows from what exists: `domino` only where Domino's
// config has a switch, `program` only where this program has a real implementation.
// Pure data and functions: the model, the generated config and the report share them.

import type { CloudName } from "./vocabulary";

export const nodeFunctions = ["logs", "nodeMetrics", "imageCache", "registryCertificates", "gpuDevicePlugin", "sysctl"] as const;
export type NodeFunction = (typeof nodeFunctions)[number];

export const nodeFunctionOwners = ["domino", "cluster", "program"] as const;
export type NodeFunctionOwner = (typeof nodeFunctionOwners)[number];

export interface NodeFunctionSpec {
    /** What the function is, for the report and docs/node-functions.md. */
    readonly title: string;
    /** Owners a stack may choose, in the order docs/node-functions.md lists them. */
    readonly allowed: readonly NodeFunctionOwner[];
    /** The Domino config key (dotted) that switches Domino's own agent; absent where Domino has none. */
    readonly dominoKey?: string;
    /** Why an owner outside `allowed` is refused: named in the config error. */
    readonly whyNot: string;
}

/**
 * Keys from Domino's installer configuration reference (admin guide page 7f4331) and the
 * 6.x generated config: monitoring.prometheus_metrics, gpu.enabled, image_caching.enabled,
 * certificate_management.enabled. Domino documents no switch for its log shipper (fluentd
 * feeds the Jobs and Workspaces log views) and none for vm.max_map_count.
 */
export const nodeFunctionSpecs: Readonly<Record<NodeFunction, NodeFunctionSpec>> = {
    logs: {
        title: "log shipping (fluentd: run logs for Domino's dashboards)",
        allowed: ["domino"],
        whyNot: "Domino's fluentd feeds its own Jobs and Workspaces logs and its config has no switch to turn it off; the cluster's shipper may read the same nodes for its own purposes, but Domino's logs stay Domino's",
    },
    nodeMetrics: {
        title: "node metrics (prometheus-node-exporter)",
        allowed: ["domino", "cluster"],
        dominoKey: "monitoring.prometheus_metrics",
        whyNot: "this program has no node exporter of its own",
    },
    imageCache: {
        title: "image cache (image-cache-agent on compute nodes)",
        allowed: ["domino", "cluster"],
        dominoKey: "image_caching.enabled",
        whyNot: "this program has no image cache of its own",
    },
    registryCertificates: {
        title: "registry certificates (CA of Domino's registry on each node)",
        allowed: ["domino", "cluster"],
        dominoKey: "certificate_management.enabled",
        whyNot: "this program has no registry-certificate agent of its own",
    },
    gpuDevicePlugin: {
        title: "GPU device plugin (advertises nvidia.com/gpu)",
        allowed: ["domino", "cluster", "program"],
        dominoKey: "gpu.enabled",
        whyNot: "",
    },
    sysctl: {
        title: "vm.max_map_count for Elasticsearch (platform pool)",
        allowed: ["cluster", "program"],
        whyNot: "Domino's config has no switch for it",
    },
};

export type NodeFunctionOwners = Readonly<Record<NodeFunction, NodeFunctionOwner>>;

/** Each function's owner and why it is that one (the stack's choice, or the cloud's default and its reason). */
export type ResolvedNodeFunctions = Readonly<Record<NodeFunction, { readonly owner: NodeFunctionOwner; readonly reason: string }>>;

/** Whether an owner is allowed for a function; the message says what is allowed and why the rest is not. */
export function checkOwner(fn: NodeFunction, owner: NodeFunctionOwner): string | undefined {
    const spec = nodeFunctionSpecs[fn];
    if (spec.allowed.includes(owner)) return undefined;
    return `'${owner}' is not allowed for ${fn}: ${spec.whyNot}; allowed: ${spec.allowed.join(", ")}`;
}

/** Per-cloud facts the defaults follow; the cloud profiles answer them. */
export interface NodeFunctionCloudFacts {
    readonly cloud: CloudName;
    /** The cloud runs its own device plugin on GPU pools (GKE). */
    readonly cloudRunsDevicePlugin: boolean;
    /** The cloud's node image already sets vm.max_map_count high enough (EKS AL2023). */
    readonly nodesSetMaxMapCount: boolean;
}

/**
 * Defaults, where a stack names no owner:
 * - logs, node metrics, image cache, registry certificates: domino. Domino's agents are the
 *   real ones (its Prometheus polls its exporter, its image-cache API feeds its agent), and
 *   `global_node_selectors` keeps them on Domino's nodes.
 * - GPU device plugin: cluster where the cloud runs one (GKE); otherwise program, because
 *   this program's plugin is scoped to GPU pools and tolerates their taints, while an
 *   adopted cluster's admins who run their own say `cluster`.
 * - sysctl: cluster where the node image already sets enough (EKS AL2023); otherwise program.
 */
export function defaultOwners(facts: NodeFunctionCloudFacts): Readonly<Record<NodeFunction, { owner: NodeFunctionOwner; reason: string }>> {
    const domino = (what: string) => ({ owner: "domino" as const, reason: `Domino's own ${what}, scoped to Domino's nodes` });
    return {
        logs: { owner: "domino", reason: "Domino's fluentd has no off switch" },
        nodeMetrics: domino("node exporter, polled by Domino's Prometheus"),
        imageCache: domino("image-cache agent, fed by Domino's image-cache API"),
        registryCertificates: domino("registry-certificate agent, for Domino's own registry"),
        gpuDevicePlugin: facts.cloudRunsDevicePlugin
            ? { owner: "cluster", reason: `${facts.cloud}: the cloud installs its own device plugin on GPU pools` }
            : { owner: "program", reason: `${facts.cloud}: NVIDIA's plugin, scoped to GPU pools (set cluster where the admins run their own)` },
        sysctl: facts.nodesSetMaxMapCount
            ? { owner: "cluster", reason: `${facts.cloud}: the node image already sets vm.max_map_count high enough` }
            : { owner: "program", reason: `${facts.cloud}: set on the platform pool by this program` },
    };
}

/** Domino's own agents, on or off, in the generated config's vocabulary: on exactly where Domino owns the function. */
export interface DominoAgentSwitches {
    /** monitoring.prometheus_metrics */
    readonly prometheusMetrics: boolean;
    /** image_caching.enabled */
    readonly imageCaching: boolean;
    /** certificate_management.enabled */
    readonly certificateManagement: boolean;
    /** gpu.enabled */
    readonly gpu: boolean;
}

export function dominoAgentSwitches(owners: NodeFunctionOwners): DominoAgentSwitches {
    return {
        prometheusMetrics: owners.nodeMetrics === "domino",
        imageCaching: owners.imageCache === "domino",
        certificateManagement: owners.registryCertificates === "domino",
        gpu: owners.gpuDevicePlugin === "domino",
    };
}

export function ownersOf(resolved: ResolvedNodeFunctions): NodeFunctionOwners {
    return Object.fromEntries(nodeFunctions.map((fn) => [fn, resolved[fn].owner])) as Record<NodeFunction, NodeFunctionOwner>;
}
