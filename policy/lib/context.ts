// The deployment as the stack itself declares it: its name (the prefix), namespaces,
// storage classes and node pools. Users never repeat these in policy config. The
// tenancy-model ConfigMap names the deployment; the pools come from the node-pool
// resources the stack creates (EKS node groups, GKE node pools), or, on an adopted
// cluster where nothing is created, from the pools the tenancy model declares.

import {
    dominoLabelPrefix,
    labelKeys,
    type NodeShape,
    type PoolRole,
    systemPoolLabel,
    Taint,
    tenancyModelConfigMap,
    TenancyModelDocument,
    tenancyModelKey,
    tenancyModelLabel,
    tenancyModelSchemaVersion,
} from "@domino-tenancy/core";
import { k8sKind, metadataOf, ResourceView } from "./resources";

export interface ContextPool extends NodeShape {
    /** Role from the tenancy model, matched by the node-pool label; undefined when nothing matches. */
    readonly role: PoolRole | undefined;
    readonly minSize?: number;
    /** The node-pool resource, when the stack creates the pool. */
    readonly urn?: string;
}

export interface TenancyContext {
    readonly model: TenancyModelDocument;
    readonly modelUrn: string;
    readonly name: string;
    /** `<name>-`: what every cluster-scoped name starts with. */
    readonly prefix: string;
    readonly pools: readonly ContextPool[];
    readonly poolSource: "node-pool resources" | "tenancy model";
    /** Every namespace of the deployment, by role. */
    readonly namespaces: Readonly<Record<string, string>>;
}

export const nodeGroupType = "aws:eks/nodeGroup:NodeGroup";
export const gkeNodePoolType = "gcp:container/nodePool:NodePool";

const cloudEffects: Readonly<Record<string, Taint["effect"]>> = {
    NO_SCHEDULE: "NoSchedule",
    NO_EXECUTE: "NoExecute",
    PREFER_NO_SCHEDULE: "PreferNoSchedule",
};

type CloudTaint = { key?: unknown; value?: unknown; effect?: unknown };

function cloudTaints(value: unknown): Taint[] {
    if (!Array.isArray(value)) return [];
    return (value as CloudTaint[]).map((t) => ({
        key: String(t.key),
        ...(t.value === undefined || t.value === null ? {} : { value: String(t.value) }),
        effect: cloudEffects[String(t.effect)] ?? (String(t.effect) as Taint["effect"]),
    }));
}

function stringMap(value: unknown): Record<string, string> {
    if (!value || typeof value !== "object") return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function num(value: unknown): number | undefined {
    return typeof value === "number" ? value : undefined;
}

/** A node-pool resource as a node shape: what its nodes carry and its minimum size. */
export function poolFromResource(r: ResourceView, model: TenancyModelDocument | undefined): ContextPool | undefined {
    let labels: Record<string, string>;
    let taints: Taint[];
    let minSize: number | undefined;
    if (r.type === nodeGroupType) {
        labels = stringMap(r.props.labels);
        taints = cloudTaints(r.props.taints);
        minSize = num((r.props.scalingConfig as { minSize?: unknown } | undefined)?.minSize);
    } else if (r.type === gkeNodePoolType) {
        const nodeConfig = (r.props.nodeConfig ?? {}) as { labels?: unknown; taints?: unknown };
        labels = stringMap(nodeConfig.labels);
        taints = cloudTaints(nodeConfig.taints);
        const autoscaling = r.props.autoscaling as { minNodeCount?: unknown; totalMinNodeCount?: unknown } | undefined;
        minSize = autoscaling ? (num(autoscaling.minNodeCount) ?? num(autoscaling.totalMinNodeCount)) : num(r.props.nodeCount);
    } else {
        return undefined;
    }
    // The cluster's own system pool (a created cluster's, untainted for DNS and the CSI
    // controllers) is not Domino's. Only a pool with no Domino label counts as one: a
    // Domino pool that also carries the marker is still judged as Domino's.
    const isSystemPool =
        labels[systemPoolLabel.key] === systemPoolLabel.value && !Object.keys(labels).some((k) => k.startsWith(dominoLabelPrefix)) && taints.length === 0;
    if (isSystemPool) return undefined;
    const declared = model?.pools.find((p) => p.labels[labelKeys.nodePool] !== undefined && p.labels[labelKeys.nodePool] === labels[labelKeys.nodePool]);
    return { name: r.name, labels, taints, role: declared?.role, minSize, urn: r.urn };
}

/** Structural check of the stored document: a model this pack does not understand is refused, not guessed at. */
function parseModel(text: unknown): TenancyModelDocument | string {
    let doc: unknown;
    try {
        doc = JSON.parse(String(text));
    } catch (err) {
        return `its ${tenancyModelKey} is not JSON (${(err as Error).message})`;
    }
    const d = doc as Partial<TenancyModelDocument>;
    if (d.schemaVersion !== tenancyModelSchemaVersion)
        return `its schemaVersion is ${String(d.schemaVersion)}; this pack reads version ${tenancyModelSchemaVersion}`;
    if (typeof d.deploymentName !== "string" || !d.deploymentName) return "it has no deploymentName";
    if (!Array.isArray(d.pools) || !d.namespaces || !d.storageClasses) return "it lacks pools, namespaces or storageClasses";
    return d as TenancyModelDocument;
}

export type ContextResult = { readonly ok: true; readonly context: TenancyContext } | { readonly ok: false; readonly problem: string };

function derive(resources: readonly ResourceView[]): ContextResult {
    const models = resources.filter(
        (r) =>
            k8sKind(r.type) === "ConfigMap" && metadataOf(r.props).name === tenancyModelConfigMap && metadataOf(r.props).labels?.[tenancyModelLabel] === "true",
    );
    if (models.length === 0) {
        return {
            ok: false,
            problem: `the stack declares no tenancy model (ConfigMap '${tenancyModelConfigMap}' labelled ${tenancyModelLabel}=true), so the deployment's prefix and pools are unknown`,
        };
    }
    if (models.length > 1) return { ok: false, problem: `the stack declares ${models.length} tenancy models; one stack deploys one Domino` };
    const data = models[0].props.data as Record<string, unknown> | undefined;
    const parsed = parseModel(data?.[tenancyModelKey]);
    if (typeof parsed === "string") return { ok: false, problem: `the tenancy model ConfigMap cannot be read: ${parsed}` };

    const fromResources = resources.map((r) => poolFromResource(r, parsed)).filter((p): p is ContextPool => p !== undefined);
    const pools: ContextPool[] =
        fromResources.length > 0
            ? fromResources
            : parsed.pools.map((p) => ({
                  name: p.name,
                  role: p.role,
                  labels: p.labels,
                  taints: p.taints,
                  ...(p.role === "platform" ? { minSize: parsed.minPlatformNodes } : {}),
              }));
    return {
        ok: true,
        context: {
            model: parsed,
            modelUrn: models[0].urn,
            name: parsed.deploymentName,
            prefix: `${parsed.deploymentName}-`,
            pools,
            poolSource: fromResources.length > 0 ? "node-pool resources" : "tenancy model",
            namespaces: parsed.namespaces,
        },
    };
}

// Every stack rule derives the same context from the same resource list: do it once per list.
const memo = new WeakMap<readonly ResourceView[], ContextResult>();

export function tenancyContext(resources: readonly ResourceView[]): ContextResult {
    let result = memo.get(resources);
    if (!result) {
        result = derive(resources);
        memo.set(resources, result);
    }
    return result;
}
