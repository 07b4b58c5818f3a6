// no-privileged-containers at admission: no privileged container, no added
// capability, allowPrivilegeEscalation false; the allowlisted `workload:container`
// pairs come from params, looked up only for a container that fails the rest.
import { type AdmissionTwin, everyContainer, paramList, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "no-privileged-containers";
const sc = "c.securityContext";
const unprivileged =
    `has(${sc}) && (!has(${sc}.privileged) || ${sc}.privileged == false) && ` +
    `(!has(${sc}.capabilities) || !has(${sc}.capabilities.add) || size(${sc}.capabilities.add) == 0) && ` +
    `has(${sc}.allowPrivilegeEscalation) && ${sc}.allowPrivilegeEscalation == false`;

export function noPrivilegedContainersTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            everyContainer(
                rule,
                `(${unprivileged}) || (variables.workload + ':' + c.name) in ${paramList("privileged")}`,
                "is privileged, adds capabilities or does not set allowPrivilegeEscalation: false, and is not an allowlisted exception",
            ),
        ],
        previewOnly: "",
    };
}
