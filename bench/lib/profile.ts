// Reads a V8 .cpuprofile (node --cpu-prof) and ranks where the time went: by
// function (self and inclusive) and by file (self), to name the cause of a missed
// target. Usage: npx tsx bench/lib/profile.ts <file.cpuprofile> [top=25] [filter]

import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./common";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
}
interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
}

export interface Hotspot {
    readonly fn: string;
    readonly file: string;
    readonly selfMs: number;
    readonly totalMs: number;
}

function shortFile(url: string): string {
    const file = url.startsWith("file://") ? url.slice("file://".length) : url;
    return file.startsWith(repoRoot) ? path.relative(repoRoot, file) : file || "(native)";
}

export interface ProfileSummary {
    /** Sampled time counted (module loading excluded). */
    readonly totalMs: number;
    readonly functions: Hotspot[];
    readonly files: { file: string; selfMs: number }[];
}

/**
 * Self and inclusive time per function (recursion counted once per stack), and self
 * time per file. Samples taken while a module loads (under Module._load) are left
 * out: a child's profile covers its start-up, and only the measured work matters.
 */
export function summarize(file: string): ProfileSummary {
    const prof = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<number, number>();
    prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000));

    // Line numbers of TypeScript files are those of tsx's output, not the source: leave them out.
    const where = (n: ProfileNode) => {
        const f = shortFile(n.callFrame.url);
        return f.endsWith(".ts") ? f : `${f}:${n.callFrame.lineNumber + 1}`;
    };
    const key = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"}\u0000${where(n)}`;
    const fnSelf = new Map<string, number>();
    const fnTotal = new Map<string, number>();
    const fileSelf = new Map<string, number>();
    const loading = (id: number): boolean => {
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
            if (byId.get(cur)?.callFrame.functionName === "Module._load") return true;
        }
        return false;
    };
    let totalMs = 0;
    for (const [id, ms] of self) {
        const node = byId.get(id);
        if (!node || loading(id)) continue;
        totalMs += ms;
        fnSelf.set(key(node), (fnSelf.get(key(node)) ?? 0) + ms);
        const f = shortFile(node.callFrame.url);
        fileSelf.set(f, (fileSelf.get(f) ?? 0) + ms);
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
            const k = key(byId.get(cur) as ProfileNode);
            if (seen.has(k)) continue;
            seen.add(k);
            fnTotal.set(k, (fnTotal.get(k) ?? 0) + ms);
        }
    }
    const functions = [...fnTotal.keys()].map((k) => {
        const [fn, loc] = k.split("\u0000");
        return { fn, file: loc, selfMs: fnSelf.get(k) ?? 0, totalMs: fnTotal.get(k) ?? 0 };
    });
    return {
        totalMs,
        functions,
        files: [...fileSelf.entries()].map(([f, ms]) => ({ file: f, selfMs: ms })).sort((a, b) => b.selfMs - a.selfMs),
    };
}

/** Functions whose inclusive time explains the costs seen so far: the SDK's per-promise stack capture, source-mapped stack formatting, GC, the checker. */
export const keyFunctions = [
    "debuggablePromise",
    "get stack",
    "prepareStackTraceWithSourceMaps",
    "(garbage collector)",
    "transferProperties",
    "serializeProperties",
    "deploy",
    "checkPlan",
];

/** Self time grouped by where the code lives. */
const areas: [string, RegExp][] = [
    ["own code (components, scripts, policy)", /^(components|scripts|policy)\//],
    ["@pulumi/pulumi", /node_modules\/@pulumi\/pulumi\//],
    ["@pulumi/kubernetes, aws, gcp", /node_modules\/@pulumi\/(kubernetes|aws|gcp)\//],
    ["google-protobuf", /node_modules\/google-protobuf\//],
    ["Node source-map stack formatting", /^node:internal\/(source_map|url)|^node:path/],
    ["garbage collector", /^\(garbage collector\)$/],
];

/** The top functions by self time, self time by area, inclusive totals of keyFunctions, and the repository's own functions by inclusive time. */
export function hotspots(
    file: string,
    top = 12,
): { totalMs: number; selfByArea: Record<string, number>; bySelf: Hotspot[]; keyTotals: Hotspot[]; repoByTotal: Hotspot[] } {
    const s = summarize(file);
    const r = (h: Hotspot): Hotspot => ({ ...h, selfMs: Math.round(h.selfMs), totalMs: Math.round(h.totalMs) });
    const ownCode = (h: Hotspot) => /^(components|policy|scripts)\//.test(h.file);
    const keyTotals = keyFunctions
        .map((fn) => s.functions.filter((h) => h.fn === fn).sort((a, b) => b.totalMs - a.totalMs)[0])
        .filter((h): h is Hotspot => h !== undefined)
        .map(r);
    const selfByArea: Record<string, number> = {};
    for (const h of s.functions) {
        const area = areas.find(([, re]) => re.test(h.fn === "(garbage collector)" ? h.fn : h.file))?.[0] ?? "other";
        selfByArea[area] = (selfByArea[area] ?? 0) + h.selfMs;
    }
    for (const k of Object.keys(selfByArea)) selfByArea[k] = Math.round(selfByArea[k]);
    return {
        totalMs: Math.round(s.totalMs),
        selfByArea,
        bySelf: [...s.functions]
            .sort((a, b) => b.selfMs - a.selfMs)
            .slice(0, top)
            .map(r),
        keyTotals,
        repoByTotal: s.functions
            .filter(ownCode)
            .sort((a, b) => b.totalMs - a.totalMs)
            .slice(0, top)
            .map(r),
    };
}

if (require.main === module) {
    const [file, topArg, filter] = process.argv.slice(2);
    const top = Number(topArg ?? 25);
    const s = summarize(file);
    const pick = (xs: Hotspot[]) => xs.filter((h) => !filter || `${h.fn} ${h.file}`.includes(filter));
    const line = (h: Hotspot) => `${h.selfMs.toFixed(0).padStart(7)} ${h.totalMs.toFixed(0).padStart(7)}  ${h.fn}  ${h.file}`;
    console.log(`profile ${file}: ${s.totalMs.toFixed(0)} ms\n\nby self time (self, total ms):`);
    for (const h of pick([...s.functions].sort((a, b) => b.selfMs - a.selfMs)).slice(0, top)) console.log(line(h));
    console.log("\nby inclusive time:");
    for (const h of pick([...s.functions].sort((a, b) => b.totalMs - a.totalMs)).slice(0, top)) console.log(line(h));
    console.log("\nfiles by self time:");
    for (const f of s.files.slice(0, top)) console.log(`${f.selfMs.toFixed(0).padStart(7)}  ${f.file}`);
}
