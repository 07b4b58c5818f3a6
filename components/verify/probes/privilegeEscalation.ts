// MTB-PL1-BC-CPI-6: no privilege escalation (setuid binaries and the like).
import { behaviourProbe } from "../behaviour";

export const privilegeEscalation = behaviourProbe({
    id: "mtb-block-privilege-escalation",
    benchmark: "MTB-PL1-BC-CPI-6",
    title: "a tenant cannot let a process gain more privileges than its parent",
    does: "securityContext.allowPrivilegeEscalation: true",
    level: "restricted",
    podSecurity: /allowPrivilegeEscalation != false/,
    // Domino's twin requires allowPrivilegeEscalation: false on every container, below restricted too.
    rules: ["no-privileged-containers"],
    remediation:
        "check the no-privileged-containers admission binding exists (it requires allowPrivilegeEscalation: false), or enforce Pod Security restricted",
    tweak: (pod) => {
        pod.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    },
});
