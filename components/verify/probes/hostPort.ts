// MTB-PL1-BC-HI-3 (host ports half).
import { behaviourProbe } from "../behaviour";

export const hostPort = behaviourProbe({
    id: "mtb-block-host-ports",
    benchmark: "MTB-PL1-BC-HI-3",
    title: "a tenant cannot bind a host port",
    does: "ports[0].hostPort: 8080",
    level: "baseline",
    podSecurity: /hostPort \(container "probe" uses hostPort 8080\)/,
    rules: ["no-host-namespaces"],
    remediation: "enforce Pod Security baseline or stricter on the namespace",
    tweak: (pod) => {
        pod.spec.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }];
    },
});
