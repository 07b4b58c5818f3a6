// no-host-namespaces at admission: hostNetwork, hostPID, hostIPC and host ports only
// for the workloads params allow; under hostNetwork every container port is a host port.
import { type AdmissionTwin, everyContainer, onWorkload, paramList, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "no-host-namespaces";
const uses = (field: string) => `${present("variables.podSpec", field)} && variables.podSpec.${field}`;
const hostNamespace = (field: string) => onWorkload(rule, `!(${uses(field)}) || variables.workload in ${paramList(field)}`, `uses ${field}`);
const hostPort = "(has(p.hostPort) && p.hostPort != 0 ? p.hostPort : p.containerPort)";
const takesHostPort = `(has(p.hostPort) && p.hostPort != 0) || (${uses("hostNetwork")})`;

export function noHostNamespacesTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            hostNamespace("hostNetwork"),
            hostNamespace("hostPID"),
            hostNamespace("hostIPC"),
            everyContainer(
                rule,
                `!has(c.ports) || c.ports.all(p, !(${takesHostPort}) || (variables.workload + ':' + string(${hostPort})) in ${paramList("hostPorts")})`,
                "take host ports",
            ),
        ],
        previewOnly: "",
    };
}
