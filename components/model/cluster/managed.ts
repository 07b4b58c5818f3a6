// What the managed clouds (EKS, GKE) share: a created cluster's own pool, for the cluster's
// system workloads and other tenants, and what each cloud's rules start from.

import type { ManagedCloudProfile } from "../../cloud/profiles";
import type { Issues } from "../issues";
import type { ManagedNodePool } from "../pools/model";
import type { ClusterConfig } from "./schema";

/** A created cluster's own pool: no Domino label, no taint, a fixed size (see core systemPoolLabel). */
export interface SystemPool {
    readonly machineType: string;
    readonly nodes: number;
}

/** A managed cluster as the shared rules leave it, for its cloud's own rules to finish. */
export interface ManagedClusterBasis {
    readonly c: ClusterConfig;
    readonly mode: "create" | "adopt";
    readonly name: string;
    readonly pools: ManagedNodePool[];
    readonly systemPool?: SystemPool;
}

/**
 * Every Domino pool is tainted under dedicated isolation: without a pool of its own, a
 * created cluster's DNS and CSI controllers would have no node to run on. So a created
 * cluster gets one then, or when the stack asks; an adopted cluster keeps its own pools.
 */
export function resolveSystemPool(
    c: ClusterConfig,
    mode: "create" | "adopt",
    isolation: "shared" | "dedicated",
    profile: ManagedCloudProfile,
    issues: Issues,
): SystemPool | undefined {
    if (mode === "adopt" && c.systemPool !== undefined)
        issues.add(["cluster", "systemPool"], "is only used when the program creates the cluster (mode create); an adopted cluster keeps its own pools");
    return mode === "create" && (isolation === "dedicated" || c.systemPool !== undefined)
        ? { machineType: c.systemPool?.machineType ?? profile.systemPool.machineType, nodes: c.systemPool?.nodes ?? profile.systemPool.nodes }
        : undefined;
}
