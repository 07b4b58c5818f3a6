// Static scheduling analysis: which node pools a pod template can land on, decided
// the way kube-scheduler decides it (node selector AND one required affinity term,
// every NoSchedule/NoExecute taint tolerated), but over the pools the stack declares
// instead of live nodes. Pure: the policies, the tenancy report and the tests share it.

import { labelKeys, type Taint } from "./nodePools";

export interface SchedulingRequirement {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
}

export interface SchedulingTerm {
    readonly matchExpressions?: readonly SchedulingRequirement[];
    readonly matchFields?: readonly SchedulingRequirement[];
}

/** The scheduling fields of a pod spec, as loosely typed as a plan or the engine gives them. */
export interface PodScheduling {
    readonly nodeSelector?: Readonly<Record<string, string>>;
    readonly affinity?: {
        readonly nodeAffinity?: {
            readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms?: readonly SchedulingTerm[] };
        };
    };
    readonly tolerations?: readonly TolerationLike[];
}

/** A toleration as a manifest states it: operator and effect are plain strings there. */
export interface TolerationLike {
    readonly key?: string;
    readonly operator?: string;
    readonly value?: string;
    readonly effect?: string;
}

/** A set of nodes that all carry the same labels and taints. */
export interface NodeShape {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly Taint[];
}

/**
 * Label keys every node gets from the kubelet or its cloud (os, arch, zone, instance
 * type...). A pool never declares them, so a requirement on them is assumed to hold
 * rather than reported as unschedulable.
 */
export const ambientLabelPrefixes = [
    "kubernetes.io/",
    "node.kubernetes.io/",
    "topology.kubernetes.io/",
    "beta.kubernetes.io/",
    "eks.amazonaws.com/",
    "cloud.google.com/",
];

function isAmbient(key: string): boolean {
    return ambientLabelPrefixes.some((p) => key.startsWith(p));
}

/** The prefix of every label only Domino's nodes carry. */
export const dominoLabelPrefix = "dominodatalab.com/";

export function tolerates(toleration: TolerationLike, taint: Taint): boolean {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    // An empty key with Exists tolerates every taint.
    if (!toleration.key) return toleration.operator === "Exists";
    if (toleration.key !== taint.key) return false;
    return toleration.operator === "Exists" || (toleration.value ?? "") === (taint.value ?? "");
}

/** PreferNoSchedule only discourages; NoSchedule and NoExecute keep a pod off. */
export function untoleratedTaints(tolerations: readonly TolerationLike[] | undefined, taints: readonly Taint[]): Taint[] {
    return taints.filter((t) => t.effect !== "PreferNoSchedule" && !(tolerations ?? []).some((tol) => tolerates(tol, t)));
}

/** Does a node with these labels satisfy one requirement? `label` says what is known about a key. */
function requirementHolds(req: SchedulingRequirement, label: (key: string) => string | undefined | "ambient"): boolean {
    const value = label(req.key);
    if (value === "ambient") return true;
    const values = req.values ?? [];
    switch (req.operator) {
        case "In":
            return value !== undefined && values.includes(value);
        case "NotIn":
            return value === undefined || !values.includes(value);
        case "Exists":
            return value !== undefined;
        case "DoesNotExist":
            return value === undefined;
        case "Gt":
        case "Lt": {
            if (value === undefined || values.length !== 1) return false;
            const [have, want] = [Number(value), Number(values[0])];
            return req.operator === "Gt" ? have > want : have < want;
        }
        default:
            return false;
    }
}

function selects(spec: PodScheduling, label: (key: string) => string | undefined | "ambient"): boolean {
    const selectorHolds = Object.entries(spec.nodeSelector ?? {}).every(([key, value]) => requirementHolds({ key, operator: "In", values: [value] }, label));
    if (!selectorHolds) return false;
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    // No terms: no constraint. Terms are ORed; the requirements of one term are ANDed.
    // matchFields name single nodes (metadata.name): they cannot narrow a pool, so they are assumed to hold.
    if (!terms || terms.length === 0) return true;
    return terms.some((term) => (term.matchExpressions ?? []).every((req) => requirementHolds(req, label)));
}

/** Why a pod cannot land on a node shape, or undefined when it can. */
export function whyNotOn(spec: PodScheduling, node: NodeShape): string | undefined {
    const known = (key: string) => (key in node.labels ? node.labels[key] : isAmbient(key) ? "ambient" : undefined);
    if (!selects(spec, known)) return "its node selector and required affinity do not match the pool's labels";
    const blocking = untoleratedTaints(spec.tolerations, node.taints);
    if (blocking.length > 0) return `it does not tolerate ${blocking.map((t) => `${t.key}=${t.value ?? ""}:${t.effect}`).join(", ")}`;
    return undefined;
}

/** The node shapes a pod can be scheduled on. */
export function landingPools<T extends NodeShape>(spec: PodScheduling, pools: readonly T[]): T[] {
    return pools.filter((p) => whyNotOn(spec, p) === undefined);
}

/**
 * Could the pod land on a node that is not Domino's? Other tenants' nodes are unknown:
 * they may carry any label except Domino's own (`dominodatalab.com/*`) and may have no
 * taints. So the pod stays on Domino's nodes only if every way it can be placed
 * requires one of Domino's labels to be present.
 */
export function canLandOutsideDomino(spec: PodScheduling): boolean {
    const foreign = (key: string) => (key.startsWith(dominoLabelPrefix) ? undefined : "ambient");
    return selects(spec, foreign);
}

/** The label every Domino node carries, for messages that suggest a fix. */
export const dominoNodeSelectorHint = `${labelKeys.dominoNode}=true`;
