// npm run bench [-- --runs N] [--parts 1,2,3,4] [--no-profile] [--out file] [--smoke]
//
// Performance of the program and its tooling, as ratios and slopes measured within
// one run (the machine is shared with other heavy jobs, so absolute times drift
// between runs; a ratio of two things measured side by side does not):
//   1. program overhead: each shipped stack's offline plan vs a floor program that
//      registers the same resources with trivial inputs through the same runPlan;
//   2. scale: generated configs with 3, 30 and 300 node pools; time, peak memory and
//      the slope of time against resources;
//   3. policy cost: the plan checker on synthetic plans of 1k, 10k and 50k resources;
//   4. the type check and the fast test tier: wall time, CPU time and peak memory;
//   5. the policy pack's cost on a real `pulumi preview` of the local stack, with and
//      without the pack side by side (needs the toolchain and the local cluster; not in
//      the default parts);
//   6. the admission twins' cost per request: p50/p99 of server-side dry-run creates in
//      a Domino namespace and in the other tenant's, with and without the twins, rounds
//      interleaved (needs the local cluster; not in the default parts).
// Every in-process figure is the median of N runs after a warm-up, timed on CPU time
// (wall time is kept alongside). Missed targets are profiled with node --cpu-prof.
// Prints a Markdown table on stdout, progress on stderr; writes bench/results.json.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCommand, usageError, writeAll } from "../scripts/cli/parse";
import { stackNames as shippedStacks } from "../scripts/cli/commands";
import { defaultRuns, hasGnuTime, logSlope, outDir, progress, repoRoot, round, runChild } from "./lib/common";
import { Cloud, maxAcceptedPools } from "./lib/configs";
import type { OverheadResult } from "./lib/overheadChild";
import type { PolicyResult } from "./lib/policyChild";
import { hotspots } from "./lib/profile";
import type { ScaleMemoryResult, ScaleTimeResult } from "./lib/scaleChild";
import { measureTooling, ToolResult } from "./lib/tooling";

/** Where the results go unless --out says otherwise (the bench's CommandSpec default). */
const defaultOut = "bench/results.json";

const targets = {
    overheadRatio: 1.5,
    timePer10xResources: 12,
    usPerResourceRule: 50,
    policy50kOver10k: 6,
    packPreviewRatio: 1.15,
    // In Domino's namespace against the floor (one trivial policy bound the same way), not against no
    // policy: the API server converts the object once per matching policy, so one trivial policy
    // already costs 1.16-1.25x on Kubernetes 1.36 and no set of policies can meet 1.2x of none.
    admissionTwinsOverFloorP50: 1.2,
    admissionOtherTenantP50: 1.05,
    admissionOtherTenantP99: 1.2,
};

const scaleClouds: Cloud[] = ["existing", "aws", "gcp"];

/** The sizes each part measures; --smoke takes small ones, to check that every part runs, not what it measures. */
interface Sizes {
    readonly scalePools: readonly number[];
    readonly policySizes: readonly number[];
}
const fullSizes: Sizes = { scalePools: [3, 30, 300], policySizes: [1000, 10000, 50000] };
const smokeSizes: Sizes = { scalePools: [3, 30], policySizes: [100, 1000, 5000] };
/** The synthetic plans copy this stack's Kubernetes objects: the one with every kind of node workload. */
const policyBaseStack = "local";

interface TargetCheck {
    readonly part: string;
    readonly subject: string;
    readonly figure: string;
    readonly target: string;
    readonly value: number;
    readonly pass: boolean;
}

const checks: TargetCheck[] = [];
function check(part: string, subject: string, figure: string, value: number, op: "<=" | "<", limit: number): boolean {
    const pass = op === "<=" ? value <= limit : value < limit;
    checks.push({ part, subject, figure, target: `${op} ${limit}`, value: round(value, 2), pass });
    return pass;
}

/** Runs a child under node --cpu-prof and summarizes where the time went. */
async function profileChild(label: string, script: string, args: string[]): Promise<ReturnType<typeof hotspots> & { file: string }> {
    const dir = path.join(outDir, "profiles", label);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    progress(`profiling ${label} (node --cpu-prof) ...`);
    await runChild(script, args, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no profile written for ${label}`);
    return { file: path.relative(repoRoot, path.join(dir, file)), ...hotspots(path.join(dir, file), 10) };
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const mark = (pass: boolean) => (pass ? "met" : "**missed**");

async function partOverhead(runs: number, profile: boolean, md: string[]): Promise<unknown> {
    const stacks = shippedStacks();
    progress(`part 1: offline plan vs floor for ${stacks.join(", ")} (${runs} runs after a warm-up)`);
    const results = await runChild<OverheadResult[]>("overheadChild.ts", [String(runs), ...stacks]);
    md.push(
        `### 1. Program overhead: offline plan vs floor (target: ratio <= ${targets.overheadRatio})`,
        "",
        "| stack | resources | plan, ms CPU | floor, ms CPU | ratio | ratio (wall) | vs same-inputs floor | SDK promises plan / floor | plan time in stack captures | ratio without stack captures | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    );
    const rows = results.map((r) => {
        const pass = check("1 overhead", r.stack, "plan / floor time", r.ratio, "<=", targets.overheadRatio);
        md.push(
            `| ${r.stack} | ${r.resources} | ${fmt(r.real.cpuMs)} | ${fmt(r.floor.cpuMs)} | ${fmt(r.ratio, 2)} | ${fmt(r.ratioWall, 2)} | ${fmt(r.ratioSameInputs, 2)} | ${r.sdkPromises.real.total} / ${r.sdkPromises.floor.total} | ${fmt(r.noStackTraces.planTimeSaved * 100)}% | ${fmt(r.noStackTraces.ratio, 2)} | ${mark(pass)} |`,
        );
        return {
            stack: r.stack,
            resources: r.resources,
            planCpuMs: round(r.real.cpuMs, 1),
            floorCpuMs: round(r.floor.cpuMs, 1),
            sameInputsFloorCpuMs: round(r.sameInputsFloor.cpuMs, 1),
            planWallMs: round(r.real.wallMs, 1),
            floorWallMs: round(r.floor.wallMs, 1),
            ratio: round(r.ratio, 3),
            ratioWall: round(r.ratioWall, 3),
            ratioSameInputs: round(r.ratioSameInputs, 3),
            cpuSpread: { plan: round(r.real.cpuSpread, 3), floor: round(r.floor.cpuSpread, 3) },
            sdkPromises: r.sdkPromises,
            noStackTraces: {
                planCpuMs: round(r.noStackTraces.real.cpuMs, 1),
                floorCpuMs: round(r.noStackTraces.floor.cpuMs, 1),
                ratio: round(r.noStackTraces.ratio, 3),
                planTimeSaved: round(r.noStackTraces.planTimeSaved, 3),
            },
            pass,
            samples: r.samples,
        };
    });
    md.push(
        "",
        "Floor: the same resource types and counts, flat, with a one-key input each, through the same `runPlan` in the same process (runs interleaved). " +
            "Same-inputs floor (diagnostic): the same, but each resource registered with the real plan's recorded inputs. " +
            "SDK promises: `debuggablePromise` calls per plan (@pulumi/pulumi runtime/debuggable.js), each of which formats a stack trace (`new Error().stack`, source-mapped under tsx). " +
            "Stack captures: the share of plan time saved, and the plan / floor ratio, with `Error.stackTraceLimit = 0` (diagnostic runs, interleaved with the others).",
        "",
    );
    let prof: unknown;
    const worst = [...results].sort((a, b) => b.ratio - a.ratio)[0];
    if (profile && worst && worst.ratio > targets.overheadRatio)
        prof = await profileChild(`overhead-${worst.stack}`, "overheadChild.ts", ["profile", worst.stack, "10"]);
    return { target: `plan / floor <= ${targets.overheadRatio}`, timeBasis: "median CPU time", stacks: rows, profile: prof };
}

async function partScale(runs: number, profile: boolean, md: string[], { scalePools }: Sizes): Promise<unknown> {
    const clouds = [];
    md.push(
        `### 2. Scale: generated configs by node-pool count (target: time ratio per 10x resources <= ${targets.timePer10xResources})`,
        "",
        "| cloud | pools | resources | plan, ms CPU | plan, ms wall | peak RSS, MiB | RSS before planning, MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    );
    const slopeRows: string[] = [];
    const caps: string[] = [];
    for (const cloud of scaleClouds) {
        const cap = maxAcceptedPools(cloud, Math.max(...scalePools));
        const sizes = [...new Set(scalePools.map((n) => Math.min(n, cap.pools)))];
        if (cap.rejection) caps.push(`${cloud}: at most ${cap.pools} pools (${cap.rejection})`);
        if (cap.rejection) progress(`scale ${cloud}: the config accepts at most ${cap.pools} pools (${cap.rejection}); using that`);
        progress(`part 2: ${cloud} with ${sizes.join(", ")} pools (${runs} runs after a warm-up, sizes interleaved)`);
        const time = await runChild<ScaleTimeResult>("scaleChild.ts", ["time", String(runs), cloud, ...sizes.map(String)]);
        const memory: ScaleMemoryResult[] = [];
        for (const pools of sizes) memory.push(await runChild<ScaleMemoryResult>("scaleChild.ts", ["memory", cloud, String(pools)]));
        const rows = time.sizes.map((s) => {
            const m = memory.find((x) => x.pools === s.pools);
            md.push(
                `| ${cloud} | ${s.pools} | ${s.resources} | ${fmt(s.time.cpuMs)} | ${fmt(s.time.wallMs)} | ${fmt(m?.peakRssMiB ?? NaN)} | ${fmt(m?.baselineRssMiB ?? NaN)} |`,
            );
            return {
                pools: s.pools,
                resources: s.resources,
                cpuMs: round(s.time.cpuMs, 1),
                wallMs: round(s.time.wallMs, 1),
                cpuSpread: round(s.time.cpuSpread, 3),
                peakRssMiB: round(m?.peakRssMiB ?? NaN, 1),
                baselineRssMiB: round(m?.baselineRssMiB ?? NaN, 1),
                samples: s.samples,
            };
        });
        // The slope against resources; where the resource count does not grow with pools
        // (an adopted cluster creates no node pools), against pools instead. The target is
        // judged on the 30 -> 300 step, where resources grow most: on the first step they
        // may grow by half only, and the log-log slope then magnifies timing noise.
        // Marginal cost per added pool, step by step, says whether growth is linear.
        const steps = rows.slice(1).map((b, i) => {
            const a = rows[i];
            const byResources = b.resources > a.resources * 1.05;
            const sizeRatio = byResources ? b.resources / a.resources : b.pools / a.pools;
            const timeRatio = b.cpuMs / a.cpuMs;
            const slope = logSlope(1, 1, sizeRatio, timeRatio);
            const per10x = 10 ** slope;
            const judged = i === rows.length - 2;
            const subject = `${cloud} ${a.pools}->${b.pools} pools`;
            const pass = judged
                ? check("2 scale", subject, `time ratio per 10x ${byResources ? "resources" : "pools"}`, per10x, "<=", targets.timePer10xResources)
                : per10x <= targets.timePer10xResources;
            const marginalMsPerPool = (b.cpuMs - a.cpuMs) / (b.pools - a.pools);
            const marginalMsPerResource = byResources ? (b.cpuMs - a.cpuMs) / (b.resources - a.resources) : NaN;
            slopeRows.push(
                `| ${cloud} | ${a.pools} -> ${b.pools} | ${a.resources} -> ${b.resources} (x${fmt(b.resources / a.resources, 2)}) | x${fmt(timeRatio, 2)} | ${fmt(slope, 2)} | x${fmt(per10x, 1)} per 10x ${byResources ? "resources" : "pools"} | ${fmt(marginalMsPerPool, 1)} | ${judged ? mark(pass) : `(${pass ? "within" : "above"}; not judged)`} |`,
            );
            return {
                from: a.pools,
                to: b.pools,
                basis: byResources ? "resources" : "pools",
                sizeRatio: round(sizeRatio, 3),
                resourceRatio: round(b.resources / a.resources, 3),
                timeRatio: round(timeRatio, 3),
                slope: round(slope, 3),
                timeRatioPer10x: round(per10x, 2),
                marginalCpuMsPerPool: round(marginalMsPerPool, 2),
                marginalCpuMsPerResource: round(marginalMsPerResource, 2),
                judged,
                pass,
            };
        });
        let prof: unknown;
        if (profile && steps.some((s) => s.judged && !s.pass))
            prof = await profileChild(`scale-${cloud}`, "scaleChild.ts", ["profile", cloud, String(sizes[sizes.length - 1]), "2"]);
        clouds.push({ cloud, poolCap: cap.rejection ? { accepted: cap.pools, rejection: cap.rejection } : null, sizes: rows, steps, profile: prof });
    }
    md.push(
        "",
        "| cloud | pools | resources | time | slope (log time / log size) | time ratio per 10x | marginal ms CPU per added pool | target |",
        "|---|---|---|---:|---:|---:|---:|---|",
        ...slopeRows,
        "",
        "Pools: one platform pool (the schema requires exactly one), then compute and GPU pools 2:1. An adopted (existing) cluster creates no node pools, so its resource count stays flat and its slope is taken against pools. " +
            "The target is judged on the 30 -> 300 step. A constant marginal cost per added pool from step to step means time is linear in pools. " +
            `${caps.length ? `The config caps the pool count: ${caps.join("; ")}; the largest accepted count was used.` : "The config accepts 300 pools (the schema sets no maximum)."} ` +
            "Peak RSS: a fresh process that loads the program and plans once (process.resourceUsage().maxRSS).",
        "",
    );
    return { target: `time ratio per 10x resources <= ${targets.timePer10xResources}`, timeBasis: "median CPU time", clouds };
}

async function partPolicy(runs: number, profile: boolean, md: string[], { policySizes }: Sizes): Promise<unknown> {
    progress(`part 3: policy checker on ${policySizes.join(", ")} resources (${runs} runs after a warm-up)`);
    const result = await runChild<PolicyResult>("policyChild.ts", [String(runs), policyBaseStack, ...policySizes.map(String)]);
    md.push(
        `### 3. Policy cost: checkPlan on synthetic plans (targets: < ${targets.usPerResourceRule} µs per resource x rule; 50k / 10k time <= ${targets.policy50kOver10k})`,
        "",
    );
    if ("skipped" in result) {
        const reason = `skipped: ${result.skipped}`;
        progress(`part 3 ${reason}`);
        md.push(`Part 3 ${reason}.`, "");
        return { skipped: result.skipped };
    }
    md.push(
        `Pack: ${result.rules} rules, ${result.resourceRules.length} resource rules (validateResource) and ${result.stackRules.length} stack rules (validateStack).`,
        "",
        "| resources | violations | whole pack, ms CPU | µs per resource x rule | resource rules only, ms | µs per resource x resource rule | stack rules only, ms | µs per resource x stack rule |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const s of result.sizes) {
        md.push(
            `| ${s.size} | ${s.violations} | ${fmt(s.all.cpuMs)} | ${fmt(s.usPerResourceRule, 2)} | ${fmt(s.resourceRulesOnly.cpuMs)} | ${fmt(s.usPerResourceResourceRule, 2)} | ${fmt(s.stackRulesOnly.cpuMs)} | ${fmt(s.usPerResourceStackRule, 2)} |`,
        );
        check("3 policy", `${s.size} resources`, "µs per resource x resource rule", s.usPerResourceResourceRule, "<", targets.usPerResourceRule);
        check("3 policy", `${s.size} resources`, "µs per resource x rule (whole pack)", s.usPerResourceRule, "<", targets.usPerResourceRule);
    }
    const at = (n: number) => result.sizes.find((s) => s.size === n);
    const ratios: Record<string, number> = {};
    const [small, mid, large] = policySizes.map(at);
    if (mid && large) {
        for (const v of ["all", "resourceRulesOnly", "stackRulesOnly"] as const) ratios[v] = large[v].cpuMs / mid[v].cpuMs;
    }
    const passLinear = check("3 policy", "whole pack", `${large?.size} / ${mid?.size} resources, time`, ratios.all ?? NaN, "<=", targets.policy50kOver10k);
    md.push(
        "",
        `Slope: 50k / 10k time x${fmt(ratios.all ?? NaN, 2)} for the whole pack (resource rules x${fmt(ratios.resourceRulesOnly ?? NaN, 2)}, stack rules x${fmt(ratios.stackRulesOnly ?? NaN, 2)}), ` +
            `log slope ${fmt(mid && large ? logSlope(mid.size, mid.all.cpuMs, large.size, large.all.cpuMs) : NaN, 2)}; ` +
            `10k / 1k x${fmt(small && mid ? mid.all.cpuMs / small.all.cpuMs : NaN, 2)}. Target ${mark(passLinear)}.`,
        "",
        `Synthetic plans: the ${policyBaseStack} stack's plan with its ${result.templates} Kubernetes objects copied until the plan holds N resources; each copy has its own resource name, URN and object name (its namespace is kept), ` +
            "and the tenancy-model ConfigMap appears once. Renamed copies fall outside the pack's name-based allowlists and the deployment's namespaces, hence the violations, which the checker reports as it would for a real plan. " +
            "Resource and stack rules are timed apart by disabling the others through the pack config.",
        "",
    );
    const missed =
        result.sizes.some((s) => s.usPerResourceResourceRule >= targets.usPerResourceRule || s.usPerResourceRule >= targets.usPerResourceRule) || !passLinear;
    let prof: unknown;
    if (profile && missed) prof = await profileChild("policy", "policyChild.ts", ["profile", policyBaseStack, String(Math.max(...policySizes)), "2"]);
    return {
        target: `< ${targets.usPerResourceRule} µs per resource x resource rule; 50k / 10k <= ${targets.policy50kOver10k}`,
        timeBasis: "median CPU time",
        baseStack: policyBaseStack,
        templates: result.templates,
        rules: result.rules,
        resourceRules: result.resourceRules,
        stackRules: result.stackRules,
        sizes: result.sizes,
        ratio50kOver10k: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v, 3)])),
        profile: prof,
    };
}

async function partTooling(runs: number, md: string[], warmUp: boolean): Promise<unknown> {
    progress(`part 4: type check and fast tests (${runs} runs after a warm-up, each against its floor)`);
    const results: ToolResult[] = await measureTooling(runs, warmUp);
    md.push(
        "### 4. Type check and fast tests (no target)",
        "",
        "| command | wall, s | CPU, s | peak RSS, MiB | floor wall, s | floor peak RSS, MiB | CPU ratio to floor | exit codes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    );
    for (const r of results) {
        md.push(
            `| \`${r.tool.command}\` | ${fmt(r.tool.wallMs / 1000, 1)} | ${fmt(r.tool.cpuMs / 1000, 1)} | ${fmt(r.tool.maxRssMiB)} | ${fmt(r.floor.wallMs / 1000, 1)} | ${fmt(r.floor.maxRssMiB)} | ${fmt(r.ratio, 1)} | ${[...new Set(r.tool.exitCodes)].join(", ")} |`,
        );
    }
    md.push(
        "",
        `Floors: tsc on a one-line file with the project's compiler options; mocha with tsx and one empty test. Peak RSS: the largest process of the command's tree (${hasGnuTime ? "/usr/bin/time -v" : "process.resourceUsage() preloaded in each Node process"}).`,
        "",
    );
    return results.map((r) => ({
        name: r.name,
        command: r.tool.command,
        wallMs: round(r.tool.wallMs, 0),
        cpuMs: round(r.tool.cpuMs, 0),
        maxRssMiB: round(r.tool.maxRssMiB, 1),
        exitCodes: r.tool.exitCodes,
        floor: { command: r.floor.command, wallMs: round(r.floor.wallMs, 0), cpuMs: round(r.floor.cpuMs, 0), maxRssMiB: round(r.floor.maxRssMiB, 1) },
        ratio: round(r.ratio, 2),
        ratioWall: round(r.ratioWall, 2),
        samples: { tool: r.tool.samples, floor: r.floor.samples },
    }));
}

function machine(): Record<string, unknown> {
    const cpus = os.cpus();
    return {
        cpuModel: cpus[0]?.model ?? "unknown",
        cores: cpus.length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        date: new Date().toISOString(),
        loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
    };
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("bench", argv);
    if (parsed.kind === "exit") return parsed.code;
    const opts = parsed.opts as { runs: string; parts: string; profile: boolean; out: string; smoke: boolean };
    // A smoke run checks that every part still runs (CI runs it): one run, small sizes, no profiles,
    // and its figures go to bench/out/, never over the committed results.
    const smoke = opts.smoke;
    const values = { ...opts, out: path.resolve(repoRoot, smoke && opts.out === defaultOut ? path.join(outDir, "smoke-results.json") : opts.out) };
    const runs = smoke ? 1 : Number(values.runs ?? defaultRuns);
    if (!Number.isInteger(runs) || runs < 1) return usageError("bench", `--runs must be a positive integer (got ${values.runs})`);
    const parts = new Set((values.parts ?? "").split(",").map((p) => p.trim()));
    const unknownParts = [...parts].filter((p) => !["1", "2", "3", "4", "5", "6"].includes(p));
    if (unknownParts.length > 0) return usageError("bench", `--parts takes 1 to 6 (got ${unknownParts.join(", ")})`);
    const profile = values.profile && !smoke;
    const sizes = smoke ? smokeSizes : fullSizes;
    fs.mkdirSync(path.dirname(values.out), { recursive: true });
    const started = Date.now();
    const results: Record<string, unknown> = {
        machine: machine(),
        settings: { runs, warmUps: 1, smoke, statistic: "median", timeBasis: "CPU time of the measuring process (wall time alongside)" },
    };
    const md: string[] = [];

    if (parts.has("1")) results.overhead = await partOverhead(runs, profile, md);
    if (parts.has("2")) results.scale = await partScale(runs, profile, md, sizes);
    if (parts.has("3")) results.policy = await partPolicy(runs, profile, md, sizes);
    if (parts.has("4")) results.tooling = await partTooling(runs, md, !smoke);
    if (parts.has("5")) {
        progress(`part 5: preview of the local stack with and without the policy pack (${runs} runs each, interleaved)`);
        const { measurePackOverhead } = await import("./lib/packOverhead"); // the Automation API, only when asked for
        const r = await measurePackOverhead(runs);
        check("5 pack", r.stack, "preview with pack / without (median wall s)", r.ratio, "<=", targets.packPreviewRatio);
        md.push(
            `### 5. The policy pack on a real preview (target: ratio <= ${targets.packPreviewRatio})`,
            "",
            "| stack | runs | with the pack, s | without, s | ratio |",
            "|---|---:|---:|---:|---:|",
            `| ${r.stack} | ${r.runs} | ${fmt(r.medianWith, 2)} | ${fmt(r.medianWithout, 2)} | ${fmt(r.ratio, 2)} |`,
            "",
        );
        results.packOverhead = r;
    }

    if (parts.has("6")) {
        progress("part 6: server-side dry-run creates with and without the admission twins, Domino's namespace and the other tenant's");
        // Loaded only when asked for: it pulls in the plan engine and the pack's fixtures.
        const { measureAdmissionCost } = await import("./lib/admissionCost");
        const r = await measureAdmissionCost();
        const passDomino = check(
            "6 admission",
            `Domino (${r.domino.namespace})`,
            "p50 with twins / with the floor",
            r.domino.p50OverFloor,
            "<=",
            targets.admissionTwinsOverFloorP50,
        );
        const other = `other tenant (${r.otherTenant.namespace})`;
        const passOtherP50 = check("6 admission", other, "p50 with twins / without", r.otherTenant.p50Ratio, "<=", targets.admissionOtherTenantP50);
        const passOtherP99 = check("6 admission", other, "p99 with twins / without", r.otherTenant.p99Ratio, "<=", targets.admissionOtherTenantP99);
        const row = (who: string, x: typeof r.otherTenant, verdict: string) =>
            `| ${who} | ${x.namespace} | ${fmt(x.with.p50Ms, 2)} | ${fmt(x.without.p50Ms, 2)} | ${fmt(x.p50Ratio, 2)} | ${fmt(x.with.p99Ms, 2)} | ${fmt(x.without.p99Ms, 2)} | ${fmt(x.p99Ratio, 2)} | ${fmt(x.with.vapPluginMeanMs, 2)} / ${fmt(x.without.vapPluginMeanMs, 2)} | ${verdict} |`;
        md.push(
            `### 6. The admission twins' cost per request (targets: in Domino's namespace, p50 with the twins <= ${targets.admissionTwinsOverFloorP50}x the one-trivial-policy floor; in the other tenant's, p50 <= ${targets.admissionOtherTenantP50}x and p99 <= ${targets.admissionOtherTenantP99}x without policies)`,
            "",
            "| tenant | namespace | p50 with, ms | p50 without, ms | p50 ratio | p99 with, ms | p99 without, ms | p99 ratio | server's VAP plugin per create, ms with / without | target |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
            row("Domino", r.domino, `p50 over the floor ${fmt(r.domino.p50OverFloor, 2)} <= ${targets.admissionTwinsOverFloorP50}: ${mark(passDomino)}`),
            row(
                "other tenant",
                r.otherTenant,
                `p50 <= ${targets.admissionOtherTenantP50}: ${mark(passOtherP50)}; p99 <= ${targets.admissionOtherTenantP99}: ${mark(passOtherP99)}`,
            ),
            "",
            `Floor in Domino's namespace (one policy bound like the pod-template policy, with its params and one trivial check, instead of the twins): p50 ${fmt(r.domino.floor.p50Ms, 2)} ms, ${fmt(r.domino.floorP50Ratio, 2)}x the p50 without; VAP plugin ${fmt(r.domino.floor.vapPluginMeanMs, 2)} ms per create. No set of ValidatingAdmissionPolicies that judges this Deployment costs less on this server, so the twins are judged against it.`,
            "",
            `${r.createsPerCondition} server-side dry-run creates per cell of ${r.object}, one at a time over one keep-alive connection, ${r.rounds} rounds interleaving the cells; ${r.twins} twins registered as ${r.policies} policies in "with". VAP plugin: the API server's own apiserver_admission_controller_admission_duration_seconds for the ValidatingAdmissionPolicy plugin, per create.`,
            "",
        );
        results.admissionCost = r;
    }

    const m = results.machine as Record<string, unknown>;
    m.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
    results.durationSeconds = Math.round((Date.now() - started) / 1000);
    results.targets = checks;
    results.allTargetsMet = checks.every((c) => c.pass);

    const header = [
        `## Benchmark results (${String(m.date).slice(0, 10)})`,
        "",
        `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average ${(m.loadAverageAtStart as number[]).join(" ")} at start, ${(m.loadAverageAtEnd as number[]).join(" ")} at end. ` +
            `Medians of ${runs} runs after a warm-up; in-process figures on CPU time. Bench time ${results.durationSeconds} s.`,
        "",
    ];
    const summary = [
        "### Targets",
        "",
        "| part | subject | figure | target | value | result |",
        "|---|---|---|---|---:|---|",
        ...checks.map((c) => `| ${c.part} | ${c.subject} | ${c.figure} | ${c.target} | ${c.value} | ${mark(c.pass)} |`),
        "",
    ];
    const profiles: string[] = [];
    for (const [part, value] of Object.entries(results)) {
        const list =
            part === "scale"
                ? ((value as { clouds: { cloud: string; profile?: unknown }[] }).clouds ?? []).map((c) => [`scale ${c.cloud}`, c.profile] as const)
                : [[part, (value as { profile?: unknown })?.profile] as const];
        for (const [label, p] of list) {
            if (!p) continue;
            const prof = p as ReturnType<typeof hotspots> & { file: string };
            profiles.push(
                `- ${label} (\`${prof.file}\`, ${prof.totalMs} ms sampled, module loading excluded): ` +
                    `top self time ${prof.bySelf
                        .slice(0, 6)
                        .map((h) => `${h.fn} (${h.file}) ${h.selfMs} ms`)
                        .join("; ")}. ` +
                    `Self time by area: ${Object.entries(prof.selfByArea)
                        .sort((a, b) => b[1] - a[1])
                        .map(([k, v]) => `${k} ${v} ms`)
                        .join("; ")}. ` +
                    `Inclusive: ${prof.keyTotals.map((h) => `${h.fn} ${h.totalMs} ms`).join("; ") || "n/a"}. ` +
                    `Own code by inclusive time: ${
                        prof.repoByTotal
                            .slice(0, 4)
                            .map((h) => `${h.fn} (${h.file}) ${h.totalMs} ms`)
                            .join("; ") || "none"
                    }.`,
            );
        }
    }
    const text = [...header, ...summary, ...md, ...(profiles.length ? ["### Profiles of missed targets", "", ...profiles, ""] : [])].join("\n");
    await writeAll(process.stdout, `${text}\n`);
    // A partial run replaces only the parts it measured; the others keep their last figures.
    const previous = fs.existsSync(values.out as string) ? (JSON.parse(fs.readFileSync(values.out as string, "utf8")) as Record<string, unknown>) : {};
    const previousTargets = ((previous.targets as TargetCheck[] | undefined) ?? []).filter((t) => !checks.some((c) => c.part === t.part));
    const merged = { ...previous, ...results, targets: [...previousTargets, ...checks], allTargetsMet: [...previousTargets, ...checks].every((c) => c.pass) };
    fs.writeFileSync(values.out as string, `${JSON.stringify(merged, null, 2)}\n`);
    progress(
        `wrote ${path.relative(process.cwd(), values.out as string)} in ${results.durationSeconds} s; targets ${
            results.allTargetsMet
                ? "all met"
                : "missed: " +
                  checks
                      .filter((c) => !c.pass)
                      .map((c) => `${c.part} ${c.subject}`)
                      .join(", ")
        }`,
    );
    return 0;
}

// exitCode, not process.exit: exiting while a pipe still holds the table truncates it.
main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
        process.exitCode = 1;
    },
);
