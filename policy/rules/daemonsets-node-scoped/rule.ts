// daemonsets-node-scoped
import { resourceRule } from "../../lib/rule";
import { k8sKind, podTemplateOf } from "../../lib/resources";

export const daemonsetsNodeScoped = resourceRule({
    name: "daemonsets-node-scoped",
    description:
        "A DaemonSet without a node selector runs one pod on every node it tolerates, other tenants' nodes included: it takes their CPU, memory and pod slots. Every DaemonSet must select nodes, by nodeSelector or required node affinity.",
    defaults: {},
    check(r) {
        if (k8sKind(r.type) !== "DaemonSet") return [];
        const pod = podTemplateOf(r);
        if (!pod) return [`DaemonSet ${r.name} has no pod template`];
        const selector = Object.keys(pod.spec.nodeSelector ?? {}).length > 0;
        const terms = (
            pod.spec.affinity as
                { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: unknown[] }[] } } } | undefined
        )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
        // Every term must narrow: terms are ORed, so one empty term matches every node.
        const affinity = !!terms && terms.length > 0 && terms.every((t) => (t.matchExpressions ?? []).length > 0);
        return selector || affinity
            ? []
            : [`DaemonSet ${pod.workload} selects no nodes (no nodeSelector, no required node affinity): it would run on every node of the cluster`];
    },
});
