// cluster-scoped-names-prefixed: minimal cluster-scoped objects of the deployment
// `domino`, one name or group changed per case.
import { operatorUsername } from "@domino-tenancy/core";
import {
    fromOperatorChart,
    type KubeObject,
    namespace,
    namespaces,
    type RuleCase,
    tenancy,
    tenancyModel,
    tweak,
    withModel,
    withOperator,
} from "../../testing/fixtures";

const clusterRole = (name: string): KubeObject => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules: [] });
const storageClass = (name: string): KubeObject => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner: "kubernetes.io/no-provisioner",
});
const crd = (name: string, group: string): KubeObject => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name },
    spec: { group, names: { kind: "Thing", plural: name.split(".")[0] }, scope: "Namespaced", versions: [] },
});

const priorityClass = (name: string): KubeObject => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value: 100000000 });
/** The operator chart's unprefixed objects, as Domino's chart 0.6.0 renders them. */
const operatorObjects = [
    priorityClass("domino-operator"),
    clusterRole("platform-operator-manager-role"),
    clusterRole("platform-operator-reconciler-role"),
    { ...clusterRole("platform-operator-reconciler-rolebinding"), kind: "ClusterRoleBinding" },
    crd("dominos.operator.domino.ai", "operator.domino.ai"),
    crd("helmreleases.operator.domino.ai", "operator.domino.ai"),
];
const operatorAccount = operatorUsername(namespaces.system);

export const cases: readonly RuleCase[] = [
    {
        name: "accepts the operator chart's own unprefixed objects (platform-operator-chart), asked for at admission by the operator's account",
        resources: withModel(withOperator(), ...operatorObjects.map(fromOperatorChart)),
        requestedBy: operatorAccount,
        expect: null,
    },
    {
        name: "rejects the operator's ClusterRole name on an object that does not come from the operator's chart",
        resources: withModel(withOperator(), clusterRole("platform-operator-reconciler-role")),
        expect: /ClusterRole 'platform-operator-reconciler-role' is cluster-scoped but not prefixed 'domino-'/,
    },
    {
        name: "rejects an unprefixed object of the operator's chart that is not one of the operator's own",
        resources: withModel(withOperator(), fromOperatorChart(clusterRole("platform-operator-extra-role"))),
        requestedBy: operatorAccount,
        expect: /ClusterRole 'platform-operator-extra-role' is cluster-scoped but not prefixed/,
    },
    {
        name: "rejects the operator's objects in a stack that shares another stack's operator, which owns them",
        resources: tenancy(fromOperatorChart(crd("dominos.operator.domino.ai", "operator.domino.ai"))),
        requestedBy: operatorAccount,
        expect: /CustomResourceDefinition dominos.operator.domino.ai is in API group 'operator.domino.ai', which the deployment does not own/,
    },
    {
        name: "accepts cluster-scoped objects that all carry the prefix",
        resources: tenancy(namespace("domino-platform"), clusterRole("domino-pod-reader"), storageClass("domino-disk")),
        expect: null,
    },
    {
        name: "rejects a ClusterRole without the deployment prefix",
        resources: tenancy(clusterRole("pod-reader")),
        expect: /ClusterRole 'pod-reader' is cluster-scoped but not prefixed 'domino-'/,
    },
    {
        name: "rejects a StorageClass named after a generic class another tenant may own",
        resources: tenancy(storageClass("gp3")),
        expect: /StorageClass 'gp3'/,
    },
    {
        name: "rejects a name that only starts with the deployment name, without the dash",
        resources: tenancy(namespace("dominoplatform")),
        expect: /Namespace 'dominoplatform' is cluster-scoped but not prefixed 'domino-'/,
    },
    {
        name: "takes the prefix from the tenancy model, not from a constant",
        resources: withModel(
            tweak(tenancyModel(), (m) => ((m as { deploymentName: string }).deploymentName = "domino-dev")),
            namespace("domino-platform"),
        ),
        expect: /Namespace 'domino-platform' is cluster-scoped but not prefixed 'domino-dev-'/,
    },
    {
        name: "leaves namespaced objects alone",
        resources: tenancy({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "domino-platform" }, data: {} }),
        expect: null,
    },
    {
        name: "rejects a CRD in an API group the deployment does not own",
        resources: tenancy(crd("sparkapps.example.com", "example.com")),
        expect: /API group 'example.com', which the deployment does not own/,
    },
    {
        name: "accepts a CRD in a subdomain of an owned group",
        resources: tenancy(crd("sparkclusters.sparkoperator.dominodatalab.com", "sparkoperator.dominodatalab.com")),
        expect: null,
    },
    {
        name: "rejects a CRD in a group that merely ends with an owned group's name",
        resources: tenancy(crd("things.notdominodatalab.com", "notdominodatalab.com")),
        expect: /API group 'notdominodatalab.com'/,
    },
    {
        name: "accepts a CRD in the install's own API group, which the tenancy model declares",
        resources: withModel({ ...tenancyModel(), installApiGroups: ["platform.example.org"] }, crd("dominos.platform.example.org", "platform.example.org")),
        expect: null,
    },
    {
        name: "rejects a CRD in another group than the install's own, naming the owned ones",
        resources: withModel({ ...tenancyModel(), installApiGroups: ["platform.example.org"] }, crd("things.other.example.org", "other.example.org")),
        expect: /API group 'other.example.org', which the deployment does not own \(owned: dominodatalab.com, platform.example.org\)/,
    },
    {
        name: "accepts a CRD in a group policy config adds",
        resources: tenancy(crd("sparkapps.example.com", "example.com")),
        config: { "cluster-scoped-names-prefixed": { ownedApiGroups: ["example.com"] } },
        expect: null,
    },
];
