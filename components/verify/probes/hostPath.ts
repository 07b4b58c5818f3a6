// MTB-PL1-BC-HI-1 (host path volumes).
import { behaviourProbe, type Behaviour } from "../behaviour";

export const hostPathBehaviour: Behaviour = {
    id: "mtb-block-host-path",
    benchmark: "MTB-PL1-BC-HI-1",
    title: "a tenant cannot mount a host path",
    does: "volumes[0].hostPath: /etc",
    level: "baseline",
    // baseline's check, or restricted's volume-type check, which replaces it at that level.
    podSecurity: /hostPath volumes \(volume "host"\)|restricted volume types \(volume "host" uses restricted volume type "hostPath"\)/,
    rules: ["hostpath-allowlisted"],
    remediation: "enforce Pod Security baseline or stricter on the namespace; check the hostpath-allowlisted admission binding",
    tweak: (pod) => {
        pod.spec.volumes = [{ name: "host", hostPath: { path: "/etc" } }];
        pod.spec.containers[0].volumeMounts = [{ name: "host", mountPath: "/host", readOnly: true }];
    },
};

export const hostPath = behaviourProbe(hostPathBehaviour);
