// The guards stay (MTB-PL1-BC-CPI-2): what the program puts in Domino's namespaces to
// guard them (the quota, the LimitRange, the default-deny NetworkPolicies, the
// RoleBindings; labelled app.kubernetes.io/managed-by=domino-tenancy) can be changed or
// deleted by the program's deploy identity alone. RBAC cannot say this: a namespace admin
// who may delete NetworkPolicies may delete these too. A ValidatingAdmissionPolicy can,
// by the object's label and the requester.
// Who may: the deploy identities (domino.admission.deployIdentities; on AWS derived from
// cluster.access.deployRoleArns as EKS names their sessions), and the namespace controller
// and garbage collector, which empty a namespace `pulumi destroy` deletes. Nobody else,
// cluster admins included: their way out is deleting the binding (a cluster-scoped object
// a tenant cannot touch), which verify then reports.
// No deploy identity known: no guard (a guard that refuses `pulumi up` its own quota is
// worse than none); verify's mtb-block-multitenant-resources then fails, saying what to set.
// Pure: manifests only.

import { deploymentLabel, managedByLabel, programName, recommendedLabels } from "@domino-tenancy/core";
import type { DeploymentModel } from "../model/model";
import type { Manifest } from "./manifest";

export const guardsStayName = (deploymentName: string) => `${deploymentName}-guards-stay`;

/** The message's first word, as every twin's names its rule: verify credits the refusal by it. */
export const guardsStayRule = "guards-stay";

/** Kubernetes' own controllers that delete a namespace's contents when the namespace goes. */
export const namespaceCleaners = ["system:serviceaccount:kube-system:namespace-controller", "system:serviceaccount:kube-system:generic-garbage-collector"];

/** The kinds the program guards Domino's namespaces with. */
export const guardedResources = [
    { apiGroups: [""], resources: ["resourcequotas", "limitranges"] },
    { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"] },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"] },
] as const;

/** `arn:aws:iam::123:role/path/Name` -> `arn:aws:sts::123:assumed-role/Name/*`: how EKS access entries name a role's sessions. */
export function eksSessionsOf(roleArn: string): string {
    const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!m) throw new Error(`${roleArn} is not an IAM role ARN`);
    return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/*`;
}

/** The deploy identities: as configured, else derived where the cloud names them; empty when unknown. */
export function deployIdentitiesOf(model: DeploymentModel): string[] {
    if (model.admission.deployIdentities?.length) return [...model.admission.deployIdentities];
    if (model.cluster.cloud === "aws") return model.cluster.access.deployRoleArns.map(eksSessionsOf);
    return [];
}

const lit = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** CEL: the requester is one of these users; a trailing `*` matches a prefix. */
export function requesterIn(users: readonly string[]): string {
    const exact = users.filter((u) => !u.endsWith("*"));
    const prefixes = users.filter((u) => u.endsWith("*")).map((u) => u.slice(0, -1));
    const parts = [
        ...(exact.length ? [`request.userInfo.username in [${exact.map(lit).join(", ")}]`] : []),
        ...(prefixes.length ? [`[${prefixes.map(lit).join(", ")}].exists(p, request.userInfo.username.startsWith(p))`] : []),
    ];
    return parts.join(" || ");
}

export function buildGuardsStay(model: DeploymentModel): Manifest[] {
    const identities = deployIdentitiesOf(model);
    if (!model.admission.enabled || identities.length === 0) return [];
    const name = guardsStayName(model.name);
    const labels = recommendedLabels(model.name, "admission");
    return [
        {
            kind: "ValidatingAdmissionPolicy",
            metadata: { name, labels },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: guardedResources.map((r) => ({
                        apiGroups: [...r.apiGroups],
                        apiVersions: ["v1"],
                        resources: [...r.resources],
                        operations: ["UPDATE", "DELETE"],
                    })),
                },
                validations: [
                    {
                        expression: requesterIn([...identities, ...namespaceCleaners]),
                        message: `${guardsStayRule}: this object is one of the program's guards of Domino's namespace; only the deploy identity may change or delete it (domino.admission.deployIdentities: ${identities.join(", ")})`,
                        reason: "Forbidden",
                    },
                ],
            },
        },
        {
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name, labels },
            spec: {
                policyName: name,
                validationActions: [model.admission.validationActions],
                matchResources: {
                    namespaceSelector: { matchLabels: { [deploymentLabel]: model.name } },
                    objectSelector: { matchLabels: { [managedByLabel]: programName } },
                },
            },
        },
    ];
}
