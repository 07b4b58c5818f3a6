// priority-classes-never-preempt
import { deploymentRule } from "../../lib/rule";
import { k8sKind, metadataOf } from "../../lib/resources";

export const priorityClassesNeverPreempt = deploymentRule({
    name: "priority-classes-never-preempt",
    description:
        "A PriorityClass that may preempt (preemptionPolicy PreemptLowerPriority, the default) lets the scheduler evict lower-priority pods to make room for its own. Under shared isolation Domino's pods run on nodes other tenants' pods run on, so every PriorityClass the stack declares (Domino's own and the Platform Operator's, whose high value every agent Job gets) must say preemptionPolicy: Never: Domino then waits for room instead of taking it. Under dedicated isolation its pods land only on Domino's tainted pools (workloads-land-on-domino-pools), so what they could preempt is Domino's own.",
    defaults: {},
    check(r, ctx) {
        if (k8sKind(r.type) !== "PriorityClass" || ctx.model.isolation !== "shared") return [];
        const policy = String(r.props.preemptionPolicy ?? "PreemptLowerPriority");
        return policy === "Never"
            ? []
            : [
                  `PriorityClass '${metadataOf(r.props).name ?? r.name}' has preemptionPolicy ${policy}: under shared isolation its pods could evict other tenants' pods; set preemptionPolicy: Never`,
              ];
    },
});
