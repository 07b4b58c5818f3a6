// Reading Kubernetes objects out of policy resources: kinds, metadata, pod templates
// and their containers. The engine hands policies untyped property bags (inputs during
// preview); everything here narrows them without trusting their shape.

import type * as k8s from "@pulumi/kubernetes";

/** What every policy sees of a resource, in the engine and in the plan checker alike. */
export interface ResourceView {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
}

// Output types: plain values, which is what a plan and the engine hand policies (inputs resolved).
export type PodSpec = k8s.types.output.core.v1.PodSpec;
export type Container = k8s.types.output.core.v1.Container;
export type ObjectMeta = { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** `kubernetes:apps/v1:DaemonSet` -> `DaemonSet`; undefined for anything not a Kubernetes object. */
export function k8sKind(type: string): string | undefined {
    if (!type.startsWith("kubernetes:")) return undefined;
    const kind = type.slice(type.lastIndexOf(":") + 1);
    return kind.endsWith("List") || kind === "" ? undefined : kind;
}

/** `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole` -> `rbac.authorization.k8s.io` ("" for core). */
export function k8sGroup(type: string): string {
    const middle = type.split(":")[1] ?? "";
    const group = middle.split("/")[0];
    return group === "core" ? "" : group;
}

export function metadataOf(props: Record<string, unknown>): ObjectMeta {
    const meta = props.metadata;
    return meta && typeof meta === "object" ? (meta as ObjectMeta) : {};
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectRef(r: ResourceView): string {
    const meta = metadataOf(r.props);
    const name = meta.name ?? r.name;
    return meta.namespace ? `${meta.namespace}/${name}` : name;
}

/**
 * Kinds that exist once per cluster. Anything the stack creates of these kinds is
 * shared with every tenant, so its name must say whose it is.
 */
export const clusterScopedKinds: ReadonlySet<string> = new Set([
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "PriorityClass",
    "StorageClass",
    "PersistentVolume",
    "RuntimeClass",
    "IngressClass",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "APIService",
    "CSIDriver",
    "VolumeAttributesClass",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "DeviceClass",
]);

export function isClusterScoped(r: ResourceView): boolean {
    const kind = k8sKind(r.type);
    return kind !== undefined && clusterScopedKinds.has(kind);
}

export const workloadKinds: ReadonlySet<string> = new Set([
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
    "ReplicationController",
]);

/** A pod template and the workload it belongs to. */
export interface PodTemplate {
    readonly kind: string;
    /** `namespace/name` of the workload: what exceptions name. */
    readonly workload: string;
    readonly namespace: string | undefined;
    readonly spec: PodSpec;
}

function record(value: unknown): Record<string, unknown> | undefined {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The pod template of a workload (undefined for every other resource). */
export function podTemplateOf(r: ResourceView): PodTemplate | undefined {
    const kind = k8sKind(r.type);
    if (!kind || !workloadKinds.has(kind)) return undefined;
    const spec = record(r.props.spec);
    let pod: Record<string, unknown> | undefined;
    if (kind === "Pod") pod = spec;
    else if (kind === "CronJob") pod = record(record(record(record(spec?.jobTemplate)?.spec)?.template)?.spec);
    else pod = record(record(spec?.template)?.spec);
    if (!pod) return undefined;
    const meta = metadataOf(r.props);
    return { kind, workload: objectRef(r), namespace: meta.namespace, spec: pod as unknown as PodSpec };
}

export interface ContainerView {
    readonly container: Container;
    readonly init: boolean;
}

export function containersOf(spec: PodSpec): ContainerView[] {
    const list = (value: unknown, init: boolean): ContainerView[] => (Array.isArray(value) ? value.map((c) => ({ container: c as Container, init })) : []);
    return [...list(spec.initContainers, true), ...list(spec.containers, false)];
}

/** `init container x` / `container x`, for messages. */
export function describeContainer(c: ContainerView): string {
    return `${c.init ? "init container" : "container"} '${String(c.container.name)}'`;
}
