// MTB-PL1-BC-HI-4.
import { behaviourProbe } from "../behaviour";

export const hostPid = behaviourProbe({
    id: "mtb-block-host-pid",
    benchmark: "MTB-PL1-BC-HI-4",
    title: "a tenant cannot share the host's process namespace",
    does: "hostPID: true",
    level: "baseline",
    podSecurity: /host namespaces \(hostPID=true\)/,
    rules: ["no-host-namespaces"],
    remediation: "enforce Pod Security baseline or stricter on the namespace",
    tweak: (pod) => {
        pod.spec.hostPID = true;
    },
});
