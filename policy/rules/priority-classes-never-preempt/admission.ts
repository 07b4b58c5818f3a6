// priority-classes-never-preempt at admission: a PriorityClass one of Domino's service
// accounts writes says preemptionPolicy: Never when the deployment's isolation (params)
// is shared. The Platform Operator's own class comes from the program's identity, which
// the twin does not judge; the pack judges it at preview, after the chart's transform.
import { type AdmissionTwin, lit, rules } from "../../admission/twin";

const rule = "priority-classes-never-preempt";

export function priorityClassesNeverPreemptTwin(): AdmissionTwin {
    return {
        rule,
        policy: rule,
        reach: "cluster",
        resourceRules: [rules("scheduling.k8s.io", ["priorityclasses"])],
        variables: [],
        validations: [
            {
                expression: "params.data.isolation != 'shared' || (has(object.preemptionPolicy) && object.preemptionPolicy == 'Never')",
                messageExpression: `${lit(`${rule}: PriorityClass '`)} + object.metadata.name + ${lit("' may preempt: under shared isolation its pods could evict other tenants' pods; set preemptionPolicy: Never")}`,
                message: `${rule}: a PriorityClass may preempt other tenants' pods under shared isolation`,
            },
        ],
        previewOnly: "",
    };
}
