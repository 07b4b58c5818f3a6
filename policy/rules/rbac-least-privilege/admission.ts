// rbac-least-privilege at admission: Roles and ClusterRoles without wildcards,
// escalate/bind/impersonate or nodes/proxy; no binding to a forbidden ClusterRole;
// no ClusterRoleBinding to a built-in role that reads secrets (lists from params).
// The platform-operator-chart exception: under `operatorRbac: chart`, the chart's own
// ClusterRoles and bindings written by the operator's own account; and the operator's
// full-rights Role and RoleBinding in Domino's installer namespaces, written by anyone but
// Domino's service accounts (the identity that installs the stack).
// Preview-only: a ClusterRoleBinding to a ClusterRole of Domino's own that reads
// secrets, which needs the bound role beside the binding.
import { type AdmissionTwin, lit, paramList, rules, type Validation } from "../../admission/twin";

const rule = "rbac-least-privilege";
const isRole = "variables.operatorGrant || !(object.kind in ['Role', 'ClusterRole']) || !has(object.rules) || object.rules.all";
const roleCheck = (pred: string, says: string): Validation => ({
    expression: `${isRole}(r, ${pred})`,
    messageExpression: `${lit(`${rule}: `)} + object.kind + ' ' + object.metadata.name + ${lit(` ${says}`)}`,
    message: `${rule}: ${says}`,
});
const roleRef = "object.roleRef.kind == 'ClusterRole'";

export function rbacLeastPrivilegeTwin(): AdmissionTwin {
    return {
        rule,
        policy: rule,
        reach: "both",
        resourceRules: [rules("rbac.authorization.k8s.io", ["roles", "rolebindings", "clusterroles", "clusterrolebindings"])],
        variables: [
            {
                name: "operatorGrant",
                expression:
                    `(params.data.operatorRbac == 'chart' && request.userInfo.username == params.data.operatorUser && (object.kind + '/' + object.metadata.name) in ${paramList("operatorObjects")}) || ` +
                    `(object.kind in ['Role', 'RoleBinding'] && object.metadata.name == params.data.operatorNamespaceRole && has(request.namespace) && request.namespace in ${paramList("operatorNamespaces")} && ` +
                    `!${paramList("namespaces")}.exists(ns, request.userInfo.username.startsWith('system:serviceaccount:' + ns + ':')))`,
            },
        ],
        validations: [
            roleCheck("!has(r.verbs) || !('*' in r.verbs)", "grants every verb ('*')"),
            roleCheck("!has(r.resources) || !r.resources.exists(x, x == '*' || x.startsWith('*/'))", "grants every resource ('*')"),
            roleCheck("!has(r.apiGroups) || !('*' in r.apiGroups)", "grants every API group ('*')"),
            roleCheck(
                "!has(r.verbs) || !r.verbs.exists(v, v in ['escalate', 'bind', 'impersonate'])",
                "grants escalate, bind or impersonate, which lets its holder exceed its own rights",
            ),
            roleCheck("!has(r.resources) || !r.resources.exists(x, x in ['nodes/proxy', 'nodes/*'])", "grants nodes/proxy, which reaches every kubelet's API"),
            {
                expression: `variables.operatorGrant || !(object.kind in ['RoleBinding', 'ClusterRoleBinding']) || !(${roleRef} && object.roleRef.name in ${paramList("forbiddenRoles")})`,
                messageExpression: `'${rule}: ' + object.kind + ' ' + object.metadata.name + ' binds ClusterRole ' + object.roleRef.name`,
                message: `${rule}: a binding references a forbidden ClusterRole`,
            },
            {
                expression: `variables.operatorGrant || object.kind != 'ClusterRoleBinding' || !(${roleRef} && object.roleRef.name in ${paramList("secretReadingBuiltinRoles")})`,
                messageExpression: `'${rule}: ClusterRoleBinding ' + object.metadata.name + ' grants ClusterRole ' + object.roleRef.name + ', which reads secrets, in every namespace; bind it per namespace with a RoleBinding'`,
                message: `${rule}: a ClusterRoleBinding grants a role that reads secrets in every namespace`,
            },
        ],
        previewOnly: "a ClusterRoleBinding to a ClusterRole of Domino's own that reads secrets (needs the bound role beside the binding)",
    };
}
