// MTB-PL1-BC-CPI-5: no privileged containers.
import { behaviourProbe } from "../behaviour";

export const privileged = behaviourProbe({
    id: "mtb-block-privileged-containers",
    benchmark: "MTB-PL1-BC-CPI-5",
    title: "a tenant cannot run a privileged container",
    does: "securityContext.privileged: true",
    level: "baseline",
    podSecurity: /privileged \(container "probe" must not set securityContext\.privileged=true\)/,
    rules: ["no-privileged-containers"],
    remediation:
        "label the namespace pod-security.kubernetes.io/enforce=baseline (or restricted) and check the no-privileged-containers admission binding exists",
    tweak: (pod) => {
        const sc = pod.spec.containers[0].securityContext;
        delete sc.allowPrivilegeEscalation;
        sc.privileged = true;
    },
});
