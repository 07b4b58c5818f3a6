// operator-writes-confined: what Domino's Platform Operator (and the agent Jobs it runs
// as the same account) may write, decided at admission. Not a twin: the pack never sees
// the operator's writes, which happen at runtime; this policy exists only at admission.
//
// Bound by matchConditions to the operator's service account(s) (the program inlines the
// usernames: see components/kubernetes/admissionPolicies.ts), it refuses any create,
// update or delete
//   - of a namespaced object outside Domino's installer namespaces (platform, compute,
//     system: not the node agents' privileged namespaces);
//   - of a cluster-scoped object that is neither prefixed with the deployment's name, nor
//     one of the operator chart's own (core's operatorOwnObjects), nor in one of Domino's
//     API groups (a cluster-scoped object of the group, or a CRD defining one).
// Everything in Domino's namespaces passes: Helm's release Secrets, HelmReleases, Jobs.
//
// No params object: the values are written into the CEL. A binding that matches every
// request cluster-wide looks its params up before its matchConditions run (measured on a
// 1.36 API server), so with params and parameterNotFoundAction Deny a missing params
// ConfigMap refused every write in the cluster, other tenants' and the admin's alike.
//
// What it cannot cover: reads (admission never sees a get, list or watch: RBAC confines
// reads, docs/installing-domino.md), and requests made through another identity (a
// token the operator mints for another account of Domino's namespaces, which its full
// rights there allow, is judged as that account by the twins, not by this policy).

import type { AdmissionPolicy } from "./policies";
import { lit, type ResourceRule } from "./twin";

/** What the policy allows, for one deployment; from the tenancy model (components/kubernetes/admissionPolicies.ts). */
export interface OperatorConfinementArgs {
    /** `<name>-`: what Domino's cluster-scoped names start with. */
    readonly prefix: string;
    /** Domino's installer namespaces. */
    readonly namespaces: readonly string[];
    /** Domino's API groups (and their subdomains). */
    readonly apiGroups: readonly string[];
    /** The operator chart's own cluster-scoped objects, as `Kind/name`. */
    readonly operatorObjects: readonly string[];
}

const list = (items: readonly string[]) => `[${items.map(lit).join(", ")}]`;

export const operatorConfinementRule = "operator-writes-confined";

const rule = operatorConfinementRule;
const everything: ResourceRule = { apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], scope: "*" };
// Requests, not objects: reviews the operator asks for its own checks (and which write nothing).
const reviews: ResourceRule = {
    apiGroups: ["authentication.k8s.io", "authorization.k8s.io"],
    apiVersions: ["*"],
    resources: ["*"],
    operations: ["*"],
    scope: "*",
};
const target = "variables.target";
const described =
    "request.userInfo.username + ' may not ' + request.operation + ' ' + request.kind.kind + ' ' + " +
    "(variables.namespaced ? request.namespace + '/' : '') + variables.name";

/** The policy as the API server gets it; components/kubernetes/admissionPolicies.ts adds the match condition and the binding. */
export function operatorConfinementPolicy(args: OperatorConfinementArgs): AdmissionPolicy {
    return {
        name: rule,
        rules: [rule],
        reach: "both",
        resourceRules: [everything],
        excludeResourceRules: [reviews],
        variables: [
            // A delete carries the object as oldObject.
            { name: "target", expression: "object != null ? object : oldObject" },
            { name: "namespaced", expression: "has(request.namespace) && request.namespace != ''" },
            {
                name: "name",
                expression: `request.name != '' ? request.name : has(${target}.metadata.name) ? ${target}.metadata.name : ''`,
            },
            {
                name: "ownGroup",
                expression:
                    `${list(args.apiGroups)}.exists(g, request.kind.group == g || request.kind.group.endsWith('.' + g) || ` +
                    `(request.kind.kind == 'CustomResourceDefinition' && has(${target}.spec) && has(${target}.spec.group) && ` +
                    `(${target}.spec.group == g || ${target}.spec.group.endsWith('.' + g))))`,
            },
        ],
        validations: [
            {
                expression: `!variables.namespaced || request.namespace in ${list(args.namespaces)}`,
                messageExpression: `${lit(`${rule}: `)} + ${described} + ${lit(`: it is outside Domino's namespaces (${args.namespaces.join(", ")})`)}`,
                message: `${rule}: Domino's operator writes only in Domino's namespaces`,
            },
            {
                expression:
                    `variables.namespaced || variables.name.startsWith(${lit(args.prefix)}) || variables.ownGroup || ` +
                    `(request.kind.kind + '/' + variables.name) in ${list(args.operatorObjects)}`,
                messageExpression: `${lit(`${rule}: `)} + ${described} + ${lit(`: a cluster-scoped object must be prefixed '${args.prefix}', be one of the operator chart's own, or be in one of Domino's API groups (${args.apiGroups.join(", ")})`)}`,
                message: `${rule}: Domino's operator writes only Domino's cluster-scoped objects`,
            },
        ],
    };
}

/** `system:serviceaccount:<ns>:<name>` for each account: the policy's match condition. */
export function operatorAccountsCondition(usernames: readonly string[]): string {
    return `request.userInfo.username in [${usernames.map(lit).join(", ")}]`;
}

/** The policy's values from a deployment's params data (params.ts), so both say the same: prefix, namespaces, groups, the chart's objects. */
export function operatorConfinementArgs(params: Readonly<Record<string, string>>): OperatorConfinementArgs {
    const split = (key: string) => (params[key] ? params[key].split(",") : []);
    return { prefix: params.prefix, namespaces: split("operatorNamespaces"), apiGroups: split("ownedApiGroups"), operatorObjects: split("operatorObjects") };
}
