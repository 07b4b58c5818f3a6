// The cluster Domino runs in, typed by cloud, with its pools: the cloud's own rules live in
// ./aws.ts, ./gcp.ts and ./existing.ts; what every managed cloud shares lives here.

import type { CloudProfile, ManagedCloudProfile } from "../../cloud/profiles";
import type { Taint } from "@domino-tenancy/core";
import type { Issues } from "../issues";
import { type ManagedNodePool, resolvePools, sizedBy, unsized } from "../pools/model";
import type { NodePoolConfig } from "../pools/schema";
import { type AwsClusterModel, awsCluster } from "./aws";
import { type ExistingClusterModel, existingCluster } from "./existing";
import { type GcpClusterModel, gcpCluster, rejectGkeSettings } from "./gcp";
import type { ClusterConfig } from "./schema";
import { resolveSystemPool } from "./managed";

/** The cluster Domino runs in, typed by cloud: each cloud's model has exactly the fields it uses. */
export type ClusterModel = AwsClusterModel | GcpClusterModel | ExistingClusterModel;

/** What the cluster is resolved from: its own settings, the pools and the isolation that taints them. */
export interface ClusterInputs {
    readonly cloud: "aws" | "gcp" | "existing";
    readonly cluster: ClusterConfig;
    readonly nodePools?: readonly NodePoolConfig[];
    readonly isolation: "shared" | "dedicated";
}

/** The cluster and its pools; the pools' issues are listed before the cluster's. */
export function resolveCluster(config: ClusterInputs, profile: CloudProfile, stack: string, dedicated: Taint | undefined, issues: Issues): ClusterModel {
    if (config.cluster.access !== undefined && config.cloud !== "aws") {
        issues.add(["cluster", "access"], `is an AWS setting (EKS access entries), not used with cloud '${config.cloud}'; remove it`);
    }
    return profile.managesNodePools
        ? managedCluster(config, profile, stack, resolvePools(config.nodePools, profile, dedicated, sizedBy(profile, issues), issues), issues)
        : existingCluster(config.cluster, stack, resolvePools(config.nodePools, profile, dedicated, unsized(profile, issues), issues), issues);
}

/** An EKS or GKE cluster: named, in a region or location, its pools sized. */
function managedCluster(
    config: ClusterInputs,
    profile: ManagedCloudProfile,
    stack: string,
    pools: ManagedNodePool[],
    issues: Issues,
): AwsClusterModel | GcpClusterModel {
    const c = config.cluster;
    const mode = c.mode ?? "create";
    if (!c.name) issues.add(["cluster", "name"], `is required for cloud '${profile.name}'`);
    if (c.kubeconfigPath !== undefined || c.context !== undefined) {
        issues.add(
            ["cluster", c.kubeconfigPath !== undefined ? "kubeconfigPath" : "context"],
            `is only used with cloud 'existing' (the ${profile.name} cluster's kubeconfig is built from the cluster)`,
        );
    }
    // The name's fallback and the empty strings of each cloud's model only fill a model that is never returned: each comes with an issue.
    const name = c.name ?? stack;
    const systemPool = resolveSystemPool(c, mode, config.isolation, profile, issues);
    if (profile.name !== "gcp") rejectGkeSettings(c, profile.name, issues);
    const basis = { c, mode, name, pools, systemPool };
    switch (profile.name) {
        case "aws":
            return awsCluster(basis, issues);
        case "gcp":
            return gcpCluster(basis, issues);
    }
}

/** Fewest platform nodes the deployment runs with: the platform pool's minimum where the program sizes it, else one. */
export function minPlatformNodes(cluster: ClusterModel): number {
    if (cluster.cloud === "existing") return 1;
    return Math.min(...cluster.pools.filter((p) => p.role === "platform").map((p) => p.minSize));
}
