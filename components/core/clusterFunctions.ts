// Cluster-wide functions Domino's generated config can install itself: the cluster
// autoscaler, metrics-server, Domino's StorageClasses and certificate management. The
// sibling of nodeFunctions.ts, with the same owners and the same rule: exactly one each.
//   domino  - Domino's own copy, switched on in the generated config;
//   cluster - the cluster's admins or the cloud run it; Domino's is switched off;
//   program - this program deploys it.
// What an owner may be depends on the cluster (the program runs a cluster autoscaler only
// on a created EKS cluster whose pools scale), so the allowed set is a function of facts.
// Pure data and functions: the model, the generated config and the report share them.

import type { CloudName } from "./vocabulary";
import { nodeFunctionOwners, type NodeFunctionOwner } from "./nodeFunctions";

export const clusterFunctions = ["clusterAutoscaler", "metricsServer", "storageClasses", "certificateManagement"] as const;
export type ClusterFunction = (typeof clusterFunctions)[number];

/** The same three owners as node functions. */
export const clusterFunctionOwners = nodeFunctionOwners;
export type ClusterFunctionOwner = NodeFunctionOwner;

/**
 * Each function's title, for the report and docs/node-functions.md. Domino's keys (which the
 * generated config writes, components/kubernetes/installer.ts, and the plan reads back,
 * plan/clusterFunctionOwners.ts) all come from the public rendered 6.2.2 `Domino` resource,
 * a public rendered copy rather than Domino's docs (shared/reference/domino.md, "a working
 * 6.2.2 resource"); docs/installing-domino.md's key table cites them per key.
 */
export const clusterFunctionSpecs: Readonly<Record<ClusterFunction, { readonly title: string }>> = {
    clusterAutoscaler: { title: "cluster autoscaler (grows and shrinks the node pools)" },
    metricsServer: { title: "metrics-server (the metrics.k8s.io API)" },
    storageClasses: { title: "Domino's StorageClasses (block and shared)" },
    certificateManagement: { title: "certificate management (Domino's certificate issuing)" },
};

/** What the allowed owners and the defaults follow; the model answers them from the cloud profile and the cluster. */
export interface ClusterFunctionFacts {
    readonly cloud: CloudName;
    /** This program runs its own cluster-autoscaler on this cluster (a created EKS cluster with a pool that can scale). */
    readonly programRunsAutoscaler: boolean;
    /** Who scales the pools where the program does not, for the default's reason. */
    readonly autoscalerElsewhere: string;
    /** Who runs metrics-server on this cloud, for the default's reason. */
    readonly metricsServerBy: string;
}

/** The owners a function allows on this cluster, and why the others are refused. */
export function allowedClusterOwners(
    fn: ClusterFunction,
    facts: ClusterFunctionFacts,
): { readonly allowed: readonly ClusterFunctionOwner[]; readonly whyNot: string } {
    switch (fn) {
        case "clusterAutoscaler":
            return facts.programRunsAutoscaler
                ? {
                      allowed: ["program", "cluster"],
                      whyNot: "it would be a second owner beside program: this program runs its own cluster-autoscaler on this cluster (created, with a pool that can scale), and Domino's would scale the same node groups",
                  }
                : {
                      allowed: ["domino", "cluster"],
                      whyNot: `this program runs no cluster-autoscaler here (only on a created EKS cluster with a pool that can scale); the owner is cluster: ${facts.autoscalerElsewhere}`,
                  };
        case "metricsServer":
            return { allowed: ["domino", "cluster"], whyNot: "this program runs no metrics-server of its own" };
        case "storageClasses":
            // Domino's own classes would lose what the program's carry: the deployment prefix, the reclaim
            // policy data protection decides, and the parameters a created cluster supplies (the EFS id).
            return {
                allowed: ["program"],
                whyNot: "this program creates Domino's StorageClasses (prefixed names, reclaim policy from dataProtection, the created cluster's EFS file system) and has no mode that leaves them to anyone else",
            };
        case "certificateManagement":
            return { allowed: ["domino", "cluster"], whyNot: "this program runs no certificate management of its own" };
    }
}

/** Each function's owner and why it is that one. */
export type ResolvedClusterFunctions = Readonly<Record<ClusterFunction, { readonly owner: ClusterFunctionOwner; readonly reason: string }>>;

/** Whether an owner is allowed for a function on this cluster; the message names the owner, what is allowed and why. */
export function checkClusterOwner(fn: ClusterFunction, owner: ClusterFunctionOwner, facts: ClusterFunctionFacts): string | undefined {
    const { allowed, whyNot } = allowedClusterOwners(fn, facts);
    if (allowed.includes(owner)) return undefined;
    return `'${owner}' is not allowed for ${fn}: ${whyNot}; allowed: ${allowed.join(", ")}`;
}

/**
 * Defaults, where a stack names no owner:
 * - cluster autoscaler: program where the program runs one (EKS it created), else cluster
 *   (GKE scales its pools itself; an adopted cluster's admins run theirs).
 * - metrics-server: cluster on every cloud. Its API (the APIService v1beta1.metrics.k8s.io)
 *   exists once per cluster and cannot carry the deployment prefix, so Domino's copy would
 *   take the cluster's API over and is refused by cluster-scoped-names-prefixed at
 *   admission. GKE runs one; EKS does not by default, and there the cluster's owner adds
 *   EKS's metrics-server add-on rather than a tenant installing a cluster-wide API.
 * - storage classes: program (the only owner allowed, see allowedClusterOwners).
 * - certificate management: domino, as Domino ships; cluster where the cluster runs its own
 *   (the public 6.2.2 resource sets certificate_management.install: false there).
 */
export function defaultClusterOwners(facts: ClusterFunctionFacts): ResolvedClusterFunctions {
    return {
        clusterAutoscaler: facts.programRunsAutoscaler
            ? { owner: "program", reason: `${facts.cloud}: this program runs the cluster-autoscaler of the cluster it created` }
            : { owner: "cluster", reason: `${facts.cloud}: ${facts.autoscalerElsewhere}` },
        metricsServer: { owner: "cluster", reason: `${facts.cloud}: ${facts.metricsServerBy}; one metrics.k8s.io API per cluster` },
        storageClasses: { owner: "program", reason: "this program creates Domino's StorageClasses" },
        certificateManagement: { owner: "domino", reason: "Domino's own, as Domino ships (set cluster where the cluster runs its own)" },
    };
}

/** Domino's own copies, on or off, in the generated config's vocabulary: on exactly where Domino owns the function. */
export interface DominoClusterSwitches {
    /** release_overrides.cluster-autoscaler.installed (false turns Domino's off; omitted, Domino installs its own) */
    readonly clusterAutoscaler: boolean;
    /** metrics_server.install */
    readonly metricsServer: boolean;
    /** storage_classes.block.create and storage_classes.shared.create */
    readonly storageClasses: boolean;
    /** certificate_management.install */
    readonly certificateManagement: boolean;
}

export function dominoClusterSwitches(resolved: ResolvedClusterFunctions): DominoClusterSwitches {
    const domino = (fn: ClusterFunction) => resolved[fn].owner === "domino";
    return {
        clusterAutoscaler: domino("clusterAutoscaler"),
        metricsServer: domino("metricsServer"),
        storageClasses: domino("storageClasses"),
        certificateManagement: domino("certificateManagement"),
    };
}
