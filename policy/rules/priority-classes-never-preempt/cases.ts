// priority-classes-never-preempt: Domino's platform PriorityClass and the operator's, under
// shared and dedicated isolation, one preemptionPolicy changed per case.
import { fromOperatorChart, type KubeObject, type RuleCase, tenancyModel, withModel, withOperator } from "../../testing/fixtures";

const priorityClass = (name: string, preemptionPolicy?: string): KubeObject => ({
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name },
    value: 100000,
    ...(preemptionPolicy ? { preemptionPolicy } : {}),
});
const shared = { ...tenancyModel(), isolation: "shared" as const, dedicatedTaint: null };

export const cases: readonly RuleCase[] = [
    {
        name: "accepts a PriorityClass that never preempts under shared isolation",
        resources: withModel(shared, priorityClass("domino-platform", "Never")),
        expect: null,
    },
    {
        name: "rejects a PriorityClass that may preempt under shared isolation",
        resources: withModel(shared, priorityClass("domino-platform", "PreemptLowerPriority")),
        expect: /PriorityClass 'domino-platform' has preemptionPolicy PreemptLowerPriority: under shared isolation/,
    },
    {
        name: "rejects a PriorityClass that leaves preemptionPolicy to its default, which preempts",
        resources: withModel(shared, priorityClass("domino-platform")),
        expect: /has preemptionPolicy PreemptLowerPriority/,
    },
    {
        name: "rejects the operator chart's PriorityClass as shipped under shared isolation",
        resources: withModel(
            { ...withOperator(), isolation: "shared", dedicatedTaint: null },
            fromOperatorChart(priorityClass("domino-operator", "PreemptLowerPriority")),
        ),
        expect: /PriorityClass 'domino-operator' has preemptionPolicy PreemptLowerPriority/,
    },
    {
        name: "accepts a preempting PriorityClass under dedicated isolation, where placement keeps Domino's pods on Domino's pools",
        resources: withModel(tenancyModel(), priorityClass("domino-platform", "PreemptLowerPriority")),
        expect: null,
    },
];
