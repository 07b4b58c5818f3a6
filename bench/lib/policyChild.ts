// Child process for part 3: the policy checker's cost on synthetic plans of growing
// size, built from a shipped stack's plan (bench/lib/synthetic.ts). Three timings
// per size: the whole pack; only its resource rules (stack rules disabled through the
// pack config); only its stack rules. Sizes interleave run by run.
//   policyChild.ts <runs> <stack> <size>...
//   policyChild.ts profile <stack> <size> <repeats>   (under node --cpu-prof)

import { runPlan } from "../../plan/engine";
import { emitResult, medianTiming, progress, timed, Timing } from "./common";
import { loadPolicyPack, onlyRules, PolicyPack } from "./policyLoader";
import { syntheticPlan } from "./synthetic";

type Summary = ReturnType<typeof medianTiming>;

export interface PolicySizeResult {
    readonly size: number;
    readonly copies: number;
    readonly violations: number;
    readonly violationsByPolicy: Record<string, number>;
    readonly all: Summary;
    readonly resourceRulesOnly: Summary;
    readonly stackRulesOnly: Summary;
    /** Whole pack: µs per (resource x rule), every rule counted. */
    readonly usPerResourceRule: number;
    /** Resource rules alone: µs per (resource x resource rule). */
    readonly usPerResourceResourceRule: number;
    /** Stack rules alone: µs per (resource x stack rule). */
    readonly usPerResourceStackRule: number;
}

export type PolicyResult =
    | { readonly skipped: string }
    | {
          readonly stack: string;
          readonly templates: number;
          readonly rules: number;
          readonly resourceRules: readonly string[];
          readonly stackRules: readonly string[];
          readonly sizes: PolicySizeResult[];
      };

async function measure(pack: PolicyPack, runs: number, stack: string, sizes: number[]): Promise<PolicyResult> {
    const base = await runPlan({ stack });
    const plans = new Map(sizes.map((n) => [n, syntheticPlan(base, n)]));
    const configs = {
        all: undefined,
        resourceRulesOnly: onlyRules(pack, pack.resourceRules),
        stackRulesOnly: onlyRules(pack, pack.stackRules),
    };
    type Variant = keyof typeof configs;
    const variants = Object.keys(configs) as Variant[];
    const samples = new Map(sizes.map((n) => [n, { all: [] as Timing[], resourceRulesOnly: [] as Timing[], stackRulesOnly: [] as Timing[] }]));
    const violations = new Map<number, Record<string, number>>();

    // Warm-up: every size and variant once; the whole pack's violations are kept.
    for (const n of sizes) {
        const plan = plans.get(n)?.plan;
        if (!plan) continue;
        const byPolicy: Record<string, number> = {};
        for (const v of pack.checkPlan(plan)) byPolicy[v.policy] = (byPolicy[v.policy] ?? 0) + 1;
        violations.set(n, byPolicy);
        for (const v of variants) if (v !== "all") pack.checkPlan(plan, configs[v]);
    }
    for (let i = 0; i < runs; i++) {
        for (const n of i % 2 === 0 ? sizes : [...sizes].reverse()) {
            const plan = plans.get(n)?.plan;
            if (!plan) continue;
            for (const v of variants) samples.get(n)?.[v].push(await timed(() => pack.checkPlan(plan, configs[v])));
        }
        progress(`policy: round ${i + 1}/${runs}`);
    }
    const rules = pack.resourceRules.length + pack.stackRules.length;
    return {
        stack,
        templates: plans.get(sizes[0])?.templates ?? 0,
        rules,
        resourceRules: pack.resourceRules,
        stackRules: pack.stackRules,
        sizes: sizes.map((n) => {
            const s = samples.get(n) ?? { all: [], resourceRulesOnly: [], stackRulesOnly: [] };
            const all = medianTiming(s.all);
            const resourceRulesOnly = medianTiming(s.resourceRulesOnly);
            const stackRulesOnly = medianTiming(s.stackRulesOnly);
            const byPolicy = violations.get(n) ?? {};
            return {
                size: n,
                copies: plans.get(n)?.copies ?? 0,
                violations: Object.values(byPolicy).reduce((a, b) => a + b, 0),
                violationsByPolicy: byPolicy,
                all,
                resourceRulesOnly,
                stackRulesOnly,
                usPerResourceRule: (all.cpuMs * 1000) / (n * rules),
                usPerResourceResourceRule: (resourceRulesOnly.cpuMs * 1000) / (n * Math.max(1, pack.resourceRules.length)),
                usPerResourceStackRule: (stackRulesOnly.cpuMs * 1000) / (n * Math.max(1, pack.stackRules.length)),
            };
        }),
    };
}

/** For a missed target: the whole pack on one size, repeatedly, to profile under --cpu-prof. */
async function profile(pack: PolicyPack, stack: string, size: number, repeats: number): Promise<void> {
    const plan = syntheticPlan(await runPlan({ stack }), size).plan;
    for (let i = 0; i < repeats; i++) pack.checkPlan(plan);
    emitResult({ profiled: size, repeats });
}

async function main(): Promise<void> {
    const pack = loadPolicyPack();
    if ("skip" in pack) {
        emitResult({ skipped: pack.skip });
        return;
    }
    const args = process.argv.slice(2);
    if (args[0] === "profile") return profile(pack, args[1], Number(args[2]), Number(args[3]));
    const [runs, stack, ...sizes] = args;
    emitResult(await measure(pack, Number(runs), stack, sizes.map(Number)));
}

main().catch((err) => {
    process.stderr.write(`policyChild failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
});
