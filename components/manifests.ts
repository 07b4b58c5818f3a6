// Pure builders return plain Kubernetes manifests; `applyManifests` is the one place
// that turns them into typed provider resources, so every object is visible to
// policies and tests with its real type token.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The manifests our builders produce, by kind. */
export interface ManifestKinds {
    Namespace: k8s.core.v1.NamespaceArgs;
    ServiceAccount: k8s.core.v1.ServiceAccountArgs;
    ConfigMap: k8s.core.v1.ConfigMapArgs;
    Service: k8s.core.v1.ServiceArgs;
    ResourceQuota: k8s.core.v1.ResourceQuotaArgs;
    LimitRange: k8s.core.v1.LimitRangeArgs;
    DaemonSet: k8s.apps.v1.DaemonSetArgs;
    Job: k8s.batch.v1.JobArgs;
    NetworkPolicy: k8s.networking.v1.NetworkPolicyArgs;
    ClusterRole: k8s.rbac.v1.ClusterRoleArgs;
    ClusterRoleBinding: k8s.rbac.v1.ClusterRoleBindingArgs;
    Role: k8s.rbac.v1.RoleArgs;
    RoleBinding: k8s.rbac.v1.RoleBindingArgs;
    PriorityClass: k8s.scheduling.v1.PriorityClassArgs;
    StorageClass: k8s.storage.v1.StorageClassArgs;
}

export type Kind = keyof ManifestKinds;

/** A manifest with its kind and plain (known) name and namespace, so builders and tests can index it. */
export type Manifest = {
    [K in Kind]: Omit<ManifestKinds[K], "kind" | "apiVersion" | "metadata"> & { kind: K; metadata: { name: string; namespace?: string } & k8s.types.input.meta.v1.ObjectMeta };
}[Kind];

type Ctor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const constructors: Record<Kind, Ctor> = {
    Namespace: k8s.core.v1.Namespace,
    ServiceAccount: k8s.core.v1.ServiceAccount,
    ConfigMap: k8s.core.v1.ConfigMap,
    Service: k8s.core.v1.Service,
    ResourceQuota: k8s.core.v1.ResourceQuota,
    LimitRange: k8s.core.v1.LimitRange,
    DaemonSet: k8s.apps.v1.DaemonSet,
    Job: k8s.batch.v1.Job,
    NetworkPolicy: k8s.networking.v1.NetworkPolicy,
    ClusterRole: k8s.rbac.v1.ClusterRole,
    ClusterRoleBinding: k8s.rbac.v1.ClusterRoleBinding,
    Role: k8s.rbac.v1.Role,
    RoleBinding: k8s.rbac.v1.RoleBinding,
    PriorityClass: k8s.scheduling.v1.PriorityClass,
    StorageClass: k8s.storage.v1.StorageClass,
};

const workloadKinds = new Set<Kind>(["DaemonSet", "Job"]);

/** Pulumi name of a manifest's resource: unique per kind within the stack. */
export function resourceName(m: Manifest): string {
    return m.metadata.namespace ? `${m.metadata.namespace}-${m.metadata.name}` : m.metadata.name;
}

export interface ApplyOptions {
    readonly parent: pulumi.Resource;
    readonly provider: k8s.Provider;
    /** Namespaces by name: namespaced objects wait for theirs. */
    readonly namespaces?: ReadonlyMap<string, pulumi.Resource>;
    /** Objects every manifest waits for (priority classes, service accounts ...). */
    readonly dependsOn?: pulumi.Resource[];
}

/** Registers each manifest as its typed resource; returns them by `<Kind>/<resourceName>`. */
export function applyManifests(manifests: readonly Manifest[], opts: ApplyOptions): Map<string, pulumi.CustomResource> {
    const created = new Map<string, pulumi.CustomResource>();
    // Namespaces created in this call join the known ones, so later manifests wait for them.
    const namespaces = new Map<string, pulumi.Resource>(opts.namespaces ?? []);
    // Workloads wait for everything listed before them (service accounts, bindings, config),
    // or their controller's first pods are refused for a missing service account.
    const supporting: pulumi.Resource[] = [];
    for (const m of manifests) {
        const ns = m.metadata.namespace ? namespaces.get(m.metadata.namespace) : undefined;
        const dependsOn = [...(opts.dependsOn ?? []), ...(ns ? [ns] : []), ...(workloadKinds.has(m.kind) ? supporting : [])];
        const { kind, ...args } = m;
        const ctor = constructors[kind as Kind];
        const name = resourceName(m);
        const resource = new ctor(name, args as never, { parent: opts.parent, provider: opts.provider, dependsOn });
        created.set(`${kind}/${name}`, resource);
        if (kind === "Namespace") namespaces.set(m.metadata.name, resource);
        if (!workloadKinds.has(kind)) supporting.push(resource);
    }
    return created;
}

export interface ManifestComponentArgs {
    readonly provider: k8s.Provider;
    /** Namespaces made elsewhere that these manifests live in. */
    readonly namespaces?: ReadonlyMap<string, pulumi.Resource>;
    readonly dependsOn?: pulumi.Resource[];
}

/** A component that is nothing but a set of manifests: build them purely, then register them as children. */
export class ManifestComponent extends pulumi.ComponentResource {
    readonly resources: ReadonlyMap<string, pulumi.CustomResource>;

    constructor(type: string, name: string, manifests: readonly Manifest[], args: ManifestComponentArgs, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.resources = applyManifests(manifests, { parent: this, ...args });
        this.registerOutputs({ objects: manifests.map((m) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`) });
    }
}
