// What the dedicated-placement policy (components/kubernetes/dedicatedPlacement.ts, a
// MutatingAdmissionPolicy bound to Domino's namespaces under dedicated isolation) will do
// to a pod template at admission, as a pure function on the template: the static
// scheduling analysis judges a template in a namespace the policy binds as the policy
// will admit it, so a template that lacks only the toleration the policy adds (Domino's
// Platform Operator's Deployment, which tolerates nothing) is not refused for it.
// The policy's CEL and this function state the same three additions; the dedicated
// placement spec checks them against each other.

import { labelKeys, taintKeys, type Taint, type Toleration, tolerationsFor } from "./nodePools";
import { dominoLabelPrefix, type NodeShape, type PodScheduling, tolerates } from "./scheduling";
import type { PoolRole } from "./vocabulary";

export const dedicatedPlacementName = (deploymentName: string) => `${deploymentName}-dedicated-placement`;

/** The GPU taint's toleration for DaemonSet pods: the key alone, whatever value and effect the cloud's taint has. */
export const daemonSetGpuToleration: Toleration = { key: taintKeys.gpu, operator: "Exists" };

export interface PlacementMutationArgs {
    readonly dedicatedTaint: Taint;
    readonly pools: readonly (NodeShape & { readonly role: PoolRole | undefined })[];
    readonly computeNamespace: string;
    /** The template's namespace: the compute namespace's pods go to the compute pool, every other one's to platform. */
    readonly namespace: string;
    /** A DaemonSet's template (or a pod a DaemonSet owns): with GPU pools it also gets the GPU taint's toleration. */
    readonly daemonSet: boolean;
}

/** Whether a template chooses a pool itself: a Domino label in its node selector or a required affinity term. */
export function selectsDominoPool(spec: PodScheduling): boolean {
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    return (
        Object.keys(spec.nodeSelector ?? {}).some((k) => k.startsWith(dominoLabelPrefix)) ||
        terms.some((t) => (t.matchExpressions ?? []).some((r) => r.key.startsWith(dominoLabelPrefix)))
    );
}

/** The template as the placement policy admits it: the dedicated toleration, the GPU one for DaemonSets, the implied pool. */
export function asPlacementAdmits<T extends PodScheduling>(spec: T, args: PlacementMutationArgs): T {
    const tolerations = [...(spec.tolerations ?? [])];
    if (!tolerations.some((t) => tolerates(t, args.dedicatedTaint))) tolerations.push(tolerationsFor([args.dedicatedTaint])[0]);
    const gpuTolerated = tolerations.some((t) => !t.effect && t.operator === "Exists" && (!t.key || t.key === taintKeys.gpu));
    if (args.daemonSet && args.pools.some((p) => p.role === "gpu") && !gpuTolerated) tolerations.push(daemonSetGpuToleration);
    if (selectsDominoPool(spec)) return { ...spec, tolerations };
    const role: PoolRole = args.namespace === args.computeNamespace ? "compute" : "platform";
    const pool = args.pools.find((p) => p.role === role)?.labels[labelKeys.nodePool];
    // No pool of that role: the policy's CEL would not exist (its builder throws); leave the placement as it is.
    if (pool === undefined) return { ...spec, tolerations };
    return { ...spec, tolerations, nodeSelector: { ...(spec.nodeSelector ?? {}), [labelKeys.nodePool]: pool } };
}
