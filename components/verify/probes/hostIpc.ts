// MTB-PL1-BC-HI-5.
import { behaviourProbe } from "../behaviour";

export const hostIpc = behaviourProbe({
    id: "mtb-block-host-ipc",
    benchmark: "MTB-PL1-BC-HI-5",
    title: "a tenant cannot share the host's IPC namespace",
    does: "hostIPC: true",
    level: "baseline",
    podSecurity: /host namespaces \(hostIPC=true\)/,
    rules: ["no-host-namespaces"],
    remediation: "enforce Pod Security baseline or stricter on the namespace",
    tweak: (pod) => {
        pod.spec.hostIPC = true;
    },
});
