// daemonsets-node-scoped: a minimal DaemonSet on Domino's platform pool, one field changed per case.
import { alone, type RuleCase, tweakPod, workload } from "../../testing/fixtures";

const base = workload("DaemonSet");
const requiredAffinity = (matchExpressions: { key: string; operator: string }[]) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
});

export const cases: readonly RuleCase[] = [
    { name: "accepts a DaemonSet with a node selector", ...alone(base), expect: null },
    {
        name: "rejects a DaemonSet with neither node selector nor required affinity",
        ...alone(tweakPod(base, (pod) => delete pod.nodeSelector)),
        expect: /DaemonSet domino-platform\/app selects no nodes/,
    },
    {
        name: "accepts required node affinity instead of a node selector",
        ...alone(
            tweakPod(base, (pod) => {
                delete pod.nodeSelector;
                pod.affinity = requiredAffinity([{ key: "dominodatalab.com/domino-node", operator: "Exists" }]);
            }),
        ),
        expect: null,
    },
    {
        name: "rejects required affinity with an empty term, which matches every node",
        ...alone(
            tweakPod(base, (pod) => {
                delete pod.nodeSelector;
                pod.affinity = requiredAffinity([]);
            }),
        ),
        expect: /selects no nodes/,
    },
    {
        name: "rejects an empty node selector",
        ...alone(tweakPod(base, (pod) => (pod.nodeSelector = {}))),
        expect: /selects no nodes/,
    },
    {
        name: "leaves other workloads to the scheduling rule: a Deployment without a selector is not its concern",
        ...alone(tweakPod(workload("Deployment"), (pod) => delete pod.nodeSelector)),
        expect: null,
    },
];
