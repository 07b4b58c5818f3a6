// What the Kubernetes builders return: plain manifests, typed by kind with the
// provider's own argument types. Pure: components/tenancy/manifestComponent.ts is the
// one place that turns them into provider resources.

import type * as k8s from "@pulumi/kubernetes";

export const mutatingAdmissionApiVersion = "admissionregistration.k8s.io/v1";

/**
 * The parts of the v1 MutatingAdmissionPolicy types we write (k8s.io/api v0.36 admissionregistration/v1).
 * @pulumi/kubernetes 4.25 has no class for this kind yet: it is registered as a CustomResource.
 */
export interface MutatingAdmissionPolicySpec {
    readonly failurePolicy: "Fail" | "Ignore";
    readonly reinvocationPolicy: "Never" | "IfNeeded";
    readonly matchConstraints: {
        readonly resourceRules: readonly {
            readonly apiGroups: readonly string[];
            readonly apiVersions: readonly string[];
            readonly resources: readonly string[];
            readonly operations: readonly string[];
        }[];
    };
    readonly variables: readonly { readonly name: string; readonly expression: string }[];
    readonly mutations: readonly { readonly patchType: "JSONPatch"; readonly jsonPatch: { readonly expression: string } }[];
}

export interface MutatingAdmissionPolicyBindingSpec {
    readonly policyName: string;
    readonly matchResources: { readonly namespaceSelector: { readonly matchLabels: Readonly<Record<string, string>> } };
}

/** The manifests our builders produce, by kind. */
export interface ManifestKinds {
    Namespace: k8s.core.v1.NamespaceArgs;
    ServiceAccount: k8s.core.v1.ServiceAccountArgs;
    ConfigMap: k8s.core.v1.ConfigMapArgs;
    Secret: k8s.core.v1.SecretArgs;
    Service: k8s.core.v1.ServiceArgs;
    ResourceQuota: k8s.core.v1.ResourceQuotaArgs;
    LimitRange: k8s.core.v1.LimitRangeArgs;
    DaemonSet: k8s.apps.v1.DaemonSetArgs;
    Deployment: k8s.apps.v1.DeploymentArgs;
    Job: k8s.batch.v1.JobArgs;
    NetworkPolicy: k8s.networking.v1.NetworkPolicyArgs;
    ClusterRole: k8s.rbac.v1.ClusterRoleArgs;
    ClusterRoleBinding: k8s.rbac.v1.ClusterRoleBindingArgs;
    Role: k8s.rbac.v1.RoleArgs;
    RoleBinding: k8s.rbac.v1.RoleBindingArgs;
    PriorityClass: k8s.scheduling.v1.PriorityClassArgs;
    StorageClass: k8s.storage.v1.StorageClassArgs;
    ValidatingAdmissionPolicy: k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs;
    ValidatingAdmissionPolicyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs;
    MutatingAdmissionPolicy: { spec: MutatingAdmissionPolicySpec };
    MutatingAdmissionPolicyBinding: { spec: MutatingAdmissionPolicyBindingSpec };
    FlowSchema: k8s.flowcontrol.v1.FlowSchemaArgs;
    PriorityLevelConfiguration: k8s.flowcontrol.v1.PriorityLevelConfigurationArgs;
}

export type Kind = keyof ManifestKinds;

/** A manifest with its kind and plain (known) name and namespace, so builders and tests can index it. */
export type Manifest = {
    [K in Kind]: Omit<ManifestKinds[K], "kind" | "apiVersion" | "metadata"> & {
        kind: K;
        metadata: { name: string; namespace?: string } & k8s.types.input.meta.v1.ObjectMeta;
    };
}[Kind];

/** Pulumi name of a manifest's resource: unique per kind within the stack. */
export function resourceName(m: Manifest): string {
    return m.metadata.namespace ? `${m.metadata.namespace}-${m.metadata.name}` : m.metadata.name;
}
