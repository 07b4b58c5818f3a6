// hostpath-allowlisted at admission: each hostPath volume is allowlisted for its
// workload (params `workload|path|ro|rw`), and a read-only entry is mounted read-only
// by every container. One trailing slash is ignored, as rule.ts ignores them all.
// Volumes without hostPath never reach the params.
import { type AdmissionTwin, onWorkload, paramList, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "hostpath-allowlisted";
const path = "(v.hostPath.path.endsWith('/') && size(v.hostPath.path) > 1 ? v.hostPath.path.substring(0, size(v.hostPath.path) - 1) : v.hostPath.path)";
const entry = (mode: "ro" | "rw") => `((variables.workload + '|' + ${path} + '|${mode}') in ${paramList("hostPaths")})`;
const readOnlyEverywhere = "variables.containers.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m, m.name != v.name || (has(m.readOnly) && m.readOnly)))";

export function hostpathAllowlistedTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            onWorkload(
                rule,
                `variables.volumes.all(v, !has(v.hostPath) || ${entry("rw")} || (${entry("ro")} && ${readOnlyEverywhere}))`,
                "mounts a hostPath that is not allowlisted for it, or mounts writable one allowlisted read-only",
            ),
        ],
        previewOnly: "",
    };
}
