// daemonsets-node-scoped at admission: a DaemonSet selects nodes by a non-empty
// nodeSelector or required node affinity whose every term narrows. It joins the
// pod-template policy (one conversion per request) and judges DaemonSets only.
import { type AdmissionTwin, onWorkload, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "daemonsets-node-scoped";

export function daemonsetsNodeScopedTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            onWorkload(
                rule,
                "object.kind != 'DaemonSet' || size(variables.nodeSelector) > 0 || " +
                    "(size(variables.requiredTerms) > 0 && variables.requiredTerms.all(t, has(t.matchExpressions) && size(t.matchExpressions) > 0))",
                "is a DaemonSet that selects no nodes (no nodeSelector, no required node affinity): it would run on every node of the cluster",
            ),
        ],
        previewOnly: "",
    };
}
