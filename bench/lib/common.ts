// Shared by the bench's parent and its child processes: statistics, the child
// protocol (one JSON result line on stdout, progress on stderr) and GNU time.

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const benchDir = path.resolve(__dirname, "..");
export const outDir = path.join(benchDir, "out");

/** Runs kept after the warm-up; the brief asks for at least 5. */
export const defaultRuns = 5;

export function median(xs: readonly number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Relative spread of the kept runs: (max - min) / median. */
export function spread(xs: readonly number[]): number {
    return xs.length === 0 ? NaN : (Math.max(...xs) - Math.min(...xs)) / median(xs);
}

/** log-log slope between two points: time grows as size^slope. */
export function logSlope(size1: number, time1: number, size2: number, time2: number): number {
    return Math.log(time2 / time1) / Math.log(size2 / size1);
}

export function round(x: number, digits = 2): number {
    if (!Number.isFinite(x)) return x;
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

export function nowMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

/** One timed run: wall clock, and CPU time of this process (user + system, all its threads). */
export interface Timing {
    readonly wallMs: number;
    readonly cpuMs: number;
}

/**
 * Times fn after a full collection. CPU time is what the ratios use: the machine is
 * shared with other heavy jobs, and a process's own CPU time barely moves with their
 * load while its wall time does (everything measured in-process here is CPU-bound:
 * the mock runtime does no I/O).
 */
export async function timed(fn: () => unknown): Promise<Timing> {
    collect();
    const cpu0 = process.cpuUsage();
    const start = nowMs();
    await fn();
    const wallMs = nowMs() - start;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Medians of a series of timings. */
export function medianTiming(ts: readonly Timing[]): Timing & { readonly runs: number; readonly cpuSpread: number } {
    return { wallMs: median(ts.map((t) => t.wallMs)), cpuMs: median(ts.map((t) => t.cpuMs)), runs: ts.length, cpuSpread: spread(ts.map((t) => t.cpuMs)) };
}

export function progress(msg: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** A full collection before each timed run, where the child was started with --expose-gc. */
export function collect(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
}

const resultTag = "BENCH_RESULT ";

/** A child's answer: the last stdout line starting with the tag. */
export function emitResult(result: unknown): void {
    process.stdout.write(`${resultTag}${JSON.stringify(result)}\n`);
}

/** Peak resident set of this process so far, in MiB (resourceUsage reports KiB). */
export function maxRssMiB(): number {
    return process.resourceUsage().maxRSS / 1024;
}

/**
 * Runs a TypeScript child of the bench (bench/lib/*Child.ts) in a fresh Node process
 * with tsx's CommonJS hook, as mocha runs the tests, and with --expose-gc so each
 * timed run starts from a collected heap.
 */
export function runChild<T>(script: string, args: readonly string[], extraNodeArgs: readonly string[] = []): Promise<T> {
    const file = path.join(__dirname, script);
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...extraNodeArgs, "--expose-gc", "--require", "tsx/cjs", file, ...args], {
            cwd: repoRoot,
            stdio: ["ignore", "pipe", "inherit"],
            env: { ...process.env, NODE_OPTIONS: "" },
        });
        let out = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (d: string) => (out += d));
        child.on("error", reject);
        child.on("close", (code) => {
            const line = out
                .split("\n")
                .reverse()
                .find((l) => l.startsWith(resultTag));
            if (code !== 0 || !line) {
                reject(new Error(`${script} ${args.join(" ")} exited ${code}${line ? "" : " without a result"}\n${out.slice(-2000)}`));
                return;
            }
            resolve(JSON.parse(line.slice(resultTag.length)) as T);
        });
    });
}

export interface CommandRun {
    readonly wallMs: number;
    /** User + system CPU time of the whole process tree. */
    readonly cpuMs: number;
    /** Largest resident set of any process in the command's tree, MiB. */
    readonly maxRssMiB: number;
    readonly exitCode: number;
}

const gnuTime = "/usr/bin/time";
export const hasGnuTime = fs.existsSync(gnuTime);

/**
 * Runs a command and measures its wall time and peak RSS: GNU time's -v report where
 * it exists; else every Node process in the command's tree preloads rssPreload.js,
 * which records process.resourceUsage().maxRSS at exit, and the largest is taken.
 */
export function runCommand(cmd: string, args: readonly string[], cwd: string = repoRoot): Promise<CommandRun> {
    return new Promise((resolve, reject) => {
        fs.mkdirSync(outDir, { recursive: true });
        const reportFile = path.join(outDir, `rss-${process.pid}-${Date.now()}.txt`);
        const env = { ...process.env };
        if (!hasGnuTime) {
            env.BENCH_RSS_REPORT = reportFile;
            env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "rssPreload.js")}`.trim();
        }
        const argv = hasGnuTime ? ["-v", "-o", reportFile, cmd, ...args] : [...args];
        const start = nowMs();
        const child = spawn(hasGnuTime ? gnuTime : cmd, argv, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.setEncoding("utf8");
        child.stderr.on("data", (d: string) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = nowMs() - start;
            let report = "";
            try {
                report = fs.readFileSync(reportFile, "utf8");
                fs.rmSync(reportFile, { force: true });
            } catch {
                reject(new Error(`${cmd} ${args.join(" ")}: no memory report (exit ${code})\n${err.slice(-2000)}`));
                return;
            }
            let rssKb: number;
            let cpuMs: number;
            let exitCode: number;
            if (hasGnuTime) {
                const field = (name: string) => Number(new RegExp(`${name}: ([0-9.]+)`).exec(report)?.[1] ?? NaN);
                rssKb = field("Maximum resident set size \\(kbytes\\)");
                cpuMs = (field("User time \\(seconds\\)") + field("System time \\(seconds\\)")) * 1000;
                exitCode = field("Exit status");
            } else {
                const rows = report
                    .split("\n")
                    .filter(Boolean)
                    .map((l) => l.split(" ").map(Number));
                rssKb = Math.max(...rows.map((r) => r[0]));
                cpuMs = rows.reduce((sum, r) => sum + r[1], 0) / 1000;
                exitCode = code ?? 1;
            }
            resolve({ wallMs, cpuMs, maxRssMiB: rssKb / 1024, exitCode });
        });
    });
}
