// sysctls-safe at admission: pod-level sysctls only from the safe set (params); a
// container whose command writes a node-level sysctl (`sysctl -w`, /proc/sys) only
// if params allowlist its `workload:container`, and only from a DaemonSet (or its
// pods) pinned to a platform pool by its nodeSelector or required affinity.
// Preview-only: which sysctls an allowlisted writer writes (CEL has no capture
// groups to extract them) and landing judged against the pools' taints.
// The regular expression runs only on a command line that mentions sysctl at all.
import { type AdmissionTwin, onWorkload, paramList, podTemplatesPolicy, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "sysctls-safe";
const text = "((has(c.command) ? c.command : []) + (has(c.args) ? c.args : [])).join(' ')";
const writes =
    `(has(c.command) || has(c.args)) && (${text}.contains('/proc/sys/') || ` +
    `(${text}.contains('sysctl') && ${text}.matches('sysctl\\\\s+(-\\\\w+\\\\s+)*-w\\\\s+[a-z0-9_./-]+=')))`;
const platform = paramList("platformPoolLabels");
const onPlatform =
    `variables.nodeSelector.exists(k, (k + '=' + variables.nodeSelector[k]) in ${platform}) || ` +
    `(size(variables.requiredTerms) > 0 && variables.requiredTerms.all(t, has(t.matchExpressions) && t.matchExpressions.exists(r, r.operator == 'In' && r.values.all(v, (r.key + '=' + v) in ${platform}))))`;

export function sysctlsSafeTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: [...podVariables, { name: "sysctlWriters", expression: `variables.containers.filter(c, ${writes})` }],
        validations: [
            onWorkload(
                rule,
                `!(${present("variables.podSpec", "securityContext", "sysctls")}) || variables.podSpec.securityContext.sysctls.all(s, s.name in ${paramList("safeSysctls")})`,
                "sets a pod-level sysctl that is not in the safe set",
            ),
            onWorkload(
                rule,
                `size(variables.sysctlWriters) == 0 || (variables.sysctlWriters.all(c, (variables.workload + ':' + c.name) in ${paramList("sysctlWriters")}) && ` +
                    `variables.controllerKind == 'DaemonSet' && (${onPlatform}))`,
                "writes a node-level sysctl; only an allowlisted container of a DaemonSet pinned to the platform pool may",
            ),
        ],
        previewOnly: "which sysctls an allowlisted writer writes, and landing judged against the pools' taints",
    };
}
