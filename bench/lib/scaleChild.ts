// Child process for part 2: offline plans of generated configs with a growing number
// of node pools.
//   scaleChild.ts time <runs> <cloud> <pools>...   CPU/wall time per size, sizes interleaved
//   scaleChild.ts memory <cloud> <pools>           peak RSS of one plan in a fresh process
//   scaleChild.ts profile <cloud> <pools> <repeats> (under node --cpu-prof)

import { runPlan } from "../../plan/engine";
import { emitResult, maxRssMiB, medianTiming, progress, timed, Timing } from "./common";
import { Cloud, generatedSource } from "./configs";

export interface ScaleTimeResult {
    readonly cloud: Cloud;
    readonly sizes: { readonly pools: number; readonly resources: number; readonly time: ReturnType<typeof medianTiming>; readonly samples: Timing[] }[];
}

export interface ScaleMemoryResult {
    readonly cloud: Cloud;
    readonly pools: number;
    readonly resources: number;
    /** Peak RSS of the process: modules loaded plus one plan. */
    readonly peakRssMiB: number;
    /** Peak RSS once the modules were loaded, before planning. */
    readonly baselineRssMiB: number;
}

async function time(runs: number, cloud: Cloud, sizes: number[]): Promise<ScaleTimeResult> {
    const resources = new Map<number, number>();
    for (const pools of sizes) {
        const plan = await runPlan(generatedSource(cloud, pools)); // warm-up
        resources.set(pools, plan.resources.length);
    }
    const samples = new Map<number, Timing[]>(sizes.map((s) => [s, []]));
    for (let i = 0; i < runs; i++) {
        // Alternate the direction so no size always follows the largest.
        for (const pools of i % 2 === 0 ? sizes : [...sizes].reverse()) {
            samples.get(pools)?.push(await timed(() => runPlan(generatedSource(cloud, pools))));
        }
        progress(`scale ${cloud}: round ${i + 1}/${runs}`);
    }
    return {
        cloud,
        sizes: sizes.map((pools) => ({
            pools,
            resources: resources.get(pools) ?? 0,
            time: medianTiming(samples.get(pools) ?? []),
            samples: samples.get(pools) ?? [],
        })),
    };
}

async function memory(cloud: Cloud, pools: number): Promise<ScaleMemoryResult> {
    const baselineRssMiB = maxRssMiB();
    const plan = await runPlan(generatedSource(cloud, pools));
    return { cloud, pools, resources: plan.resources.length, peakRssMiB: maxRssMiB(), baselineRssMiB };
}

async function main(): Promise<void> {
    const [mode, ...args] = process.argv.slice(2);
    if (mode === "time") {
        const [runs, cloud, ...sizes] = args;
        emitResult(await time(Number(runs), cloud as Cloud, sizes.map(Number)));
    } else if (mode === "profile") {
        for (let i = 0; i <= Number(args[2]); i++) await runPlan(generatedSource(args[0] as Cloud, Number(args[1])));
        emitResult({ profiled: args.slice(0, 2).join(" ") });
    } else if (mode === "memory") {
        emitResult(await memory(args[0] as Cloud, Number(args[1])));
    } else {
        throw new Error(`unknown mode ${mode}`);
    }
}

main().catch((err) => {
    process.stderr.write(`scaleChild failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
});
