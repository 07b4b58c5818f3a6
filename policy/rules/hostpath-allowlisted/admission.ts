// hostpath-allowlisted at admission: each hostPath volume is allowlisted for its
// workload (params `workload|path|ro|rw`), and a read-only entry is mounted read-only
// by every container. One trailing slash is ignored, as rule.ts ignores them all.
import { type AdmissionTwin, onWorkload, paramList, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "hostpath-allowlisted";
const path = "(v.hostPath.path.endsWith('/') && size(v.hostPath.path) > 1 ? v.hostPath.path.substring(0, size(v.hostPath.path) - 1) : v.hostPath.path)";
const entry = (mode: "ro" | "rw") => `((variables.workload + '|' + v.path + '|${mode}') in ${paramList("hostPaths")})`;
const readOnlyEverywhere = "variables.containers.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m, m.name != v.name || (has(m.readOnly) && m.readOnly)))";

export function hostpathAllowlistedTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: [
            ...podVariables,
            {
                name: "hostPaths",
                expression: `has(variables.podSpec.volumes) ? variables.podSpec.volumes.filter(v, has(v.hostPath)).map(v, {'name': v.name, 'path': ${path}}) : []`,
            },
        ],
        validations: [
            {
                expression: `variables.hostPaths.all(v, ${entry("ro")} || ${entry("rw")})`,
                messageExpression: `'${rule}: ' + object.kind + ' ' + variables.workload + ' mounts hostPath ' + variables.hostPaths.filter(v, !(${entry("ro")} || ${entry("rw")})).map(v, v.path).join(', ') + ', which is not allowlisted for it'`,
                message: `${rule}: a hostPath volume is not allowlisted for this workload`,
            },
            onWorkload(
                rule,
                `variables.hostPaths.all(v, !${entry("ro")} || ${entry("rw")} || ${readOnlyEverywhere})`,
                "mounts a hostPath writable that is allowlisted read-only",
            ),
        ],
        previewOnly: "",
    };
}
