// sysctls-safe at admission: pod-level sysctls only from the safe set (params); a
// container whose command writes a node-level sysctl (`sysctl -w`, /proc/sys) only
// if params allowlist its `workload:container`, and only from a DaemonSet (or its
// pods) pinned to a platform pool by its nodeSelector or required affinity.
// Preview-only: which sysctls an allowlisted writer writes (CEL has no capture
// groups to extract them) and landing judged against the pools' taints.
import { type AdmissionTwin, everyContainer, onWorkload, paramList, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "sysctls-safe";
const text = "((has(c.command) ? c.command : []) + (has(c.args) ? c.args : [])).join(' ')";
const writes = `(${text}.matches('sysctl\\\\s+(-\\\\w+\\\\s+)*-w\\\\s+[a-z0-9_./-]+=') || ${text}.contains('/proc/sys/'))`;
const platform = paramList("platformPoolLabels");
const terms = "variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
const onPlatform =
    `(${present("variables.podSpec", "nodeSelector")} && variables.podSpec.nodeSelector.exists(k, (k + '=' + variables.podSpec.nodeSelector[k]) in ${platform})) || ` +
    `(${present("variables.podSpec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")} && size(${terms}) > 0 && ` +
    `${terms}.all(t, has(t.matchExpressions) && t.matchExpressions.exists(r, r.operator == 'In' && r.values.all(v, (r.key + '=' + v) in ${platform}))))`;

export function sysctlsSafeTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            {
                expression: `!(${present("variables.podSpec", "securityContext", "sysctls")}) || variables.podSpec.securityContext.sysctls.all(s, s.name in ${paramList("safeSysctls")})`,
                messageExpression: `'${rule}: ' + object.kind + ' ' + variables.workload + ' sets sysctl(s) ' + variables.podSpec.securityContext.sysctls.filter(s, !(s.name in ${paramList("safeSysctls")})).map(s, s.name).join(', ') + ', not in the safe set'`,
                message: `${rule}: a pod-level sysctl is not in the safe set`,
            },
            everyContainer(
                rule,
                `!${writes} || (variables.workload + ':' + c.name) in ${paramList("sysctlWriters")}`,
                "write a node-level sysctl and are not allowlisted writers",
            ),
            onWorkload(
                rule,
                `!variables.containers.exists(c, ${writes}) || (variables.controllerKind == 'DaemonSet' && (${onPlatform}))`,
                "writes a node-level sysctl; only a DaemonSet pinned to the platform pool may",
            ),
        ],
        previewOnly: "which sysctls an allowlisted writer writes, and landing judged against the pools' taints",
    };
}
