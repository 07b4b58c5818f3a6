// no-host-namespaces at admission: hostNetwork, hostPID, hostIPC and host ports only
// for the workloads params allow; under hostNetwork every container port is a host port.
import { type AdmissionTwin, everyContainer, onWorkload, paramList, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "no-host-namespaces";
const allowedIn = (field: string) => `variables.workload in ${paramList(field)}`;
const shares = (field: "hostPID" | "hostIPC") => `(has(variables.podSpec.${field}) && variables.podSpec.${field})`;
const hostPort = "(has(p.hostPort) && p.hostPort != 0 ? p.hostPort : p.containerPort)";

export function noHostNamespacesTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            onWorkload(
                rule,
                `(!variables.hostNetwork || ${allowedIn("hostNetwork")}) && (!${shares("hostPID")} || ${allowedIn("hostPID")}) && (!${shares("hostIPC")} || ${allowedIn("hostIPC")})`,
                "uses hostNetwork, hostPID or hostIPC without an exception for it",
            ),
            everyContainer(
                rule,
                `!has(c.ports) || c.ports.all(p, (!variables.hostNetwork && (!has(p.hostPort) || p.hostPort == 0)) || (variables.workload + ':' + string(${hostPort})) in ${paramList("hostPorts")})`,
                "takes a host port without an exception for it",
            ),
        ],
        previewOnly: "",
    };
}
