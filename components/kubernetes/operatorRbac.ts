// Domino's Platform Operator as a tenant: what its chart's rendered objects become, and
// the Roles that give it its own namespaces. Pure; components/tenancy/platformOperator.ts
// hands operatorChartTransform to helm.v4.Chart as a `transforms` resource option, which
// the engine applies to every object the chart renders before it is registered (so the
// policy pack judges the transformed object, and no forked chart is needed).
//
// The chart (0.6.0) binds its service account, which the agent Job runs as too, to a
// ClusterRole with every verb on everything. With `operatorRbac: confined` that role's
// rules are replaced by confinedReconcilerRules, and operatorNamespaceGrants gives full
// rights in each of Domino's namespaces. RBAC's escalation check shapes the set: the
// agent can only create a Role or ClusterRole (or bind one) that grants what it holds, so
// every right Domino's own charts grant their components must be in here. Which kinds and
// verbs those charts need is a judgement from Domino's published footprint (domino.md:
// prefixed ClusterRoles, a CRD in its own group, dynamic PVCs, its own priority and storage
// classes), not a fact read from the charts: docs/installing-domino.md says how to see
// what it breaks.

import {
    isOperatorOwnObject,
    type Isolation,
    operatorApiGroup,
    operatorNamespaceRoleName,
    operatorPriorityClass,
    operatorReconcilerRole,
    operatorServiceAccount,
    recommendedLabels,
} from "@domino-tenancy/core";
import type { Manifest } from "./manifest";

export type OperatorRbac = "confined" | "chart";

interface PolicyRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

const read = ["get", "list", "watch"];
const write = ["create", "update", "patch", "delete", "deletecollection"];

/** Namespaced kinds the operator reads everywhere and (when admission confines writes) writes anywhere admission lets it: never Secrets' contents. */
const namespacedKinds: Readonly<Record<string, readonly string[]>> = {
    "": ["pods", "services", "endpoints", "configmaps", "serviceaccounts", "persistentvolumeclaims", "events", "resourcequotas", "limitranges"],
    apps: ["deployments", "statefulsets", "daemonsets", "replicasets"],
    batch: ["jobs", "cronjobs"],
    "networking.k8s.io": ["networkpolicies", "ingresses"],
    policy: ["poddisruptionbudgets"],
    "rbac.authorization.k8s.io": ["roles", "rolebindings"],
    autoscaling: ["horizontalpodautoscalers"],
    "coordination.k8s.io": ["leases"],
    [operatorApiGroup]: ["dominos", "helmreleases"],
};

/**
 * Cluster-scoped kinds Domino's installer writes: its namespaces, its prefixed ClusterRoles
 * and bindings, its CRDs, its priority and storage classes, its volumes and webhooks.
 * Admission (operator-writes-confined) keeps each write to Domino's names and groups.
 */
const clusterScopedKinds: Readonly<Record<string, readonly string[]>> = {
    "": ["namespaces", "persistentvolumes"],
    "rbac.authorization.k8s.io": ["clusterroles", "clusterrolebindings"],
    "apiextensions.k8s.io": ["customresourcedefinitions"],
    "scheduling.k8s.io": ["priorityclasses"],
    "storage.k8s.io": ["storageclasses"],
    "networking.k8s.io": ["ingressclasses"],
    "admissionregistration.k8s.io": ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
};

/** Cluster-wide reads only: what Domino's admin pages and controllers look at (nodes, its own kinds' status). */
const readOnlyKinds: Readonly<Record<string, readonly string[]>> = {
    "": ["nodes", "pods/log"],
    "storage.k8s.io": ["csidrivers", "csinodes", "volumeattachments"],
    "discovery.k8s.io": ["endpointslices"],
    "metrics.k8s.io": ["pods", "nodes"],
};

const rulesOf = (kinds: Readonly<Record<string, readonly string[]>>, verbs: string[]): PolicyRule[] =>
    Object.entries(kinds).map(([group, resources]) => ({ apiGroups: [group], resources: [...resources], verbs }));

/**
 * The reconciler role's rules under `confined`: cluster-wide reads without Secrets, and
 * writes of the cluster-scoped kinds Domino installs. With admission on, also writes (never
 * reads) of namespaced kinds anywhere: the confinement policy refuses those outside Domino's
 * namespaces, naming its rule, where RBAC would refuse without saying why. With admission
 * off nothing would, so RBAC keeps namespaced writes to Domino's namespaces.
 */
export function confinedReconcilerRules(admission: boolean): PolicyRule[] {
    return [
        ...rulesOf(namespacedKinds, admission ? [...read, ...write] : read),
        ...(admission ? [{ apiGroups: [""], resources: ["secrets"], verbs: write }] : []),
        ...rulesOf(clusterScopedKinds, [...read, ...write]),
        ...rulesOf(readOnlyKinds, read),
    ];
}

export interface OperatorGrantArgs {
    readonly deploymentName: string;
    /** Domino's namespaces: the operator gets full rights in each. */
    readonly namespaces: readonly string[];
    /** Where the operator's service account lives. */
    readonly operatorNamespace: string;
}

/**
 * Full rights in each of Domino's namespaces (confined): a Role and its RoleBinding per
 * namespace. Every verb, including escalate and bind, so Domino's charts can create the
 * Roles their components need there; a Role reaches no further than its namespace.
 */
export function operatorNamespaceGrants(args: OperatorGrantArgs): Manifest[] {
    const name = operatorNamespaceRoleName(args.deploymentName);
    const labels = recommendedLabels(args.deploymentName, "platform-operator");
    return args.namespaces.flatMap((namespace): Manifest[] => [
        { kind: "Role", metadata: { name, namespace, labels }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] },
        {
            kind: "RoleBinding",
            metadata: { name, namespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
            subjects: [{ kind: "ServiceAccount", name: operatorServiceAccount, namespace: args.operatorNamespace }],
        },
    ]);
}

export interface OperatorTransformArgs {
    readonly rbac: OperatorRbac;
    readonly isolation: Isolation;
    /** Whether the admission policies are registered (domino.admission.enabled). */
    readonly admission: boolean;
}

type Props = Record<string, unknown>;
type PodSecurity = { seLinuxOptions?: { type?: string } };

/** `kubernetes:scheduling.k8s.io/v1:PriorityClass` -> `PriorityClass`. */
const kindOf = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/**
 * The edit of one rendered object of the operator's chart, or undefined to leave it as
 * rendered. Matches the chart's own objects by kind and name (core's operatorOwnObjects),
 * so a chart that renders them differently keeps working and the policy pack still judges
 * whatever it renders:
 * - confined: the reconciler ClusterRole's rules become confinedReconcilerRules;
 * - shared isolation: the operator's PriorityClass never preempts (Domino's pods share
 *   nodes with other tenants there); its name stays, the operator's arguments name it;
 * - the operator's pod drops SELinux type `spc_t` ("super-privileged container"), which
 *   Pod Security baseline and restricted refuse in Domino's system namespace. The
 *   operator talks to the API server and writes an emptyDir: the runtime's default type
 *   suffices (a judgement; on nodes without SELinux the field does nothing anyway).
 */
export function operatorChartTransform(args: OperatorTransformArgs): (type: string, props: Props) => Props | undefined {
    return (type, props) => {
        const kind = kindOf(type);
        const name = (props.metadata as { name?: string } | undefined)?.name;
        if (args.rbac === "confined" && kind === "ClusterRole" && name === operatorReconcilerRole) {
            return { ...props, rules: confinedReconcilerRules(args.admission) };
        }
        if (args.isolation === "shared" && kind === "PriorityClass" && name === operatorPriorityClass && isOperatorOwnObject(kind, name)) {
            return { ...props, preemptionPolicy: "Never" };
        }
        if (kind === "Deployment") {
            const template = (props.spec as { template?: { spec?: { securityContext?: PodSecurity } } } | undefined)?.template;
            const security = template?.spec?.securityContext;
            if (security?.seLinuxOptions?.type === "spc_t") {
                const { seLinuxOptions: _dropped, ...rest } = security;
                const spec = props.spec as Props;
                return { ...props, spec: { ...spec, template: { ...template, spec: { ...template!.spec, securityContext: rest } } } };
            }
        }
        return undefined;
    };
}
