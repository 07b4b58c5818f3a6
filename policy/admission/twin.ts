// A rule's runtime twin: the same judgement made by the API server at admission, as
// a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, stable since 1.30).
// Each rule's folder builds its twin (policy/rules/<name>/admission.ts) so the two
// live side by side; this file holds the shapes and the CEL pieces they share. The
// twins read every list (exceptions, storage classes, pools, prefix) from one params
// object generated from the tenancy model (params.ts), never from copies in CEL.
// Plain data only: the program registers the objects (components/kubernetes/
// admissionPolicies.ts) and the fast tier evaluates the CEL (test/policy/admission*).

/** A rule of `matchConstraints.resourceRules`, as admissionregistration.k8s.io/v1 has it. */
export interface ResourceRule {
    readonly apiGroups: readonly string[];
    readonly apiVersions: readonly string[];
    readonly resources: readonly string[];
    readonly operations: readonly ("CREATE" | "UPDATE" | "DELETE" | "CONNECT" | "*")[];
    readonly scope?: "Namespaced" | "Cluster" | "*";
}

export interface Validation {
    /** CEL that must be true for the object to be admitted. */
    readonly expression: string;
    /** CEL building the refusal; starts with the rule's name. */
    readonly messageExpression: string;
    /** Shown when messageExpression itself fails; also starts with the rule's name. */
    readonly message: string;
}

export interface Variable {
    readonly name: string;
    readonly expression: string;
}

/** Which requests a twin judges: objects in Domino's namespaces, cluster-scoped objects Domino's service accounts write, or both. */
export type Reach = "namespaced" | "cluster" | "both";

export interface AdmissionTwin {
    /** The rule's kebab name: the policy's name suffix and every message's first word. */
    readonly rule: string;
    readonly reach: Reach;
    readonly resourceRules: readonly ResourceRule[];
    readonly excludeResourceRules?: readonly ResourceRule[];
    readonly variables: readonly Variable[];
    readonly validations: readonly Validation[];
    /** What the CrossGuard rule decides that this twin cannot, in one line (empty when nothing). */
    readonly previewOnly: string;
}

const writes = ["CREATE", "UPDATE"] as const;

/** Every kind that carries a pod template, as resource rules. */
export const podWrapperRules: readonly ResourceRule[] = [
    { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: writes },
    { apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"], operations: writes },
    { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"], operations: writes },
];

export function rules(apiGroup: string, resources: readonly string[], scope?: ResourceRule["scope"]): ResourceRule {
    return { apiGroups: [apiGroup], apiVersions: ["v1"], resources, operations: writes, ...(scope ? { scope } : {}) };
}

/** A CEL string literal. */
export function lit(s: string): string {
    return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** `has(a.b) && has(a.b.c) ...`: true when every field on the path is present. */
export function present(root: string, ...path: string[]): string {
    return path.map((_, i) => `has(${[root, ...path.slice(0, i + 1)].join(".")})`).join(" && ");
}

/** A params list (comma-separated in the ConfigMap), as a CEL list. */
export function paramList(key: string): string {
    return `params.data[${lit(key)}].split(',')`;
}

/**
 * The pod spec of any wrapper, its containers, and the workload (`namespace/name`) the
 * exceptions name. Total for every kind (empty for objects with no pod), so twins
 * that also judge other kinds can share them. A pod made by a DaemonSet is named
 * after its DaemonSet, so the DaemonSet's exceptions cover its pods.
 */
export const podVariables: readonly Variable[] = [
    {
        name: "podSpec",
        expression:
            "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : " +
            "(has(object.spec) && has(object.spec.template) && has(object.spec.template.spec)) ? object.spec.template.spec : {}",
    },
    {
        name: "containers",
        expression:
            "(has(variables.podSpec.containers) ? variables.podSpec.containers : []) + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + " +
            "(has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])",
    },
    {
        name: "controllerKind",
        expression:
            "object.kind == 'Pod' && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, o.kind == 'DaemonSet') ? 'DaemonSet' : object.kind",
    },
    {
        name: "workload",
        // A cluster-scoped request carries no namespace key; reading it would be an error.
        expression:
            "(has(request.namespace) ? request.namespace : '') + '/' + (object.kind == 'Pod' && variables.controllerKind == 'DaemonSet' ? object.metadata.ownerReferences.filter(o, o.kind == 'DaemonSet')[0].name : " +
            "has(object.metadata.name) ? object.metadata.name : object.metadata.generateName)",
    },
];

/** `<Kind> <namespace>/<name>`, the way the pack's messages name a workload. */
export const workloadRef = "object.kind + ' ' + variables.workload";

/**
 * A check that must hold for every container: the expression, and a message listing
 * the containers that fail it. `pred` uses `c` for the container.
 */
export function everyContainer(rule: string, pred: string, says: string): Validation {
    return {
        expression: `variables.containers.all(c, ${pred})`,
        messageExpression: `${lit(`${rule}: `)} + ${workloadRef} + ': container(s) ' + variables.containers.filter(c, !(${pred})).map(c, c.name).join(', ') + ${lit(` ${says}`)}`,
        message: `${rule}: a container ${says}`,
    };
}

/** A check with a fixed message after the workload's name. */
export function onWorkload(rule: string, expression: string, says: string): Validation {
    return { expression, messageExpression: `${lit(`${rule}: `)} + ${workloadRef} + ${lit(` ${says}`)}`, message: `${rule}: ${says}` };
}
