// daemonsets-node-scoped at admission: a DaemonSet selects nodes by a non-empty
// nodeSelector or required node affinity whose every term narrows.
import { type AdmissionTwin, onWorkload, podVariables, present, rules } from "../../admission/twin";

const rule = "daemonsets-node-scoped";
const terms = "variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";

export function daemonsetsNodeScopedTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: [rules("apps", ["daemonsets"])],
        variables: podVariables,
        validations: [
            onWorkload(
                rule,
                `(has(variables.podSpec.nodeSelector) && size(variables.podSpec.nodeSelector) > 0) || ` +
                    `(${present("variables.podSpec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")} && size(${terms}) > 0 && ${terms}.all(t, has(t.matchExpressions) && size(t.matchExpressions) > 0))`,
                "selects no nodes (no nodeSelector, no required node affinity): it would run on every node of the cluster",
            ),
        ],
        previewOnly: "",
    };
}
