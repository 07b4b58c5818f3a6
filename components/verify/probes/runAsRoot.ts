// MTB-PL1-BC-CPI-4: containers run as a non-root user (kubectl-mtb sets runAsNonRoot: false).
import { behaviourProbe } from "../behaviour";

export const runAsRoot = behaviourProbe({
    id: "mtb-require-run-as-non-root",
    benchmark: "MTB-PL1-BC-CPI-4",
    title: "a tenant cannot run a container as root",
    does: "securityContext.runAsNonRoot: false, runAsUser: 0",
    level: "restricted",
    podSecurity: /runAsNonRoot != true|runAsUser=0/,
    rules: [],
    remediation: "enforce Pod Security restricted on the namespace, or name the exception (domino.podSecurity.<namespace>)",
    tweak: (pod) => {
        const sc = pod.spec.containers[0].securityContext;
        sc.runAsNonRoot = false;
        sc.runAsUser = 0;
    },
});
