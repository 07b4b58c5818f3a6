// The cluster autoscaler as typed objects (no Helm chart): its own Domino namespace
// with the usual guards, a service account, least-privilege RBAC (a prefixed
// ClusterRole for what it reads cluster-wide and the nodes it cordons, a Role for its
// status ConfigMap and leader-election lease), and one Deployment on the platform pool.
// Which cloud, which groups and which image come from the cloud seam.

import type { Manifest } from "./manifest";
import { container, type NodePool, placeOn, podSpec, poolsWithRole, prefixed, recommendedLabels } from "@domino-tenancy/core";
import { dominoNamespace } from "./namespace";

export interface ClusterAutoscalerArgs {
    /** Domino's deployment name: prefixes the ClusterRole and binding, labels every object. */
    readonly deploymentName: string;
    /** The autoscaler's namespace, one of the deployment's (never kube-system, which every tenant shares). */
    readonly namespace: string;
    readonly serviceAccountName: string;
    /** Pinned image matching the cluster's minor version. */
    readonly image: string;
    /** The cloud's flags: provider and node group discovery. */
    readonly cloudArgs: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    /** Every Domino pool; the autoscaler runs on the platform pool. */
    readonly pools: readonly NodePool[];
}

type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const read = ["get", "list", "watch"];

/** What the autoscaler reads to simulate scheduling, and the few writes it makes; explicit verbs, no secrets. */
export const clusterAutoscalerRules: readonly PolicyRule[] = [
    { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    // Draining a node before removing it.
    { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
    { apiGroups: [""], resources: ["pods/status"], verbs: ["update"] },
    // Taints nodes it is about to remove.
    { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch", "update"] },
    {
        apiGroups: [""],
        resources: ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"],
        verbs: read,
    },
    { apiGroups: ["apps"], resources: ["daemonsets", "replicasets", "statefulsets"], verbs: read },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: read },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: read },
    { apiGroups: ["storage.k8s.io"], resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], verbs: read },
];

/** In its own namespace only: its status ConfigMap and its leader-election lease. */
const namespacedRules: readonly PolicyRule[] = [
    { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "list", "watch"] },
    { apiGroups: [""], resources: ["configmaps"], resourceNames: ["cluster-autoscaler-status"], verbs: ["get", "update", "delete", "watch"] },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["cluster-autoscaler"], verbs: ["get", "update"] },
];

export const clusterAutoscalerName = "cluster-autoscaler";

export function buildClusterAutoscaler(args: ClusterAutoscalerArgs): Manifest[] {
    const { deploymentName, namespace } = args;
    const labels = recommendedLabels(deploymentName, clusterAutoscalerName);
    const selector = { "app.kubernetes.io/name": clusterAutoscalerName, "app.kubernetes.io/instance": deploymentName };
    const clusterRole = prefixed(deploymentName, clusterAutoscalerName);
    const subjects = [{ kind: "ServiceAccount", name: args.serviceAccountName, namespace }];
    return [
        ...dominoNamespace({ deploymentName, name: namespace, component: clusterAutoscalerName, podSecurity: { enforce: "restricted", warn: "restricted" } }),
        { kind: "ServiceAccount", metadata: { name: args.serviceAccountName, namespace, labels } },
        { kind: "ClusterRole", metadata: { name: clusterRole, labels }, rules: clusterAutoscalerRules.map((r) => ({ ...r })) },
        {
            kind: "ClusterRoleBinding",
            metadata: { name: clusterRole, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
            subjects,
        },
        { kind: "Role", metadata: { name: clusterAutoscalerName, namespace, labels }, rules: namespacedRules.map((r) => ({ ...r })) },
        {
            kind: "RoleBinding",
            metadata: { name: clusterAutoscalerName, namespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: clusterAutoscalerName },
            subjects,
        },
        {
            kind: "Deployment",
            metadata: { name: clusterAutoscalerName, namespace, labels },
            spec: {
                // One active instance by design (it leader-elects); a second adds nothing but a standby.
                replicas: 1,
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels: { ...labels, ...selector } },
                    spec: podSpec({
                        placement: placeOn(poolsWithRole(args.pools, "platform"), args.pools),
                        serviceAccountName: args.serviceAccountName,
                        // It talks to the API server all the time.
                        automountServiceAccountToken: true,
                        // Without it no pending pod ever gets a node: it outranks ordinary pods.
                        priorityClassName: "system-cluster-critical",
                        containers: [
                            container({
                                name: clusterAutoscalerName,
                                image: args.image,
                                command: ["./cluster-autoscaler"],
                                args: [...args.cloudArgs, "--v=2"],
                                env: Object.entries(args.env).map(([name, value]) => ({ name, value })),
                                requests: { cpu: "100m", memory: "300Mi" },
                                limits: { cpu: "500m", memory: "600Mi" },
                            }),
                        ],
                    }),
                },
            },
        },
    ];
}
