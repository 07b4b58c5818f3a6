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
    /**
     * CEL building the refusal; starts with the rule's name. Left out of the pod-template
     * checks on purpose: the API server evaluates every messageExpression of a policy on
     * every request, passing or not, in an activation of its own (k8s.io/apiserver
     * v0.36 validator.go), which cost more than the checks themselves (docs/admission.md, "The
     * cost of admission"). The refusal names the object already; `message` names the rule.
     */
    readonly messageExpression?: string;
    /** The refusal (or the fallback when messageExpression fails); starts with the rule's name. */
    readonly message: string;
}

export interface Variable {
    readonly name: string;
    readonly expression: string;
}

/** Which requests a twin judges: objects in Domino's namespaces, cluster-scoped objects Domino's service accounts write, or both. */
export type Reach = "namespaced" | "cluster" | "both";

export interface AdmissionTwin {
    /** The rule's kebab name: every message's first word. */
    readonly rule: string;
    /**
     * The ValidatingAdmissionPolicy this twin's checks join (`<deployment>-<policy>`):
     * its rule's name, or `pod-templates` for the checks on pod templates. The API
     * server converts the object anew for every policy it evaluates, so one policy per
     * kind of object costs a request once, not once per rule (policies.ts groups them).
     */
    readonly policy: string;
    readonly reach: Reach;
    readonly resourceRules: readonly ResourceRule[];
    readonly excludeResourceRules?: readonly ResourceRule[];
    readonly variables: readonly Variable[];
    readonly validations: readonly Validation[];
    /** What the CrossGuard rule decides that this twin cannot, in one line (empty when nothing). */
    readonly previewOnly: string;
}

const writes = ["CREATE", "UPDATE"] as const;

/** The policy every pod-template check joins: one conversion and one set of variables per request. */
export const podTemplatesPolicy = "pod-templates";

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
 * What the pod-template checks read, computed at most once per request: the API server
 * evaluates a variable lazily, the first time a check reads it, and keeps the value for
 * the rest of the policy. Total for every kind (empty for objects with no pod), so twins
 * that also judge other kinds can share them. The workload (`namespace/name`) is what
 * exceptions name; read only when a check would otherwise refuse. A pod made by a
 * DaemonSet is named after its DaemonSet, so the DaemonSet's exceptions cover its pods.
 * Twins of one policy share variables by name, so each is defined here once.
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
    { name: "volumes", expression: "has(variables.podSpec.volumes) ? variables.podSpec.volumes : []" },
    { name: "nodeSelector", expression: "has(variables.podSpec.nodeSelector) ? variables.podSpec.nodeSelector : {}" },
    {
        name: "requiredTerms",
        expression:
            "has(variables.podSpec.affinity) && has(variables.podSpec.affinity.nodeAffinity) && has(variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) && " +
            "has(variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) ? " +
            "variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms : []",
    },
    { name: "hostNetwork", expression: "has(variables.podSpec.hostNetwork) && variables.podSpec.hostNetwork" },
];

/**
 * A check that must hold for every container. `pred` uses `c` for the container; put
 * the cheap field tests first and exception lookups (params, `variables.workload`)
 * last, so a passing container never reaches them.
 */
export function everyContainer(rule: string, pred: string, says: string): Validation {
    return { expression: `variables.containers.all(c, ${pred})`, message: `${rule}: a container ${says}` };
}

/** A check with a fixed message about the workload. */
export function onWorkload(rule: string, expression: string, says: string): Validation {
    return { expression, message: `${rule}: the workload ${says}` };
}
