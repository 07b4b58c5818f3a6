// Least privilege for consuming teams. Each team gets a namespace of its own, which
// the program creates with the same guards as Domino's (Pod Security restricted,
// default-deny ingress, a quota and limits, since its pods land on Domino's compute
// nodes), and a ServiceAccount that may read and deploy there and nowhere else. The
// non-secret half of the exports contract is published in a ConfigMap in Domino's
// system namespace, which every consumer may `get` by name and nothing more.
//
// The program creates the namespace rather than binding into an existing one: a team
// that already administers a namespace needs no credential from us, and only a
// namespace we create is known to carry the Pod Security labels and quota that keep a
// deploy right from becoming a way onto Domino's nodes with host access. The team's
// Role cannot edit the Namespace, its quota or its network policies, so those stick.
//
// The namespace does NOT carry Domino's deployment label: Domino's namespaces admit
// ingress from every namespace with that label, and a consumer is not Domino.
// Pure: manifests only; the token and the kubeconfig are components/tenancy's.

import type { ConsumerModel } from "../model/model";
import { podSecurityLabels, recommendedLabels } from "@domino-tenancy/core";
import type { Manifest } from "./manifest";

export interface ConsumerAccessArgs {
    /** Domino's deployment name: labels every object as the deployment's. */
    readonly deploymentName: string;
    /** Domino's system namespace, where the published exports live. */
    readonly systemNamespace: string;
    /** The consuming teams; none means no objects at all. */
    readonly consumers: readonly ConsumerModel[];
    /** The non-secret contract as JSON (components/contract/exports.ts publishedExports). */
    readonly publishedExports: string;
}

/** Where the published contract lives in the system namespace. */
export const exportsConfigMap = { name: "tenancy-exports", key: "exports.json" } as const;
/** The Role in the system namespace that may read exactly that ConfigMap. */
export const exportsReaderRole = "tenancy-exports-reader";
/** The Role (and its binding) in each consumer's namespace. */
export const deployerRole = "deployer";
/** Labels a consumer's namespace with the team it belongs to. */
export const consumerLabel = "domino-tenancy/consumer";

const read = ["get", "list", "watch"];
const deploy = [...read, "create", "update", "patch", "delete"];

type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

/**
 * What a consumer may do in its own namespace. Each line is a deliberate choice:
 * - workloads it deploys (Deployments, StatefulSets, Jobs, CronJobs) and what they need
 *   (Services, ConfigMaps, Secrets, PersistentVolumeClaims, HorizontalPodAutoscalers);
 *   Secrets because an application's credentials belong in one, and only in its namespace;
 * - read of what those workloads produce (Pods and their logs, ReplicaSets, events,
 *   endpoints), to see a rollout and debug it;
 * - read only of NetworkPolicies, the quota and limits, ServiceAccounts: the platform
 *   team sets them, and the team may see why a pod is refused.
 * Left out on purpose: DaemonSets (every node, other tenants' included), pods/exec,
 * pods/portforward and pods/attach (a shell beside Domino's runs), PodDisruptionBudgets
 * (one with no disruption allowed blocks draining Domino's nodes), RBAC, Ingresses
 * (the host names are Domino's ingress controller's), and anything cluster-wide.
 */
export function deployerRules(): PolicyRule[] {
    return [
        { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: deploy },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: read },
        { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: deploy },
        { apiGroups: [""], resources: ["services", "configmaps", "secrets", "persistentvolumeclaims"], verbs: deploy },
        { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: deploy },
        { apiGroups: [""], resources: ["pods", "pods/log", "events", "endpoints", "serviceaccounts", "resourcequotas", "limitranges"], verbs: read },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: read },
    ];
}

function consumerObjects(args: ConsumerAccessArgs, c: ConsumerModel): Manifest[] {
    const labels = { ...recommendedLabels(args.deploymentName, `consumer-${c.name}`), [consumerLabel]: c.name };
    const ns = c.namespace;
    return [
        {
            kind: "Namespace",
            metadata: { name: ns, labels: { ...labels, ...podSecurityLabels("restricted", "restricted") } },
        },
        { kind: "NetworkPolicy", metadata: { name: "default-deny-ingress", namespace: ns, labels }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
        {
            kind: "ResourceQuota",
            metadata: { name: "consumer-quota", namespace: ns, labels },
            spec: {
                hard: {
                    "requests.cpu": c.quota.cpu,
                    "limits.cpu": c.quota.cpu,
                    "requests.memory": c.quota.memory,
                    "limits.memory": c.quota.memory,
                    pods: String(c.quota.pods),
                    // A deploy right must not open the cluster's nodes or load balancers to the network.
                    "services.nodeports": "0",
                    "services.loadbalancers": "0",
                },
            },
        },
        {
            kind: "LimitRange",
            metadata: { name: "consumer-limits", namespace: ns, labels },
            spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } }] },
        },
        // Its token is requested through the TokenRequest API, so no pod needs it mounted.
        { kind: "ServiceAccount", metadata: { name: c.serviceAccount, namespace: ns, labels }, automountServiceAccountToken: false },
        { kind: "Role", metadata: { name: deployerRole, namespace: ns, labels }, rules: deployerRules() },
        {
            kind: "RoleBinding",
            metadata: { name: deployerRole, namespace: ns, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: deployerRole },
            subjects: [{ kind: "ServiceAccount", name: c.serviceAccount, namespace: ns }],
        },
        {
            kind: "RoleBinding",
            metadata: { name: `${exportsReaderRole}-${c.name}`, namespace: args.systemNamespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: exportsReaderRole },
            subjects: [{ kind: "ServiceAccount", name: c.serviceAccount, namespace: ns }],
        },
    ];
}

/** The published exports, the Role that reads them, and each consumer's namespace, identity and rights. */
export function buildConsumerAccess(args: ConsumerAccessArgs): Manifest[] {
    if (args.consumers.length === 0) return [];
    const labels = recommendedLabels(args.deploymentName, "tenancy-exports");
    return [
        {
            kind: "ConfigMap",
            metadata: { name: exportsConfigMap.name, namespace: args.systemNamespace, labels },
            data: { [exportsConfigMap.key]: args.publishedExports },
        },
        {
            kind: "Role",
            metadata: { name: exportsReaderRole, namespace: args.systemNamespace, labels },
            rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: [exportsConfigMap.name], verbs: ["get"] }],
        },
        ...args.consumers.flatMap((c) => consumerObjects(args, c)),
    ];
}

/** What a scoped kubeconfig is made of: the cluster's address and CA, and one token. */
export interface ScopedKubeconfigArgs {
    readonly clusterName: string;
    readonly server: string;
    /** Base64 PEM of the cluster's CA; absent when the admin kubeconfig trusts the system's CAs. */
    readonly certificateAuthorityData?: string;
    readonly insecureSkipTlsVerify?: boolean;
    readonly consumer: string;
    readonly namespace: string;
    readonly token: string;
}

/** A kubeconfig with one cluster, one user (the token) and one context defaulting to the consumer's namespace. JSON is YAML. */
export function scopedKubeconfig(args: ScopedKubeconfigArgs): string {
    const name = `${args.clusterName}-${args.consumer}`;
    return JSON.stringify(
        {
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: args.clusterName,
                    cluster: {
                        server: args.server,
                        ...(args.certificateAuthorityData ? { "certificate-authority-data": args.certificateAuthorityData } : {}),
                        ...(args.insecureSkipTlsVerify ? { "insecure-skip-tls-verify": true } : {}),
                    },
                },
            ],
            users: [{ name: args.consumer, user: { token: args.token } }],
            contexts: [{ name, context: { cluster: args.clusterName, user: args.consumer, namespace: args.namespace } }],
            "current-context": name,
        },
        null,
        2,
    );
}
