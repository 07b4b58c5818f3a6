// workloads-land-on-domino-pools at admission. The rule is a stack rule: it relates a
// pod template to the pools the stack declares. The twin checks the object against
// the pools as params carry them (generated from the same tenancy model the pools
// are built from): the placement requires a Domino label (dominodatalab.com/*) in
// its nodeSelector or in every required affinity term, so it cannot spill onto other
// tenants' nodes; its nodeSelector's Domino labels match some pool whose
// NoSchedule/NoExecute taints it tolerates; and the GPU device plugin lands on GPU
// pools only.
// Preview-only: landing through required node affinity (the twin reads the
// nodeSelector for which pool, affinity only for "Domino label required") and the
// pools themselves existing with those labels and taints (only the stack shows them).
// A pod made by a DaemonSet is skipped: the controller pins it to one node with its
// own affinity, and the DaemonSet itself was judged.
import { type AdmissionTwin, lit, onWorkload, podVariables, podWrapperRules, present } from "../../admission/twin";

const rule = "workloads-land-on-domino-pools";
const prefix = "params.data.dominoLabelPrefix";
const skipped = "variables.controllerKind == 'DaemonSet' && object.kind == 'Pod'";

/** A pool (`[role, labels, taints]`, see params.ts) the pod can land on, judged by nodeSelector and tolerations. */
function lands(pool: string): string {
    const t = (i: number) => `x.split(':')[${i}]`;
    const tolerated =
        `variables.tolerations.exists(t, (!has(t.effect) || t.effect == '' || t.effect == ${t(2)}) && ` +
        `((!has(t.key) || t.key == '') ? (has(t.operator) && t.operator == 'Exists') : (t.key == ${t(0)} && ((has(t.operator) && t.operator == 'Exists') || (has(t.value) ? t.value : '') == ${t(1)}))))`;
    return `(variables.nodeSelector.all(k, !k.startsWith(${prefix}) || (k + '=' + variables.nodeSelector[k]) in ${pool}[1].split(',')) && ${pool}[2].split(',').all(x, x == '' || ${tolerated}))`;
}

export function workloadsLandOnDominoPoolsTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: [
            ...podVariables,
            { name: "nodeSelector", expression: "has(variables.podSpec.nodeSelector) ? variables.podSpec.nodeSelector : {}" },
            {
                name: "terms",
                expression: `${present("variables.podSpec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")} ? variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms : []`,
            },
            { name: "tolerations", expression: "has(variables.podSpec.tolerations) ? variables.podSpec.tolerations : []" },
            { name: "pools", expression: "params.data.pools.split(';').map(p, p.split('#'))" },
        ],
        validations: [
            onWorkload(
                rule,
                `${skipped} || variables.nodeSelector.exists(k, k.startsWith(${prefix})) || ` +
                    `(size(variables.terms) > 0 && variables.terms.all(t, has(t.matchExpressions) && t.matchExpressions.exists(r, r.key.startsWith(${prefix}) && r.operator in ['In', 'Exists', 'Gt', 'Lt'])))`,
                "can land on nodes that are not Domino's: its node selector and required affinity do not require a Domino label",
            ),
            onWorkload(rule, `${skipped} || variables.pools.exists(p, ${lands("p")})`, "can land on none of Domino's pools, so it would never schedule"),
            onWorkload(
                rule,
                `${skipped} || request.namespace != params.data.devicePluginNamespace || variables.pools.all(p, p[0] == ${lit("gpu")} || !${lands("p")})`,
                "is the GPU device plugin but can land on non-GPU pools",
            ),
        ],
        previewOnly: "landing through required node affinity, and the pools existing with the labels and taints params name",
    };
}
