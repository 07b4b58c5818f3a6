// Domino's share of the cluster: its three namespaces with their guards, a quota
// and limits on the namespace where users' runs execute, prefixed cluster-scoped
// objects (priority classes, storage classes, ClusterRoles and bindings) and the
// tenancy model that states, in the cluster, which pools are Domino's.

import type { Manifest } from "./manifest";
import type { DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import { prefixed, recommendedLabels, tenancyModelConfigMap, TenancyModelDocument, tenancyModelKey, tenancyModelLabel, tenancyModelSchemaVersion } from "@domino-tenancy/core";

/** Service account Domino's platform services run as; the RBAC below binds to it. */
export const platformServiceAccount = "domino-platform";

export const priorityClassValues = {
    // Below system-node-critical and system-cluster-critical, above ordinary tenants' pods.
    "node-agent": 900000,
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
    // Log metadata for fluentd; bound per namespace, never cluster-wide.
    "pod-reader": [{ apiGroups: [""], resources: ["pods"], verbs: read }],
    // What Domino's platform needs to run users' workloads; bound only in the compute namespace.
    "compute-manager": [
        { apiGroups: [""], resources: ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "serviceaccounts"], verbs: write },
        { apiGroups: [""], resources: ["pods/log", "events"], verbs: read },
        { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: write },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: write },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: read },
    ],
};

/** The cluster-scoped footprint: every name carries the deployment prefix. */
function clusterScoped(model: DeploymentModel): Manifest[] {
    const labels = recommendedLabels(model.name, "tenancy");
    const out: Manifest[] = [];
    for (const [role, value] of Object.entries(priorityClassValues)) {
        out.push({
            kind: "PriorityClass",
            metadata: { name: prefixed(model.name, role), labels },
            value,
            globalDefault: false,
            preemptionPolicy: role === "compute" ? "Never" : "PreemptLowerPriority",
            description: `Domino ${model.name}: ${role} workloads`,
        });
    }
    for (const sc of [model.storageClasses.block, model.storageClasses.shared]) {
        out.push({
            kind: "StorageClass",
            metadata: { name: sc.name, labels, annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
            provisioner: sc.provisioner,
            parameters: { ...sc.parameters },
            reclaimPolicy: sc.reclaimPolicy,
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
        });
    }
    for (const [role, rules] of Object.entries(clusterRoleRules)) {
        out.push({ kind: "ClusterRole", metadata: { name: prefixed(model.name, role), labels }, rules });
    }
    out.push({
        kind: "ClusterRoleBinding",
        metadata: { name: prefixed(model.name, "node-reader"), labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(model.name, "node-reader") },
        subjects: [{ kind: "ServiceAccount", name: platformServiceAccount, namespace: model.namespaces.platform }],
    });
    return out;
}

/** The tenancy-model document for this deployment (its shape and readers live in the core). */
export function tenancyModelDocument(model: DeploymentModel): TenancyModelDocument {
    return {
        schemaVersion: tenancyModelSchemaVersion,
        deploymentName: model.name,
        cloud: model.profile.name,
        isolation: model.isolation,
        dedicatedTaint: model.dedicatedTaint ?? null,
        namespaces: model.namespaces,
        storageClasses: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
        ingress: { namespace: model.ingress.namespace },
        minPlatformNodes: model.pools.find((p) => p.role === "platform")?.minSize ?? 1,
        pools: model.pools.map((p) => ({ name: p.name, role: p.role, labels: p.labels, taints: p.taints })),
    };
}

function computeGuards(model: DeploymentModel): Manifest[] {
    const ns = model.namespaces.compute;
    const labels = recommendedLabels(model.name, "compute-quota");
    const q = model.computeQuota;
    const l = model.computeLimits;
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
                    pods: String(q.pods),
                    persistentvolumeclaims: String(q.persistentVolumeClaims),
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
                        defaultRequest: { cpu: l.defaultRequest.cpu, memory: l.defaultRequest.memory },
                        default: { cpu: l.defaultLimit.cpu, memory: l.defaultLimit.memory },
                        max: { cpu: l.max.cpu, memory: l.max.memory },
                    },
                ],
            },
        },
    ];
}

export function buildDominoTenancy(model: DeploymentModel): Manifest[] {
    const ns = model.namespaces;
    const ps = model.podSecurity;
    const platformLabels = recommendedLabels(model.name, "platform");
    return [
        ...dominoNamespace(model, {
            name: ns.platform,
            component: "platform",
            podSecurity: ps.platform,
            labels: { "domino-platform": "true" },
            allowIngressFromNamespaces: [model.ingress.namespace],
        }),
        ...dominoNamespace(model, {
            name: ns.compute,
            component: "compute",
            podSecurity: ps.compute,
            labels: { "domino-compute": "true" },
            // Users reach their workspaces and apps through the ingress controller.
            allowIngressFromNamespaces: [model.ingress.namespace],
        }),
        ...dominoNamespace(model, { name: ns.system, component: "system", podSecurity: ps.system }),
        ...clusterScoped(model),
        ...computeGuards(model),
        { kind: "ServiceAccount", metadata: { name: platformServiceAccount, namespace: ns.platform, labels: platformLabels } },
        {
            kind: "RoleBinding",
            metadata: { name: prefixed(model.name, "compute-manager"), namespace: ns.compute, labels: platformLabels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(model.name, "compute-manager") },
            subjects: [{ kind: "ServiceAccount", name: platformServiceAccount, namespace: ns.platform }],
        },
        {
            kind: "ConfigMap",
            metadata: { name: tenancyModelConfigMap, namespace: ns.system, labels: { ...recommendedLabels(model.name, "tenancy-model"), [tenancyModelLabel]: "true" } },
            data: { [tenancyModelKey]: JSON.stringify(tenancyModelDocument(model), null, 2) },
        },
    ];
}
