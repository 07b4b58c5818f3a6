import type { NodePool, Taint } from "@domino-tenancy/core";

/** EKS and GKE both spell taint effects in upper snake case. */
const cloudEffect: Record<Taint["effect"], string> = {
    NoSchedule: "NO_SCHEDULE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
};

/** A pool's taints in the managed clouds' API shape. */
export function cloudTaints(pool: NodePool): { key: string; value: string; effect: string }[] {
    return pool.taints.map((t) => ({ key: t.key, value: t.value ?? "", effect: cloudEffect[t.effect] }));
}
