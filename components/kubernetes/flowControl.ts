// Domino's share of the API server every tenant uses (API Priority and Fairness,
// flowcontrol.apiserver.k8s.io/v1, stable since 1.29). Without it Domino's service
// accounts fall into the built-in `service-accounts` schema and share the
// `workload-low` level with every other tenant's controllers, so a burst from
// Domino's operator or thousands of run pods' watches queues everyone behind it.
// Pure: manifests only.

import { recommendedLabels } from "@domino-tenancy/core";
import type { DeploymentModel } from "../model/model";
import type { Manifest } from "./manifest";

/**
 * The numbers, and why:
 * - nominalConcurrencyShares 20: the built-in levels add up to about 245 shares
 *   (workload-low 100, global-default 20, workload-high 40, ...), so Domino gets
 *   roughly 7% of the server's seats: enough for an operator and its runs, small
 *   enough that a runaway loop cannot crowd out the others.
 * - borrowingLimitPercent 0: Domino never borrows others' idle seats, so its cap holds
 *   under load; lendablePercent 50: half of Domino's seats serve others while idle.
 * - 64 queues, handSize 6, queueLengthLimit 50: shuffle sharding spreads Domino's
 *   service accounts (ByUser) so one noisy account fills few queues, and at most
 *   64 x 50 requests wait before the server answers 429 instead of piling up.
 */
export const dominoPriority = {
    nominalConcurrencyShares: 20,
    lendablePercent: 50,
    borrowingLimitPercent: 0,
    queues: 64,
    handSize: 6,
    queueLengthLimit: 50,
} as const;

/** Ahead of the built-in `service-accounts` schema (9000), behind every system one (up to 900). */
export const dominoMatchingPrecedence = 8000;

export function buildFlowControl(model: DeploymentModel): Manifest[] {
    if (!model.admission.enabled) return [];
    const name = `${model.name}-service-accounts`;
    const labels = recommendedLabels(model.name, "api-priority");
    const p = dominoPriority;
    const namespaces = [...new Set(Object.values(model.namespaces))];
    return [
        {
            kind: "PriorityLevelConfiguration",
            metadata: { name, labels },
            spec: {
                type: "Limited",
                limited: {
                    nominalConcurrencyShares: p.nominalConcurrencyShares,
                    lendablePercent: p.lendablePercent,
                    borrowingLimitPercent: p.borrowingLimitPercent,
                    limitResponse: { type: "Queue", queuing: { queues: p.queues, handSize: p.handSize, queueLengthLimit: p.queueLengthLimit } },
                },
            },
        },
        {
            kind: "FlowSchema",
            metadata: { name, labels },
            spec: {
                priorityLevelConfiguration: { name },
                matchingPrecedence: dominoMatchingPrecedence,
                distinguisherMethod: { type: "ByUser" },
                rules: [
                    {
                        subjects: namespaces.map((ns) => ({ kind: "ServiceAccount", serviceAccount: { namespace: ns, name: "*" } })),
                        resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] }],
                        nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
                    },
                ],
            },
        },
    ];
}
