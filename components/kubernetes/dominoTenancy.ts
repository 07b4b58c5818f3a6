// Domino's share of the cluster: its three namespaces with their guards, a quota
// and limits on the namespace where users' runs execute, prefixed cluster-scoped
// objects (priority classes, storage classes, ClusterRoles and bindings) and the
// tenancy model that states, in the cluster, which pools are Domino's.

import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "./manifest";
import { minPlatformNodes, type DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import {
    type CloudName,
    type Isolation,
    type Namespaces,
    type NodePool,
    prefixed,
    recommendedLabels,
    type Taint,
    tenancyModelConfigMap,
    TenancyModelDocument,
    tenancyModelKey,
    tenancyModelLabel,
    tenancyModelSchemaVersion,
    type TenancyModelOperator,
    operatorApiGroup,
} from "@domino-tenancy/core";

/** What the tenancy-model document states about the deployment. */
export interface TenancyModelArgs {
    /** Domino's deployment name: prefixes every namespace and cluster-scoped object. */
    readonly deploymentName: string;
    readonly cloud: CloudName;
    readonly isolation: Isolation;
    /** The taint that keeps other tenants off Domino's pools; set in dedicated isolation. */
    readonly dedicatedTaint?: Taint;
    /** Every namespace of the deployment, by role. */
    readonly namespaceNames: Namespaces;
    readonly storageClasses: DeploymentModel["storageClasses"];
    /** Namespace of the cluster's ingress controller, allowed into Domino's namespaces. */
    readonly ingressNamespace: string;
    /** Every Domino pool. */
    readonly pools: readonly NodePool[];
    /** Fewest platform nodes the deployment runs with. */
    readonly minPlatformNodes: number;
    /** API groups of the install's own CRDs, which the policy treats as the deployment's. */
    readonly installApiGroups: readonly string[];
    /** The Platform Operator, when this stack installs it. */
    readonly operator?: TenancyModelOperator;
}

/** The tenancy model's inputs, taken from the validated model (the program and the admission params share it). */
export function tenancyModelArgsOf(model: DeploymentModel): TenancyModelArgs {
    return {
        deploymentName: model.name,
        cloud: model.cluster.cloud,
        isolation: model.isolation,
        dedicatedTaint: model.dedicatedTaint,
        namespaceNames: model.namespaces,
        storageClasses: model.storageClasses,
        ingressNamespace: model.ingress.namespace,
        pools: model.cluster.pools,
        minPlatformNodes: minPlatformNodes(model.cluster),
        installApiGroups: installApiGroupsOf(model),
        ...(installsOperator(model) ? { operator: { namespace: model.namespaces.system, rbac: model.install.operatorRbac } } : {}),
    };
}

/** Whether this stack installs the Platform Operator's chart (and so owns its objects). */
export function installsOperator(model: DeploymentModel): boolean {
    return model.install.method === "operator" && model.install.operator === "install";
}

/**
 * The install's own API groups: the `Domino` resource's (operator), or Domino's group, where
 * the agent's one CRD lives (Domino's multi-tenancy guidance: a Domino-owned API group).
 */
export function installApiGroupsOf(model: DeploymentModel): string[] {
    // The operator's own group: its Domino and HelmRelease kinds.
    return model.install.method === "operator" ? [operatorApiGroup] : ["dominodatalab.com"];
}

export interface DominoTenancyArgs extends TenancyModelArgs {
    /** Pod Security levels of the platform, compute and system namespaces. */
    readonly podSecurity: DeploymentModel["podSecurity"];
    /** ResourceQuota of the compute namespace. */
    readonly computeQuota: DeploymentModel["computeQuota"];
    /** LimitRange of the compute namespace. */
    readonly computeLimits: DeploymentModel["computeLimits"];
    /** StorageClass parameters the cluster backend supplies (a file system it created), added to the model's. */
    readonly suppliedStorageParameters?: {
        readonly block?: Readonly<Record<string, pulumi.Input<string>>>;
        readonly shared?: Readonly<Record<string, pulumi.Input<string>>>;
    };
}

/** Service account Domino's platform services run as; the RBAC below binds to it. */
export const platformServiceAccount = "domino-platform";

export const priorityClassValues = {
    // Above ordinary tenants' pods, below system-node-critical and system-cluster-critical.
    platform: 100000,
    // User runs yield to Domino's platform but preempt nothing by themselves.
    compute: 1000,
} as const;

type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const read = ["get", "list", "watch"];
const write = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** Least-privilege rules: explicit resources and verbs, no wildcards, no escalate/bind/impersonate. */
export const clusterRoleRules: Readonly<Record<string, PolicyRule[]>> = {
    // Domino shows node pools and capacity in its admin pages.
    "node-reader": [
        { apiGroups: [""], resources: ["nodes"], verbs: read },
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: read },
    ],
    // What Domino's platform needs to run users' workloads; bound only in the compute namespace.
    "compute-manager": [
        { apiGroups: [""], resources: ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "serviceaccounts"], verbs: write },
        { apiGroups: [""], resources: ["pods/log", "events"], verbs: read },
        { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: write },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: write },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: read },
    ],
};

/**
 * Whether Domino's pods may evict others to make room. Under shared isolation other
 * tenants' pods run on the same nodes, so Domino never preempts (the rule
 * priority-classes-never-preempt). Under dedicated isolation Domino's pods can only land
 * on Domino's tainted pools (workloads-land-on-domino-pools, and the placement policy at
 * admission), so whatever they preempt is Domino's own: the platform still preempts user
 * runs there. User runs never preempt.
 */
export function preemptionPolicyOf(role: string, isolation: Isolation): "Never" | "PreemptLowerPriority" {
    return role === "compute" || isolation === "shared" ? "Never" : "PreemptLowerPriority";
}

/** The cluster-scoped footprint: every name carries the deployment prefix. */
function clusterScoped(args: DominoTenancyArgs): Manifest[] {
    const labels = recommendedLabels(args.deploymentName, "tenancy");
    const out: Manifest[] = [];
    for (const [role, value] of Object.entries(priorityClassValues)) {
        out.push({
            kind: "PriorityClass",
            metadata: { name: prefixed(args.deploymentName, role), labels },
            value,
            globalDefault: false,
            preemptionPolicy: preemptionPolicyOf(role, args.isolation),
            description: `Domino ${args.deploymentName}: ${role} workloads`,
        });
    }
    for (const kind of ["block", "shared"] as const) {
        const sc = args.storageClasses[kind];
        out.push({
            kind: "StorageClass",
            metadata: { name: sc.name, labels, annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
            provisioner: sc.provisioner,
            parameters: { ...sc.parameters, ...(args.suppliedStorageParameters?.[kind] ?? {}) },
            reclaimPolicy: sc.reclaimPolicy,
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        });
    }
    for (const [role, rules] of Object.entries(clusterRoleRules)) {
        out.push({ kind: "ClusterRole", metadata: { name: prefixed(args.deploymentName, role), labels }, rules });
    }
    out.push({
        kind: "ClusterRoleBinding",
        metadata: { name: prefixed(args.deploymentName, "node-reader"), labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(args.deploymentName, "node-reader") },
        subjects: [{ kind: "ServiceAccount", name: platformServiceAccount, namespace: args.namespaceNames.platform }],
    });
    return out;
}

/** The tenancy-model document for this deployment (its shape and readers live in the core). */
export function tenancyModelDocument(args: TenancyModelArgs): TenancyModelDocument {
    return {
        schemaVersion: tenancyModelSchemaVersion,
        deploymentName: args.deploymentName,
        cloud: args.cloud,
        isolation: args.isolation,
        dedicatedTaint: args.dedicatedTaint ?? null,
        namespaces: args.namespaceNames,
        storageClasses: { block: args.storageClasses.block.name, shared: args.storageClasses.shared.name },
        ingress: { namespace: args.ingressNamespace },
        minPlatformNodes: args.minPlatformNodes,
        pools: args.pools.map((p) => ({ name: p.name, role: p.role, labels: p.labels, taints: p.taints })),
        installApiGroups: args.installApiGroups,
        ...(args.operator ? { operator: args.operator } : {}),
    };
}

function computeGuards(args: DominoTenancyArgs): Manifest[] {
    const ns = args.namespaceNames.compute;
    const labels = recommendedLabels(args.deploymentName, "compute-quota");
    const q = args.computeQuota;
    const l = args.computeLimits;
    return [
        {
            kind: "ResourceQuota",
            metadata: { name: "compute-quota", namespace: ns, labels },
            spec: {
                hard: {
                    "requests.cpu": q.cpu,
                    "requests.memory": q.memory,
                    "limits.memory": q.memory,
                    "requests.nvidia.com/gpu": q.gpu,
                    "requests.storage": q.storage,
                    "requests.ephemeral-storage": q.ephemeralStorage,
                    pods: String(q.pods),
                    persistentvolumeclaims: String(q.persistentVolumeClaims),
                    services: String(q.objects.services),
                    secrets: String(q.objects.secrets),
                    configmaps: String(q.objects.configMaps),
                    replicationcontrollers: String(q.objects.replicationControllers),
                    resourcequotas: String(q.objects.resourceQuotas),
                    // Runs are reached through Domino's ingress, never from outside the cluster directly.
                    "services.loadbalancers": "0",
                    "services.nodeports": "0",
                },
            },
        },
        {
            kind: "LimitRange",
            metadata: { name: "compute-limits", namespace: ns, labels },
            spec: {
                limits: [
                    {
                        type: "Container",
                        // Ephemeral storage gets a default request (the quota counts it) and no default limit: a
                        // limit would evict a run that writes more to its scratch space than a guess allows.
                        defaultRequest: { cpu: l.defaultRequest.cpu, memory: l.defaultRequest.memory, "ephemeral-storage": l.defaultEphemeralStorageRequest },
                        default: { cpu: l.defaultLimit.cpu, memory: l.defaultLimit.memory },
                        max: { cpu: l.max.cpu, memory: l.max.memory },
                    },
                ],
            },
        },
    ];
}

export function buildDominoTenancy(args: DominoTenancyArgs): Manifest[] {
    const ns = args.namespaceNames;
    const ps = args.podSecurity;
    const platformLabels = recommendedLabels(args.deploymentName, "platform");
    return [
        ...dominoNamespace({
            deploymentName: args.deploymentName,
            name: ns.platform,
            component: "platform",
            podSecurity: ps.platform,
            labels: { "domino-platform": "true" },
            allowIngressFromNamespaces: [args.ingressNamespace],
        }),
        ...dominoNamespace({
            deploymentName: args.deploymentName,
            name: ns.compute,
            component: "compute",
            podSecurity: ps.compute,
            labels: { "domino-compute": "true" },
            // Users reach their workspaces and apps through the ingress controller.
            allowIngressFromNamespaces: [args.ingressNamespace],
        }),
        ...dominoNamespace({ deploymentName: args.deploymentName, name: ns.system, component: "system", podSecurity: ps.system }),
        ...clusterScoped(args),
        ...computeGuards(args),
        { kind: "ServiceAccount", metadata: { name: platformServiceAccount, namespace: ns.platform, labels: platformLabels } },
        {
            kind: "RoleBinding",
            metadata: { name: prefixed(args.deploymentName, "compute-manager"), namespace: ns.compute, labels: platformLabels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(args.deploymentName, "compute-manager") },
            subjects: [{ kind: "ServiceAccount", name: platformServiceAccount, namespace: ns.platform }],
        },
        {
            kind: "ConfigMap",
            metadata: {
                name: tenancyModelConfigMap,
                namespace: ns.system,
                labels: { ...recommendedLabels(args.deploymentName, "tenancy-model"), [tenancyModelLabel]: "true" },
            },
            data: { [tenancyModelKey]: JSON.stringify(tenancyModelDocument(args), null, 2) },
        },
    ];
}
