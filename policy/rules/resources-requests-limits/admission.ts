// resources-requests-limits at admission: every container states cpu and memory
// requests and a memory limit. A LimitRange's defaults (a mutating admission plugin)
// are filled in before this runs, so a namespace with one passes pods that state none.
import { type AdmissionTwin, everyContainer, podTemplatesPolicy, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "resources-requests-limits";

export function resourcesRequestsLimitsTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            everyContainer(
                rule,
                `${present("c", "resources", "requests")} && 'cpu' in c.resources.requests && 'memory' in c.resources.requests && has(c.resources.limits) && 'memory' in c.resources.limits`,
                "lacks requests.cpu, requests.memory or limits.memory",
            ),
        ],
        previewOnly: "",
    };
}
