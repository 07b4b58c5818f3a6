// MTB-PL1-BC-CPI-3: no added capabilities.
import { behaviourProbe, type Behaviour } from "../behaviour";

export const addedCapabilitiesBehaviour: Behaviour = {
    id: "mtb-block-add-capabilities",
    benchmark: "MTB-PL1-BC-CPI-3",
    title: "a tenant cannot add Linux capabilities",
    does: "securityContext.capabilities.add: [SYS_ADMIN]",
    level: "baseline",
    // baseline's check, or restricted's, which replaces it at that level.
    podSecurity: /(non-default|unrestricted) capabilities \(container "probe" must not include "SYS_ADMIN"/,
    rules: ["no-privileged-containers"],
    remediation: "enforce Pod Security baseline or stricter on the namespace",
    tweak: (pod) => {
        pod.spec.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] };
    },
};

export const addedCapabilities = behaviourProbe(addedCapabilitiesBehaviour);
