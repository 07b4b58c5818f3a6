// rbac-least-privilege: a minimal ClusterRole with explicit rules and its bindings, one
// rule or reference changed per case.
import { operatorUsername } from "@domino-tenancy/core";
import {
    fromOperatorChart,
    fromPlatformOperator,
    installerIdentity,
    type KubeObject,
    namespaces,
    type RuleCase,
    toResource,
    tweak,
    withModel,
    withOperator,
} from "../../testing/fixtures";

type PolicyRule = { apiGroups?: string[]; resources?: string[]; verbs?: string[] };
const clusterRole = (name: string, rules: PolicyRule[]): KubeObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name },
    rules,
});
const binding = (kind: "RoleBinding" | "ClusterRoleBinding", name: string, role: string, namespace?: string): KubeObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ kind: "ServiceAccount", name: "domino-platform", namespace: "domino-platform" }],
});
const podReader = clusterRole("domino-pod-reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
const secretsManager = clusterRole("domino-compute-manager", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }]);
const stack = (...objects: KubeObject[]) => objects.map(toResource);
const withRule = (edit: (rule: PolicyRule) => void) => tweak(podReader, (r) => edit((r.rules as PolicyRule[])[0]));

const everything = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];
/** The operator chart's cluster-admin grant as Domino ships it (0.6.0). */
const chartGrant = [
    clusterRole("platform-operator-reconciler-role", [...everything, { nonResourceURLs: ["*"], verbs: ["*"] } as PolicyRule]),
    {
        ...binding("ClusterRoleBinding", "platform-operator-reconciler-rolebinding", "platform-operator-reconciler-role"),
        subjects: [{ kind: "ServiceAccount", name: "platform-operator", namespace: namespaces.system }],
    },
];
const namespaceGrant = (namespace: string): KubeObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "domino-platform-operator", namespace },
    rules: everything,
});

export const cases: readonly RuleCase[] = [
    {
        name: "accepts the operator chart's cluster-admin grant as shipped when the stack chose operatorRbac chart",
        resources: withModel(withOperator("chart"), ...chartGrant.map(fromOperatorChart)),
        requestedBy: operatorUsername(namespaces.system),
        expect: null,
    },
    {
        name: "rejects the operator chart's cluster-admin grant under operatorRbac confined, where it must have been rewritten",
        resources: withModel(withOperator("confined"), ...chartGrant.map(fromOperatorChart)),
        requestedBy: operatorUsername(namespaces.system),
        expect: /ClusterRole platform-operator-reconciler-role: rules\[0\] grants every verb/,
    },
    {
        name: "accepts the operator's full-rights Role in a Domino installer namespace, which the PlatformOperator component creates",
        resources: withModel(withOperator(), fromPlatformOperator(namespaceGrant(namespaces.compute))),
        requestedBy: installerIdentity,
        expect: null,
    },
    {
        name: "rejects a full-rights Role of that name in a namespace that is not one of Domino's installer namespaces",
        resources: withModel(withOperator(), fromPlatformOperator(namespaceGrant(namespaces.devicePlugin))),
        requestedBy: installerIdentity,
        expect: /Role domino-device-plugin\/domino-platform-operator: rules\[0\] grants every verb/,
    },
    {
        name: "rejects a full-rights Role of that name written by anything but the PlatformOperator component",
        resources: withModel(withOperator(), namespaceGrant(namespaces.compute)),
        expect: /Role domino-compute\/domino-platform-operator: rules\[0\] grants every verb/,
    },
    {
        name: "accepts explicit rules, with secrets granted per namespace only",
        resources: stack(
            podReader,
            secretsManager,
            binding("ClusterRoleBinding", "domino-pod-reader", "domino-pod-reader"),
            binding("RoleBinding", "domino-compute-manager", "domino-compute-manager", "domino-compute"),
        ),
        expect: null,
    },
    {
        name: "rejects wildcard verbs",
        resources: stack(withRule((rule) => (rule.verbs = ["*"]))),
        expect: /ClusterRole domino-pod-reader: rules\[0\] grants every verb/,
    },
    { name: "rejects wildcard resources", resources: stack(withRule((rule) => (rule.resources = ["*"]))), expect: /grants every resource/ },
    { name: "rejects wildcard API groups", resources: stack(withRule((rule) => (rule.apiGroups = ["*"]))), expect: /grants every API group/ },
    {
        name: "rejects escalate, bind and impersonate",
        resources: stack(
            clusterRole("domino-binder", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind", "escalate"] }]),
        ),
        expect: /grants bind, escalate/,
    },
    {
        name: "rejects nodes/proxy",
        resources: stack(clusterRole("domino-kubelet", [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }])),
        expect: /nodes\/proxy/,
    },
    {
        name: "judges namespaced Roles too",
        resources: stack({ ...withRule((rule) => (rule.verbs = ["*"])), kind: "Role", metadata: { name: "pod-admin", namespace: "domino-platform" } }),
        expect: /Role domino-platform\/pod-admin: rules\[0\] grants every verb/,
    },
    {
        name: "rejects a binding to cluster-admin",
        resources: stack(binding("ClusterRoleBinding", "domino-node-reader", "cluster-admin")),
        expect: /ClusterRoleBinding domino-node-reader binds ClusterRole cluster-admin/,
    },
    {
        name: "rejects a namespaced binding to cluster-admin too",
        resources: stack(binding("RoleBinding", "domino-admin", "cluster-admin", "domino-platform")),
        expect: /RoleBinding domino-platform\/domino-admin binds ClusterRole cluster-admin/,
    },
    {
        name: "rejects a ClusterRoleBinding that grants secrets in every namespace",
        resources: stack(secretsManager, binding("ClusterRoleBinding", "domino-node-reader", "domino-compute-manager")),
        expect: /grants ClusterRole domino-compute-manager, which reads secrets, in every namespace/,
    },
    {
        name: "rejects a ClusterRoleBinding to a built-in role that reads secrets",
        resources: stack(binding("ClusterRoleBinding", "domino-editors", "edit")),
        expect: /grants ClusterRole edit, which reads secrets/,
    },
];
