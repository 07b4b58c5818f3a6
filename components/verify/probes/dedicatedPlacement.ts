// Domino's promise under dedicated isolation: a run pod Domino creates with no node
// selector and no toleration (Domino's operator sets neither) is placed on the compute
// pool by the dedicated-placement admission policy. The dry-run create returns the pod
// as admission left it, so the patch is visible without scheduling anything.

import { labelKeys, poolsWithRole, whyNotOn, type PodScheduling } from "@domino-tenancy/core";
import type { Probe } from "../probe";
import { compliantContainer, podsPath, probeLabels } from "../pods";
import { causeOf, describeCause } from "../refusal";
import { serviceAccount } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

interface AdmittedPod {
    spec?: PodScheduling;
}

export const dedicatedPlacement: Probe = {
    id: "domino-dedicated-placement",
    title: "a Domino run pod that selects no pool is placed on the compute pool at admission",
    remediation:
        "restore the <deployment>-dedicated-placement MutatingAdmissionPolicy and its binding (`pulumi up`); on Kubernetes 1.34-1.35 the MutatingAdmissionPolicy feature gate must be on",
    async run(ctx) {
        const t = ctx.target;
        if (t.isolation !== "dedicated" || !t.dedicatedTaint) return { skip: "isolation is shared: Domino's pools are not dedicated, nothing is patched" };
        const ns = t.namespaces.compute;
        const [compute] = poolsWithRole(t.pools, "compute");
        if (!compute) throw new Error("the stack has no compute pool");
        const pod = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: {
                name: ctx.probeName("run"),
                namespace: ns,
                // Shaped like Domino's run pods: its own labels, no nodeSelector, no tolerations, no affinity.
                labels: { ...probeLabels, "dominodatalab.com/workload-type": "Workspace" },
            },
            spec: { automountServiceAccountToken: false, containers: [compliantContainer()] },
        };
        // As the account that creates Domino's runs: its real RBAC, no added group.
        const as = serviceAccount(t.namespaces.platform, platformServiceAccount);
        const a = await ctx.client.dryRunCreate<AdmittedPod>(podsPath(ns), pod, as);
        const request = `dry-run create a run-shaped Pod with no nodeSelector or tolerations in ${ns}`;
        if (a.status >= 300)
            return {
                checks: [{ identity: as.label, request, expected: "admitted, patched", actual: describeCause(causeOf(a, t.deploymentName)), holds: false }],
            };
        const spec = a.body.spec ?? {};
        const landing = whyNotOn(spec, { name: compute.name, labels: compute.labels, taints: compute.taints });
        const selected = spec.nodeSelector?.[labelKeys.nodePool];
        return {
            checks: [
                {
                    identity: as.label,
                    request,
                    expected: `admitted with the toleration of ${t.dedicatedTaint.key}=${t.dedicatedTaint.value ?? ""}:${t.dedicatedTaint.effect} and placed on pool ${compute.nodePoolLabel}`,
                    actual: `tolerations ${JSON.stringify(spec.tolerations ?? [])}; nodeSelector ${JSON.stringify(spec.nodeSelector ?? {})}${landing ? `; cannot land on ${compute.name}: ${landing}` : ""}`,
                    holds: landing === undefined && selected === compute.nodePoolLabel,
                },
            ],
        };
    },
};
