// Domino's node pools: one platform pool and at least one compute pool, each with its
// role's labels and taints, sized from the cloud's defaults where the program creates them.

import type { AdoptedCloudProfile, CloudProfile, ManagedCloudProfile, PoolDefaults, PoolSizing } from "../../cloud/profiles";
import {
    defaultNodePoolLabel,
    labelKeys,
    type NodePool,
    type PoolRole,
    poolLabels,
    poolTaints,
    poolTolerations,
    type Taint,
    taintKeys,
} from "@domino-tenancy/core";
import type { Issues } from "../issues";
import { defaultGpuSettings, type NodePoolConfig } from "./schema";

export interface GpuSpec {
    /** Accelerator type where the cloud needs one (GKE); undefined where the machine type implies it. */
    readonly type?: string;
    readonly count: number;
    readonly driver: "DEFAULT" | "LATEST" | "INSTALLATION_DISABLED";
}

/** A pool the program creates in a managed cloud: the pool's labels and taints, and how its nodes are sized. */
export interface ManagedNodePool extends NodePool, PoolSizing {
    /** Set on pools with role gpu. */
    readonly gpu?: GpuSpec;
}

const defaultPools: NodePoolConfig[] = [
    { name: "platform", role: "platform", labels: {}, taints: [] },
    { name: "compute", role: "compute", labels: {}, taints: [] },
    { name: "gpu", role: "gpu", labels: {}, taints: [] },
];

/** The per-pool part of a pool's model that depends on the cloud: its sizing, or nothing on an adopted cluster. */
export type PoolFinisher<P extends NodePool> = (given: NodePoolConfig, pool: NodePool, at: (...rest: PropertyKey[]) => PropertyKey[]) => P;

function checkSizes(
    role: PoolRole,
    minSize: number | undefined,
    maxSize: number | undefined,
    at: (...rest: PropertyKey[]) => PropertyKey[],
    issues: Issues,
): void {
    if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
        issues.add(at("minSize"), `is ${minSize}, above maxSize ${maxSize}; allowed: 0..maxSize`);
    }
    if (role === "platform" && minSize === 0) issues.add(at("minSize"), "must be at least 1: Domino's platform services always need a node");
}

/** Managed clouds: every pool sized, the stack's values over the cloud's defaults for the role. */
export function sizedBy(profile: ManagedCloudProfile, issues: Issues): PoolFinisher<ManagedNodePool> {
    return (given, pool, at) => {
        const defaults: PoolDefaults = profile.pools[given.role];
        const sizing: PoolSizing = {
            machineType: given.machineType ?? defaults.machineType,
            minSize: given.minSize ?? defaults.minSize,
            maxSize: given.maxSize ?? defaults.maxSize,
            diskSizeGb: given.diskSizeGb ?? defaults.diskSizeGb,
        };
        checkSizes(given.role, sizing.minSize, sizing.maxSize, at, issues);
        const gpuSettings = given.gpu ?? defaultGpuSettings;
        const gpu = given.role === "gpu" ? { type: gpuSettings.type ?? defaults.gpuType, count: gpuSettings.count, driver: gpuSettings.driver } : undefined;
        return { ...pool, ...sizing, gpu };
    };
}

/** Adopted clusters: the nodes exist, so sizing them here would be a silent no-op; it is refused. */
export function unsized(profile: AdoptedCloudProfile, issues: Issues): PoolFinisher<NodePool> {
    return (given, pool, at) => {
        for (const key of ["machineType", "minSize", "maxSize", "diskSizeGb"] as const) {
            if (given[key] !== undefined) issues.add(at(key), `is not used with cloud '${profile.name}' (its nodes already exist); remove it`);
        }
        if (given.gpu?.type !== undefined) issues.add(at("gpu", "type"), `is not used with cloud '${profile.name}'; remove it`);
        checkSizes(given.role, given.minSize, given.maxSize, at, issues);
        return pool;
    };
}

/** Every pool (the defaults when the stack lists none): roles counted, names and labels unique, reserved keys refused. */
export function resolvePools<P extends NodePool>(
    given: readonly NodePoolConfig[] | undefined,
    profile: CloudProfile,
    dedicated: Taint | undefined,
    finish: PoolFinisher<P>,
    issues: Issues,
): P[] {
    const pools = given ?? defaultPools;
    const at = (i: number, ...rest: PropertyKey[]): PropertyKey[] => (given ? ["nodePools", i, ...rest] : ["nodePools"]);
    const byRole = (role: PoolRole) => pools.filter((p) => p.role === role).length;
    if (byRole("platform") !== 1) issues.add(["nodePools"], `needs exactly one pool with role platform (found ${byRole("platform")})`);
    if (byRole("compute") < 1) issues.add(["nodePools"], "needs at least one pool with role compute");

    const names = new Map<string, number>();
    const poolLabelsSeen = new Map<string, number>();
    const reservedLabels = new Set<string>(Object.values(labelKeys));
    const reservedTaints = new Set<string>(Object.values(taintKeys));

    return pools.map((pool, i): P => {
        if (names.has(pool.name)) issues.add(at(i, "name"), `'${pool.name}' is already used by nodePools[${names.get(pool.name)}]; pool names must be unique`);
        names.set(pool.name, i);
        const nodePoolLabel = pool.nodePoolLabel ?? defaultNodePoolLabel[pool.role];
        if (poolLabelsSeen.has(nodePoolLabel)) {
            issues.add(
                at(i, "nodePoolLabel"),
                `'${nodePoolLabel}' is already used by nodePools[${poolLabelsSeen.get(nodePoolLabel)}]; give each pool its own ${labelKeys.nodePool} value`,
            );
        }
        poolLabelsSeen.set(nodePoolLabel, i);

        for (const key of Object.keys(pool.labels)) {
            if (reservedLabels.has(key)) issues.add(at(i, "labels", key), `is set by the pool's role; remove it (reserved: ${[...reservedLabels].join(", ")})`);
        }
        pool.taints.forEach((t, j) => {
            if (reservedTaints.has(t.key))
                issues.add(
                    at(i, "taints", j, "key"),
                    `'${t.key}' is set by the pool's role and isolation; use another key (reserved: ${[...reservedTaints].join(", ")})`,
                );
        });
        if (pool.gpu && pool.role !== "gpu") issues.add(at(i, "gpu"), `is only allowed on pools with role gpu (this pool's role is ${pool.role})`);

        const taints = poolTaints({ role: pool.role, gpuTaintEffect: profile.gpuTaintEffect, dedicated, extraTaints: pool.taints });
        const base: NodePool = {
            name: pool.name,
            role: pool.role,
            nodePoolLabel,
            labels: poolLabels({ role: pool.role, nodePoolLabel, extraLabels: pool.labels }),
            taints,
            // Where the cloud taints GPU nodes itself (GKE), its taint is tolerated too.
            tolerations: poolTolerations(taints, profile.cloudTaintsGpuNodes),
        };
        return finish(pool, base, (...rest) => at(i, ...rest));
    });
}
