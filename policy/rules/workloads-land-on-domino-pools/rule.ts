// workloads-land-on-domino-pools
import { canLandOutsideDomino, dominoNodeSelectorHint, landingPools, whyNotOn } from "@domino-tenancy/core";
import { podTemplateOf } from "../../lib/resources";
import { Finding, stackRule } from "../../lib/rule";

export const workloadsLandOnDominoPools = stackRule({
    name: "workloads-land-on-domino-pools",
    description:
        "A static scheduling analysis, done before anything is applied. For each pod template, the pools whose labels satisfy its node selector and required affinity and whose taints it tolerates are where it can run. None means it never schedules; a way onto a node without Domino's labels means it spills onto other tenants' nodes. The GPU device plugin must land on GPU pools only.",
    defaults: {},
    check(resources, ctx) {
        const out: Finding[] = [];
        const devicePluginNs = ctx.namespaces.devicePlugin;
        for (const r of resources) {
            const pod = podTemplateOf(r);
            if (!pod) continue;
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
