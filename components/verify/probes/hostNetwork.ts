// MTB-PL1-BC-HI-3 (host networking half).
import { behaviourProbe } from "../behaviour";

export const hostNetwork = behaviourProbe({
    id: "mtb-block-host-network",
    benchmark: "MTB-PL1-BC-HI-3",
    title: "a tenant cannot use the host's network namespace",
    does: "hostNetwork: true",
    level: "baseline",
    podSecurity: /host namespaces \(hostNetwork=true\)/,
    rules: ["no-host-namespaces"],
    remediation: "enforce Pod Security baseline or stricter on the namespace; check the no-host-namespaces admission binding",
    tweak: (pod) => {
        pod.spec.hostNetwork = true;
    },
});
