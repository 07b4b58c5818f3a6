// workloads-land-on-domino-pools
import {
    asPlacementAdmits,
    canLandOutsideDomino,
    dedicatedPlacementName,
    deploymentLabel,
    dominoNodeSelectorHint,
    landingPools,
    whyNotOn,
} from "@domino-tenancy/core";
import type { TenancyContext } from "../../lib/context";
import { k8sKind, metadataOf, type PodTemplate, podTemplateOf, type ResourceView } from "../../lib/resources";
import { Finding, stackRule } from "../../lib/rule";

/**
 * The dedicated-placement policy as the stack declares it: the policy, and a binding that
 * selects the deployment's namespaces by their label. Without both, templates are judged
 * as they are (a stack that turned it off gets no credit for it).
 */
function placementAtAdmission(resources: readonly ResourceView[], ctx: TenancyContext): (pod: PodTemplate) => PodTemplate {
    const taint = ctx.model.dedicatedTaint;
    const name = dedicatedPlacementName(ctx.name);
    const declared = (kind: string) => resources.find((r) => k8sKind(r.type) === kind && metadataOf(r.props).name === name);
    const binding = declared("MutatingAdmissionPolicyBinding");
    const selects = (binding?.props.spec as { matchResources?: { namespaceSelector?: { matchLabels?: Record<string, string> } } } | undefined)?.matchResources
        ?.namespaceSelector?.matchLabels?.[deploymentLabel];
    if (!taint || !declared("MutatingAdmissionPolicy") || selects !== ctx.name) return (pod) => pod;
    const bound = new Set(Object.values(ctx.namespaces));
    return (pod) =>
        pod.namespace !== undefined && bound.has(pod.namespace)
            ? {
                  ...pod,
                  spec: asPlacementAdmits(pod.spec, {
                      dedicatedTaint: taint,
                      pools: ctx.pools,
                      computeNamespace: ctx.namespaces.compute,
                      namespace: pod.namespace,
                      daemonSet: pod.kind === "DaemonSet",
                  }),
              }
            : pod;
}

export const workloadsLandOnDominoPools = stackRule({
    name: "workloads-land-on-domino-pools",
    description:
        "A static scheduling analysis, done before anything is applied. For each pod template, the pools whose labels satisfy its node selector and required affinity and whose taints it tolerates are where it can run. None means it never schedules; a way onto a node without Domino's labels means it spills onto other tenants' nodes. The GPU device plugin must land on GPU pools only. Under dedicated isolation a template in a namespace the stack's placement policy binds is judged as that policy will admit it: with the dedicated toleration, and its namespace's pool when it chooses none.",
    defaults: {},
    check(resources, ctx) {
        const out: Finding[] = [];
        const devicePluginNs = ctx.namespaces.devicePlugin;
        const admitted = placementAtAdmission(resources, ctx);
        for (const r of resources) {
            const template = podTemplateOf(r);
            if (!template) continue;
            const pod = admitted(template);
            const lands = landingPools(pod.spec, ctx.pools);
            if (lands.length === 0) {
                const why = ctx.pools.map((p) => `${p.name}: ${whyNotOn(pod.spec, p)}`).join("; ");
                out.push({ urn: r.urn, message: `${pod.kind} ${pod.workload} can land on none of Domino's pools, so it would never schedule (${why})` });
            }
            if (canLandOutsideDomino(pod.spec)) {
                out.push({
                    urn: r.urn,
                    message: `${pod.kind} ${pod.workload} can land on nodes that are not Domino's: its node selector and required affinity do not require a Domino label (e.g. ${dominoNodeSelectorHint})`,
                });
            }
            if (pod.namespace === devicePluginNs) {
                const notGpu = lands.filter((p) => p.role !== "gpu");
                if (notGpu.length > 0)
                    out.push({
                        urn: r.urn,
                        message: `${pod.kind} ${pod.workload} is the GPU device plugin but can land on non-GPU pool(s) ${notGpu.map((p) => p.name).join(", ")}`,
                    });
            }
        }
        return out;
    },
});
