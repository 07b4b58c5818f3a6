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
//
// Cost: each toleration becomes one string `key:value:effect` (`*` for Exists, empty
// for "any"), and params carry, per taint, every string that tolerates it; a taint is
// tolerated when one of them is among the pod's. The pools the pod can land on are
// computed once per request and read by all three checks.
import { type AdmissionTwin, onWorkload, paramList, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "workloads-land-on-domino-pools";
const prefix = "params.data.dominoLabelPrefix";
const skipped = "(object.kind == 'Pod' && variables.controllerKind == 'DaemonSet')";
const tolerationKey =
    "(has(t.key) ? t.key : '') + ':' + (has(t.operator) && t.operator == 'Exists' ? '*' : has(t.value) ? t.value : '') + ':' + (has(t.effect) ? t.effect : '')";
/** `p` is `[role, labels, taints]` (params.ts): the nodeSelector's Domino labels are the pool's, and its taints are tolerated. */
// Every key of the nodeSelector is satisfied by the pool: its label, or a label every node
// gets from the kubelet or its cloud (params' ambientLabelPrefixes). A key of another
// tenant's (`tenant: acme`) is satisfied by no Domino pool, as the static analysis says.
const lands =
    `variables.nodeSelector.all(k, (k + '=' + variables.nodeSelector[k]) in p[1].split(',') || (!k.startsWith(${prefix}) && ${paramList("ambientLabelPrefixes")}.exists(a, k.startsWith(a)))) && ` +
    `(p[2] == '' || p[2].split(',').all(x, x.split('|').exists(s, s in variables.tolerationKeys)))`;

export function workloadsLandOnDominoPoolsTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: [
            ...podVariables,
            { name: "tolerationKeys", expression: `has(variables.podSpec.tolerations) ? variables.podSpec.tolerations.map(t, ${tolerationKey}) : []` },
            { name: "landsOn", expression: `params.data.pools.split(';').map(p, p.split('#')).filter(p, ${lands}).map(p, p[0])` },
        ],
        validations: [
            onWorkload(
                rule,
                `${skipped} || variables.nodeSelector.exists(k, k.startsWith(${prefix})) || ` +
                    `(size(variables.requiredTerms) > 0 && variables.requiredTerms.all(t, has(t.matchExpressions) && t.matchExpressions.exists(r, r.key.startsWith(${prefix}) && r.operator in ['In', 'Exists', 'Gt', 'Lt'])))`,
                "can land on nodes that are not Domino's: its node selector and required affinity do not require a Domino label",
            ),
            onWorkload(rule, `${skipped} || size(variables.landsOn) > 0`, "can land on none of Domino's pools, so it would never schedule"),
            onWorkload(
                rule,
                `${skipped} || request.namespace != params.data.devicePluginNamespace || variables.landsOn.all(r, r == 'gpu')`,
                "is the GPU device plugin but can land on non-GPU pools",
            ),
        ],
        previewOnly: "landing through required node affinity, and the pools existing with the labels and taints params name",
    };
}
