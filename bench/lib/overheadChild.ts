// Child process for part 1: each shipped stack's offline plan against its floor, both
// through runPlan in this one process, interleaved run by run (the order rotates each
// round) so machine load falls on both alike. A second, diagnostic floor registers
// the real plan's recorded inputs, to split the overhead between the size of the
// inputs (SDK serialization) and the program's own work. Two more diagnostic runs set
// Error.stackTraceLimit to 0, to measure the share of the SDK's stack captures.
// Usage: overheadChild.ts <runs> <stack>...
//        overheadChild.ts profile <stack> <repeats>   (under node --cpu-prof)

import { runPlan } from "../../plan/engine";
import { emitResult, medianTiming, progress, timed, Timing } from "./common";
import { floorResources, floorRunPlan, sameTypeCounts } from "./floor";

type Summary = ReturnType<typeof medianTiming>;

export interface OverheadResult {
    readonly stack: string;
    readonly resources: number;
    readonly real: Summary;
    readonly floor: Summary;
    readonly sameInputsFloor: Summary;
    /** The target figure: plan CPU time over the trivial floor's. */
    readonly ratio: number;
    /** The same on wall time (noisier on a shared machine). */
    readonly ratioWall: number;
    /** Diagnostic: plan over the same-inputs floor (what the program adds beyond its inputs). */
    readonly ratioSameInputs: number;
    /** Diagnostic: plan and floor with Error.stackTraceLimit = 0 (no stack frames captured). */
    readonly noStackTraces: { readonly real: Summary; readonly floor: Summary; readonly ratio: number; readonly planTimeSaved: number };
    /**
     * Diagnostic, from one untimed run each: promises the SDK wraps in debuggablePromise
     * (each one materializes a stack trace), in all and for input properties
     * (transferProperties wraps four per top-level input property).
     */
    readonly sdkPromises: { readonly real: PromiseCount; readonly floor: PromiseCount };
    readonly samples: {
        readonly real: Timing[];
        readonly floor: Timing[];
        readonly sameInputsFloor: Timing[];
        readonly realNoStackTraces: Timing[];
        readonly floorNoStackTraces: Timing[];
    };
}

async function withoutStackTraces<T>(fn: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await fn();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

interface PromiseCount {
    readonly total: number;
    readonly inputProperties: number;
}

/** Counts the SDK's debuggablePromise calls during fn (internal module, patched for the one run). */
async function countSdkPromises(fn: () => Promise<unknown>): Promise<PromiseCount> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> };
    const original = debuggable.debuggablePromise;
    let total = 0;
    let inputProperties = 0;
    debuggable.debuggablePromise = (p, ctx) => {
        total++;
        if (/^transfer(Property|IsStable|IsSecret|Deps)/.test(String(ctx))) inputProperties++;
        return original(p, ctx);
    };
    try {
        await fn();
    } finally {
        debuggable.debuggablePromise = original;
    }
    return { total, inputProperties };
}

async function measure(stack: string, runs: number): Promise<OverheadResult> {
    // Warm-up: one run of each, which also gives the floor its resources.
    const plan = await runPlan({ stack });
    const trivial = floorResources(plan);
    const sameInputs = floorResources(plan, true);
    for (const resources of [trivial, sameInputs]) {
        if (!sameTypeCounts(plan, await floorRunPlan(resources, { stack })))
            throw new Error(`floor for ${stack} does not register the real plan's types and counts`);
    }

    const samples = {
        real: [] as Timing[],
        floor: [] as Timing[],
        sameInputsFloor: [] as Timing[],
        realNoStackTraces: [] as Timing[],
        floorNoStackTraces: [] as Timing[],
    };
    const steps = [
        async () => samples.real.push(await timed(() => runPlan({ stack }))),
        async () => samples.floor.push(await timed(() => floorRunPlan(trivial, { stack }))),
        async () => samples.sameInputsFloor.push(await timed(() => floorRunPlan(sameInputs, { stack }))),
        async () => samples.realNoStackTraces.push(await withoutStackTraces(() => timed(() => runPlan({ stack })))),
        async () => samples.floorNoStackTraces.push(await withoutStackTraces(() => timed(() => floorRunPlan(trivial, { stack })))),
    ];
    for (let i = 0; i < runs; i++) {
        for (let j = 0; j < steps.length; j++) await steps[(i + j) % steps.length]();
    }
    const sdkPromises = {
        real: await countSdkPromises(() => runPlan({ stack })),
        floor: await countSdkPromises(() => floorRunPlan(trivial, { stack })),
    };
    const real = medianTiming(samples.real);
    const floor = medianTiming(samples.floor);
    const same = medianTiming(samples.sameInputsFloor);
    const realNoStacks = medianTiming(samples.realNoStackTraces);
    const floorNoStacks = medianTiming(samples.floorNoStackTraces);
    const result: OverheadResult = {
        stack,
        resources: plan.resources.length,
        real,
        floor,
        sameInputsFloor: same,
        ratio: real.cpuMs / floor.cpuMs,
        ratioWall: real.wallMs / floor.wallMs,
        ratioSameInputs: real.cpuMs / same.cpuMs,
        noStackTraces: {
            real: realNoStacks,
            floor: floorNoStacks,
            ratio: realNoStacks.cpuMs / floorNoStacks.cpuMs,
            planTimeSaved: 1 - realNoStacks.cpuMs / real.cpuMs,
        },
        sdkPromises,
        samples,
    };
    progress(
        `overhead ${stack}: ${result.resources} resources; CPU ms plan ${real.cpuMs.toFixed(0)}, floor ${floor.cpuMs.toFixed(0)}, same-inputs floor ${same.cpuMs.toFixed(0)}; ` +
            `ratio ${result.ratio.toFixed(2)} (wall ${result.ratioWall.toFixed(2)}), vs same inputs ${result.ratioSameInputs.toFixed(2)}; ` +
            `without stack traces plan ${realNoStacks.cpuMs.toFixed(0)}, floor ${floorNoStacks.cpuMs.toFixed(0)} (ratio ${result.noStackTraces.ratio.toFixed(2)})`,
    );
    return result;
}

/** For a missed target: the real plan, repeatedly, to profile under --cpu-prof. */
async function profile(stack: string, repeats: number): Promise<void> {
    for (let i = 0; i <= repeats; i++) await runPlan({ stack });
    emitResult({ profiled: stack, repeats });
}

async function main(): Promise<void> {
    const [runsArg, ...stacks] = process.argv.slice(2);
    if (runsArg === "profile") return profile(stacks[0], Number(stacks[1]));
    const results: OverheadResult[] = [];
    for (const stack of stacks) results.push(await measure(stack, Number(runsArg)));
    emitResult(results);
}

main().catch((err) => {
    process.stderr.write(`overheadChild failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
});
