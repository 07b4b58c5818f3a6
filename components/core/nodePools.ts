// The cloud-independent node pool model: which labels and taints each Domino pool
// carries, and what a workload needs (node selector, affinity, tolerations) to land
// on a chosen set of pools and nowhere else. Pure functions, shared by the
// components, the policies and the tests.

import type { PoolRole, TaintEffect } from "./vocabulary";

export const labelKeys = {
    nodePool: "dominodatalab.com/node-pool",
    dominoNode: "dominodatalab.com/domino-node",
    buildNode: "dominodatalab.com/build-node",
    gpu: "nvidia.com/gpu",
} as const;

export const taintKeys = {
    gpu: "nvidia.com/gpu",
    dedicated: "dominodatalab.com/dedicated",
} as const;

/** Domino's default `node-pool` label value per role. */
export const defaultNodePoolLabel: Readonly<Record<PoolRole, string>> = {
    platform: "platform",
    compute: "default",
    gpu: "default-gpu",
};

export interface Taint {
    readonly key: string;
    readonly value?: string;
    readonly effect: TaintEffect;
}

export interface Toleration {
    readonly key?: string;
    readonly operator?: "Equal" | "Exists";
    readonly value?: string;
    readonly effect?: TaintEffect;
}

export interface NodePool {
    readonly name: string;
    readonly role: PoolRole;
    /** Value of `dominodatalab.com/node-pool` on this pool's nodes. */
    readonly nodePoolLabel: string;
    /** Every label the pool's nodes carry because of us. */
    readonly labels: Readonly<Record<string, string>>;
    /** Every taint the pool's nodes carry because of us. */
    readonly taints: readonly Taint[];
    /** What a pod must tolerate to land here, where the cloud taints the nodes too; else one toleration per taint. */
    readonly tolerations?: readonly Toleration[];
}

export interface PoolLabelInput {
    readonly role: PoolRole;
    readonly nodePoolLabel: string;
    readonly extraLabels?: Readonly<Record<string, string>>;
}

/** Labels of a Domino pool: the conventions Domino operators know, then the stack's extras. */
export function poolLabels(input: PoolLabelInput): Record<string, string> {
    const labels: Record<string, string> = {
        [labelKeys.nodePool]: input.nodePoolLabel,
        [labelKeys.dominoNode]: "true",
    };
    if (input.role === "compute") labels[labelKeys.buildNode] = "true";
    if (input.role === "gpu") labels[labelKeys.gpu] = "true";
    return { ...labels, ...(input.extraLabels ?? {}) };
}

/**
 * The label of the cluster's own pool in a cluster the program creates: no Domino label,
 * no taint, so the cluster's system workloads (DNS, CSI controllers) have somewhere to
 * run when every Domino pool is tainted. Not a Domino pool; the pack knows it by this.
 */
export const systemPoolLabel = { key: "domino-tenancy/pool", value: "system" } as const;

/** The taint that keeps every other tenant off a dedicated Domino pool. */
export function dedicatedTaint(deploymentName: string): Taint {
    return { key: taintKeys.dedicated, value: deploymentName, effect: "NoSchedule" };
}

export interface PoolTaintInput {
    readonly role: PoolRole;
    readonly gpuTaintEffect: TaintEffect;
    /** Set in dedicated isolation. */
    readonly dedicated?: Taint;
    readonly extraTaints?: readonly Taint[];
}

/** Taints of a Domino pool: GPU pools repel non-GPU work, dedicated pools repel other tenants. */
export function poolTaints(input: PoolTaintInput): Taint[] {
    const taints: Taint[] = [];
    if (input.role === "gpu") taints.push({ key: taintKeys.gpu, value: "true", effect: input.gpuTaintEffect });
    if (input.dedicated) taints.push(input.dedicated);
    return [...taints, ...(input.extraTaints ?? [])];
}

/** One toleration per taint, as exact as the taint itself. */
export function tolerationsFor(taints: readonly Taint[]): Toleration[] {
    const seen = new Set<string>();
    const tolerations: Toleration[] = [];
    for (const taint of taints) {
        const id = `${taint.key}=${taint.value ?? ""}:${taint.effect}`;
        if (seen.has(id)) continue;
        seen.add(id);
        tolerations.push(
            taint.value === undefined
                ? { key: taint.key, operator: "Exists", effect: taint.effect }
                : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect },
        );
    }
    return tolerations;
}

/**
 * Tolerations of a pool's workloads. With `anyGpuTaint` (a cloud that taints GPU nodes
 * itself, with its own value and effect) the GPU taint is tolerated by key alone
 * (operator Exists, no effect): that covers our taint and the cloud's. Safe because the
 * key only repels non-GPU work from GPU nodes; placement still comes from the selector,
 * and every other taint (dedicated, the stack's own) keeps its exact toleration.
 */
export function poolTolerations(taints: readonly Taint[], anyGpuTaint: boolean): Toleration[] {
    if (!anyGpuTaint || !taints.some((t) => t.key === taintKeys.gpu)) return tolerationsFor(taints);
    return [{ key: taintKeys.gpu, operator: "Exists" }, ...tolerationsFor(taints.filter((t) => t.key !== taintKeys.gpu))];
}

export interface NodeSelectorRequirement {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: string[];
}

/** What a pod needs to run on exactly the given pools. */
export interface Placement {
    readonly nodeSelector: Record<string, string>;
    /** Required node affinity, when a single label cannot name the pools. */
    readonly requiredNodeAffinity?: NodeSelectorRequirement[];
    readonly tolerations: Toleration[];
}

/**
 * Placement on a set of pools: a plain node selector where one label names them all
 * (every Domino pool, or one pool), otherwise required affinity on the node-pool label.
 * Tolerations cover every taint of every chosen pool, and nothing more.
 */
export function placeOn(chosen: readonly NodePool[], all: readonly NodePool[]): Placement {
    if (chosen.length === 0) throw new Error("placeOn: no pool was chosen; a workload placed nowhere would never schedule");
    const seen = new Set<string>();
    const tolerations = chosen
        .flatMap((p) => p.tolerations ?? tolerationsFor(p.taints))
        .filter((t) => !seen.has(JSON.stringify(t)) && seen.add(JSON.stringify(t)) !== undefined);
    if (chosen.length === all.length && all.every((p) => chosen.includes(p))) {
        return { nodeSelector: { [labelKeys.dominoNode]: "true" }, tolerations };
    }
    if (chosen.length === 1) {
        return { nodeSelector: { [labelKeys.nodePool]: chosen[0].nodePoolLabel }, tolerations };
    }
    return {
        nodeSelector: { [labelKeys.dominoNode]: "true" },
        requiredNodeAffinity: [{ key: labelKeys.nodePool, operator: "In", values: chosen.map((p) => p.nodePoolLabel) }],
        tolerations,
    };
}

export function poolsWithRole(pools: readonly NodePool[], ...roles: PoolRole[]): NodePool[] {
    return pools.filter((p) => roles.includes(p.role));
}
