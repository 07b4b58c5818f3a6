// Domino's Platform Operator as its chart (0.6.0) ships it: the names the program, the
// policy pack and the admission policies must agree on. Facts, not choices: the chart
// hard-codes them (the PriorityClass's name is even an argument of the operator), so the
// program adapts the rendered objects rather than renaming them. Pure.

/** The Helm release name; also the chart's `app.kubernetes.io/instance`. */
export const operatorReleaseName = "platform-operator";

/** The operator's service account. The agent Job runs as it too (`spec.agent.spec.serviceAccountName`). */
export const operatorServiceAccount = "platform-operator";

/** The operator's own API group: the `Domino` and `HelmRelease` kinds. */
export const operatorApiGroup = "operator.domino.ai";

/** The operator's own PriorityClass; the operator gives every agent Job this priority (`--job-priority-class`). */
export const operatorPriorityClass = "domino-operator";

/** The chart's ClusterRole that grants everything (every verb, resource, group and non-resource URL). */
export const operatorReconcilerRole = "platform-operator-reconciler-role";

/** The chart's ClusterRole the operator's controller itself uses (events, configmaps, jobs, its two kinds). */
export const operatorManagerRole = "platform-operator-manager-role";

/** A cluster-scoped object by kind and name. */
export interface ClusterObjectRef {
    readonly kind: string;
    readonly name: string;
}

/**
 * The chart's unprefixed cluster-scoped objects: the one named exception to
 * cluster-scoped-names-prefixed (policy/lib/exceptions.ts says when it applies). Their
 * names are fixed by the chart (the CRDs' by their group), and one operator serves
 * every deployment in the cluster, so no prefix could say whose they are anyway.
 */
export const operatorOwnObjects: readonly ClusterObjectRef[] = [
    { kind: "PriorityClass", name: operatorPriorityClass },
    { kind: "ClusterRole", name: operatorManagerRole },
    { kind: "ClusterRole", name: operatorReconcilerRole },
    { kind: "ClusterRoleBinding", name: "platform-operator-manager-rolebinding" },
    { kind: "ClusterRoleBinding", name: "platform-operator-reconciler-rolebinding" },
    { kind: "CustomResourceDefinition", name: `dominos.${operatorApiGroup}` },
    { kind: "CustomResourceDefinition", name: `helmreleases.${operatorApiGroup}` },
];

export function isOperatorOwnObject(kind: string | undefined, name: string | undefined): boolean {
    return operatorOwnObjects.some((o) => o.kind === kind && o.name === name);
}

/** `system:serviceaccount:<namespace>:platform-operator`: who the operator and its agent Jobs are to the API server. */
export function operatorUsername(namespace: string): string {
    return `system:serviceaccount:${namespace}:${operatorServiceAccount}`;
}

/**
 * Name of the Role (and RoleBinding) that gives the operator full rights in one of
 * Domino's namespaces when its grant is confined; prefixed, so it says whose it is.
 */
export function operatorNamespaceRoleName(deploymentName: string): string {
    return `${deploymentName}-platform-operator`;
}

/**
 * The namespaces Domino's installer works in: where a confined operator has full rights
 * and may write. Not the device-plugin and node-tuning namespaces: those hold the
 * program's own privileged node agents, and write access there is write access to nodes.
 */
export const operatorNamespaceRoles = ["platform", "compute", "system"] as const;
