// no-privileged-containers at admission: no privileged container, no added
// capability, allowPrivilegeEscalation false; the allowlisted `workload:container`
// pairs come from params.
import { type AdmissionTwin, everyContainer, paramList, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "no-privileged-containers";
const allowed = `(variables.workload + ':' + c.name) in ${paramList("privileged")}`;

export function noPrivilegedContainersTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            everyContainer(rule, `${allowed} || !(${present("c", "securityContext", "privileged")} && c.securityContext.privileged)`, "privileged"),
            everyContainer(
                rule,
                `${allowed} || !(${present("c", "securityContext", "capabilities", "add")} && size(c.securityContext.capabilities.add) > 0)`,
                "add capabilities",
            ),
            everyContainer(
                rule,
                `${allowed} || (${present("c", "securityContext", "allowPrivilegeEscalation")} && c.securityContext.allowPrivilegeEscalation == false)`,
                "do not set allowPrivilegeEscalation: false",
            ),
        ],
        previewOnly: "",
    };
}
