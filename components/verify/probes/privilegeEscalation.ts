// MTB-PL1-BC-CPI-6: no privilege escalation (setuid binaries and the like).
import { behaviourProbe } from "../behaviour";

export const privilegeEscalation = behaviourProbe({
    id: "mtb-block-privilege-escalation",
    benchmark: "MTB-PL1-BC-CPI-6",
    title: "a tenant cannot let a process gain more privileges than its parent",
    does: "securityContext.allowPrivilegeEscalation: true",
    level: "restricted",
    podSecurity: /allowPrivilegeEscalation != false/,
    rules: [],
    remediation: "enforce Pod Security restricted on the namespace, or name the exception",
    tweak: (pod) => {
        pod.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    },
});
