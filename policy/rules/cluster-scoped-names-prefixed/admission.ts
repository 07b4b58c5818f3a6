// cluster-scoped-names-prefixed at admission, for requests made by Domino's service
// accounts: every cluster-scoped object they create or change carries the prefix
// (params), and a CRD is in an owned API group. Reviews (token, access) are
// requests, not objects, and certificate requests have generated names: left out.
// The platform-operator-chart exception (lib/exceptions.ts): the operator chart's own
// objects by kind and name, asked for by the operator's own service account. Whoever
// installs the chart (the program's identity) is not a Domino service account, so this
// twin never judges it; any other Domino account writing such a name is refused.
import { type AdmissionTwin, lit, paramList, type ResourceRule } from "../../admission/twin";

const rule = "cluster-scoped-names-prefixed";
const everything: ResourceRule = { apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], operations: ["CREATE", "UPDATE"], scope: "Cluster" };
const reviews: ResourceRule = {
    apiGroups: ["authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io"],
    apiVersions: ["*"],
    resources: ["*"],
    operations: ["*"],
    scope: "*",
};

export function clusterScopedNamesPrefixedTwin(): AdmissionTwin {
    return {
        rule,
        policy: rule,
        reach: "cluster",
        resourceRules: [everything],
        excludeResourceRules: [reviews],
        variables: [
            {
                name: "operatorOwn",
                expression: `request.userInfo.username == params.data.operatorUser && (object.kind + '/' + object.metadata.name) in ${paramList("operatorObjects")}`,
            },
        ],
        validations: [
            {
                expression: "object.kind == 'CustomResourceDefinition' || object.metadata.name.startsWith(params.data.prefix) || variables.operatorOwn",
                messageExpression: `${lit(`${rule}: `)} + object.kind + ' \\'' + object.metadata.name + '\\' is cluster-scoped but not prefixed \\'' + params.data.prefix + '\\''`,
                message: `${rule}: a cluster-scoped object is not prefixed with the deployment name`,
            },
            {
                expression: `object.kind != 'CustomResourceDefinition' || variables.operatorOwn || ${paramList("ownedApiGroups")}.exists(g, object.spec.group == g || object.spec.group.endsWith('.' + g))`,
                messageExpression: `'${rule}: CustomResourceDefinition ' + object.metadata.name + ' is in API group \\'' + object.spec.group + '\\', which the deployment does not own'`,
                message: `${rule}: a CustomResourceDefinition is in an API group the deployment does not own`,
            },
        ],
        previewOnly: "",
    };
}
