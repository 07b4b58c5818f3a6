// Generated stack configs for the scale part: the minimal valid `tenancy` of a cloud
// (test/helpers/plan.ts) with N node pools: exactly one platform pool (the schema's
// rule), then compute and GPU pools in a 2:1 mix, so the device plugin, the image
// cache agent and every placement follow a growing set of pools.

import { buildModel } from "../../components/model/model";
import type { PlanSource } from "../../plan/engine";
import { baseTenancy, testSecrets, withPatch } from "../../test/helpers/plan";

export type Cloud = "aws" | "gcp" | "existing";

export function generatedPools(count: number): Record<string, unknown>[] {
    const pools: Record<string, unknown>[] = [{ name: "platform", role: "platform" }];
    for (let i = 1; i < count; i++) {
        // Pools share a role's default node-pool label otherwise; each needs its own.
        pools.push({ name: `pool-${i}`, role: i % 3 === 2 ? "gpu" : "compute", nodePoolLabel: `pool-${i}` });
    }
    return pools;
}

export function generatedTenancy(cloud: Cloud, pools: number): Record<string, unknown> {
    return withPatch(baseTenancy(cloud), { nodePools: generatedPools(pools) });
}

/** A generated stack as the plan engine runs it: the tenancy and the secrets every stack needs (the registry password). */
export function generatedSource(cloud: Cloud, pools: number): PlanSource {
    return { inline: { stack: `bench-${cloud}-${pools}`, tenancy: generatedTenancy(cloud, pools), secrets: testSecrets } };
}

/**
 * The largest pool count up to `wanted` that the config accepts (schema and model
 * rules, as the program checks them), found by bisection: the scale part reports a
 * cap instead of changing the schema.
 */
export function maxAcceptedPools(cloud: Cloud, wanted: number): { pools: number; rejection?: string } {
    const accepts = (n: number): string | undefined => {
        try {
            buildModel(generatedTenancy(cloud, n), "bench");
            return undefined;
        } catch (err) {
            return (err as Error).message;
        }
    };
    const rejection = accepts(wanted);
    if (rejection === undefined) return { pools: wanted };
    let lo = 1;
    let hi = wanted;
    while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (accepts(mid) === undefined) lo = mid;
        else hi = mid;
    }
    return { pools: lo, rejection: rejection.split("\n").slice(0, 3).join(" ") };
}
