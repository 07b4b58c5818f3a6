// The one place that turns the builders' manifests into typed provider resources,
// so every object is visible to policies and tests with its real type token.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Kind, Manifest, mutatingAdmissionApiVersion, resourceName } from "../kubernetes/manifest";
import { DataProtection, protectionOptions } from "./dataProtection";

type Ctor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * A kind the provider has no class for yet, as a CustomResource of its real apiVersion and
 * kind: the type token (`kubernetes:<group>/<version>:<Kind>`) is the one a class would have.
 */
function genericKind(apiVersion: string, kind: string): Ctor {
    return class extends k8s.apiextensions.CustomResource {
        constructor(name: string, args: Omit<k8s.apiextensions.CustomResourceArgs, "apiVersion" | "kind">, opts?: pulumi.CustomResourceOptions) {
            super(name, { ...args, apiVersion, kind }, opts);
        }
    };
}

const constructors: Record<Kind, Ctor> = {
    Namespace: k8s.core.v1.Namespace,
    ServiceAccount: k8s.core.v1.ServiceAccount,
    ConfigMap: k8s.core.v1.ConfigMap,
    Secret: k8s.core.v1.Secret,
    Service: k8s.core.v1.Service,
    ResourceQuota: k8s.core.v1.ResourceQuota,
    LimitRange: k8s.core.v1.LimitRange,
    DaemonSet: k8s.apps.v1.DaemonSet,
    Deployment: k8s.apps.v1.Deployment,
    Job: k8s.batch.v1.Job,
    NetworkPolicy: k8s.networking.v1.NetworkPolicy,
    ClusterRole: k8s.rbac.v1.ClusterRole,
    ClusterRoleBinding: k8s.rbac.v1.ClusterRoleBinding,
    Role: k8s.rbac.v1.Role,
    RoleBinding: k8s.rbac.v1.RoleBinding,
    PriorityClass: k8s.scheduling.v1.PriorityClass,
    StorageClass: k8s.storage.v1.StorageClass,
    ValidatingAdmissionPolicy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
    MutatingAdmissionPolicy: genericKind(mutatingAdmissionApiVersion, "MutatingAdmissionPolicy"),
    MutatingAdmissionPolicyBinding: genericKind(mutatingAdmissionApiVersion, "MutatingAdmissionPolicyBinding"),
    FlowSchema: k8s.flowcontrol.v1.FlowSchema,
    PriorityLevelConfiguration: k8s.flowcontrol.v1.PriorityLevelConfiguration,
};

const workloadKinds = new Set<Kind>(["DaemonSet", "Deployment", "Job"]);

export interface ApplyOptions {
    readonly parent: pulumi.Resource;
    readonly provider: pulumi.ProviderResource;
    /** Namespaces made elsewhere, by name: namespaced objects wait for theirs. */
    readonly namespaces?: ReadonlyMap<string, k8s.core.v1.Namespace>;
    /** Objects every manifest waits for (priority classes, service accounts ...). */
    readonly dependsOn?: readonly pulumi.Resource[];
    /** Which objects refuse deletion or stay in the cluster (dataProtection.ts); undefined: none. */
    readonly dataProtection?: DataProtection;
}

/** What a set of manifests became, for the components that build on it. */
export interface AppliedManifests {
    /** Every object, in manifest order. */
    readonly objects: readonly pulumi.CustomResource[];
    /** The Namespaces among them, by name. */
    readonly namespaces: ReadonlyMap<string, k8s.core.v1.Namespace>;
    /** Cluster-scoped objects that workloads elsewhere wait for: priority classes and ClusterRoles. */
    readonly prerequisites: readonly pulumi.CustomResource[];
}

const prerequisiteKinds = new Set<Kind>(["PriorityClass", "ClusterRole"]);

/** Registers each manifest as its typed resource. */
export function applyManifests(manifests: readonly Manifest[], opts: ApplyOptions): AppliedManifests {
    const objects: pulumi.CustomResource[] = [];
    const prerequisites: pulumi.CustomResource[] = [];
    const created = new Map<string, k8s.core.v1.Namespace>();
    // Namespaces created in this call join the known ones, so later manifests wait for them.
    const namespaces = new Map<string, pulumi.Resource>(opts.namespaces ?? []);
    // Workloads wait for everything listed before them (service accounts, bindings, config),
    // or their controller's first pods are refused for a missing service account.
    const supporting: pulumi.Resource[] = [];
    for (const m of manifests) {
        const ns = m.metadata.namespace ? namespaces.get(m.metadata.namespace) : undefined;
        const dependsOn = [...(opts.dependsOn ?? []), ...(ns ? [ns] : []), ...(workloadKinds.has(m.kind) ? supporting : [])];
        const { kind, ...args } = m;
        const protection = protectionOptions(opts.dataProtection, m);
        const resource = new constructors[kind](resourceName(m), args as never, { parent: opts.parent, provider: opts.provider, dependsOn, ...protection });
        objects.push(resource);
        if (resource instanceof k8s.core.v1.Namespace) {
            namespaces.set(m.metadata.name, resource);
            created.set(m.metadata.name, resource);
        }
        if (prerequisiteKinds.has(kind)) prerequisites.push(resource);
        if (!workloadKinds.has(kind)) supporting.push(resource);
    }
    return { objects, namespaces: created, prerequisites };
}

/**
 * The Kubernetes provider a component was given through its options, the documented
 * Pulumi way: `{ provider }` or `{ providers: { kubernetes } }` (or inherited from a
 * parent that has one). There is no fallback: a component without one throws, so no
 * object can land in whatever cluster an ambient kubeconfig points at.
 */
export function kubernetesProviderOf(component: pulumi.ComponentResource, type: string, name: string): pulumi.ProviderResource {
    const provider = component.getProvider("kubernetes::");
    if (!provider) {
        throw new Error(`${type} '${name}' needs a Kubernetes provider in its options: { provider } or { providers: { kubernetes } }`);
    }
    return provider;
}

/** What a manifest component waits for and builds on; its Kubernetes provider comes through its options (see kubernetesProviderOf). */
export interface ManifestComponentArgs {
    /** Namespaces made elsewhere that these manifests live in. */
    readonly namespaces?: ReadonlyMap<string, k8s.core.v1.Namespace>;
    readonly dependsOn?: readonly pulumi.Resource[];
    /** Which objects refuse deletion or stay in the cluster; undefined: none. */
    readonly dataProtection?: DataProtection;
}

/** A component that is nothing but a set of manifests: built purely, registered here as its children. */
export class ManifestComponent extends pulumi.ComponentResource implements AppliedManifests {
    readonly objects: readonly pulumi.CustomResource[];
    readonly namespaces: ReadonlyMap<string, k8s.core.v1.Namespace>;
    readonly prerequisites: readonly pulumi.CustomResource[];

    constructor(type: string, name: string, manifests: readonly Manifest[], args: ManifestComponentArgs, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        const applied = applyManifests(manifests, {
            parent: this,
            provider: kubernetesProviderOf(this, type, name),
            namespaces: args.namespaces,
            dependsOn: args.dependsOn,
            dataProtection: args.dataProtection,
        });
        ({ objects: this.objects, namespaces: this.namespaces, prerequisites: this.prerequisites } = applied);
        this.registerOutputs({ objects: manifests.map((m) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`) });
    }
}
