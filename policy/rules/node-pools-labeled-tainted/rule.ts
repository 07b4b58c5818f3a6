// node-pools-labeled-tainted
import { labelKeys, Taint, taintKeys } from "@domino-tenancy/core";
import type { ContextPool } from "../../lib/context";
import { Finding, stackRule } from "../../lib/rule";

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.value ?? "") === (b.value ?? "") && a.effect === b.effect;

/** Problems with one pool, each a sentence. */
export function poolProblems(pool: ContextPool, dedicated: Taint | null, minPlatformNodes: number): string[] {
    const out: string[] = [];
    if (!pool.labels[labelKeys.nodePool]) out.push(`has no ${labelKeys.nodePool} label`);
    if (pool.labels[labelKeys.dominoNode] !== "true") out.push(`does not carry ${labelKeys.dominoNode}=true`);
    const isGpu = pool.role === "gpu" || pool.labels[labelKeys.gpu] === "true";
    if (isGpu && !pool.taints.some((t) => t.key === taintKeys.gpu && t.effect !== "PreferNoSchedule"))
        out.push(`is a GPU pool without the ${taintKeys.gpu} taint, so any pod could take its GPUs' nodes`);
    if (dedicated && !pool.taints.some((t) => sameTaint(t, dedicated)))
        out.push(`lacks the dedicated taint ${dedicated.key}=${dedicated.value}:${dedicated.effect}, so other tenants' pods can land on it`);
    if (pool.role === "platform" && pool.minSize !== undefined && pool.minSize < minPlatformNodes)
        out.push(`is the platform pool with minimum size ${pool.minSize}, below ${minPlatformNodes}`);
    return out;
}

export const nodePoolsLabeledTainted = stackRule({
    name: "node-pools-labeled-tainted",
    description:
        "Everything else in the tenancy model keys on node labels and taints: Domino's workloads select its nodes by label, GPU taints keep ordinary pods off expensive nodes, and in dedicated isolation the deployment's taint keeps other tenants off Domino's nodes. A pool that lacks them silently breaks all of that. The platform pool also keeps a minimum size, so Domino's services always have somewhere to run.",
    defaults: { minPlatformNodes: 1 },
    configSchema: { properties: { minPlatformNodes: { type: "integer", minimum: 0, description: "smallest allowed minimum size of the platform pool" } } },
    check(_resources, ctx, config) {
        const out: Finding[] = [];
        const dedicated = ctx.model.isolation === "dedicated" ? ctx.model.dedicatedTaint : null;
        for (const pool of ctx.pools) {
            for (const p of poolProblems(pool, dedicated, config.minPlatformNodes)) {
                out.push({ urn: pool.urn ?? ctx.modelUrn, message: `node pool '${pool.name}' (${ctx.poolSource}) ${p}` });
            }
        }
        if (ctx.model.isolation === "dedicated" && !dedicated)
            out.push({ urn: ctx.modelUrn, message: "the tenancy model says dedicated isolation but names no dedicated taint" });
        return out;
    },
});
