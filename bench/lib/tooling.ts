// Part 4: the type check from scratch (`npx tsc --noEmit -p tsconfig.json`) and the fast
// tier as developers run it (`npm test`), each against a floor run the same way
// on a one-line input (the same compiler options and @types; mocha with tsx and one
// empty test), so that the figure that survives machine load is a ratio: how much the
// project adds to the tools' own start-up.

import * as fs from "fs";
import * as path from "path";
import { CommandRun, median, outDir, progress, repoRoot, runCommand } from "./common";

export interface ToolSummary {
    readonly command: string;
    readonly runs: number;
    readonly exitCodes: number[];
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly maxRssMiB: number;
    readonly samples: CommandRun[];
}

export interface ToolResult {
    readonly name: string;
    readonly tool: ToolSummary;
    readonly floor: ToolSummary;
    /** CPU time over the floor's. */
    readonly ratio: number;
    readonly ratioWall: number;
}

interface Command {
    readonly cmd: string;
    readonly args: readonly string[];
}

function floorFiles(): { tsconfig: string; spec: string } {
    const dir = path.join(outDir, "floor");
    fs.mkdirSync(dir, { recursive: true });
    const tsconfig = path.join(dir, "tsconfig.json");
    // Same compiler options (and so the same lib and @types) as the project, one file.
    fs.writeFileSync(tsconfig, JSON.stringify({ extends: path.relative(dir, path.join(repoRoot, "tsconfig.json")), include: ["floor.ts"] }, null, 2));
    fs.writeFileSync(path.join(dir, "floor.ts"), "export const floor = 1;\n");
    const spec = path.join(dir, "floor.spec.ts");
    fs.writeFileSync(spec, 'describe("floor", () => it("passes", () => undefined));\n');
    return { tsconfig, spec };
}

function summary(command: Command, samples: CommandRun[]): ToolSummary {
    return {
        command: [command.cmd, ...command.args].join(" "),
        runs: samples.length,
        exitCodes: samples.map((s) => s.exitCode),
        wallMs: median(samples.map((s) => s.wallMs)),
        cpuMs: median(samples.map((s) => s.cpuMs)),
        maxRssMiB: median(samples.map((s) => s.maxRssMiB)),
        samples,
    };
}

/** The type check and the fast tier with their floors: one warm-up each (unless not asked for), then `runs` rounds, tool and floor alternating. */
export async function measureTooling(runs: number, warmUp = true): Promise<ToolResult[]> {
    const floor = floorFiles();
    const pairs: { name: string; tool: Command; floor: Command }[] = [
        {
            name: "type check",
            tool: { cmd: "npx", args: ["tsc", "--noEmit", "-p", "tsconfig.json"] },
            floor: { cmd: "npx", args: ["tsc", "--noEmit", "-p", path.relative(repoRoot, floor.tsconfig)] },
        },
        {
            // The whole fast tier as a developer runs it: the incremental type check and the specs side by side.
            name: "fast tier (npm test)",
            tool: { cmd: "npm", args: ["test", "--silent"] },
            floor: {
                cmd: "npx",
                args: ["mocha", "--no-config", "--no-package", "--require", "tsx/cjs", "--extension", "ts", path.relative(repoRoot, floor.spec)],
            },
        },
    ];
    const results: ToolResult[] = [];
    for (const pair of pairs) {
        if (warmUp) {
            progress(`${pair.name}: warm-up`);
            await runCommand(pair.tool.cmd, pair.tool.args);
            await runCommand(pair.floor.cmd, pair.floor.args);
        }
        const tool: CommandRun[] = [];
        const floorRuns: CommandRun[] = [];
        for (let i = 0; i < runs; i++) {
            const order = i % 2 === 0 ? ["tool", "floor"] : ["floor", "tool"];
            for (const which of order) {
                if (which === "tool") tool.push(await runCommand(pair.tool.cmd, pair.tool.args));
                else floorRuns.push(await runCommand(pair.floor.cmd, pair.floor.args));
            }
            progress(
                `${pair.name}: round ${i + 1}/${runs}: ${(tool[i].wallMs / 1000).toFixed(1)} s, ${tool[i].maxRssMiB.toFixed(0)} MiB, exit ${tool[i].exitCode}`,
            );
        }
        const t = summary(pair.tool, tool);
        const f = summary(pair.floor, floorRuns);
        results.push({ name: pair.name, tool: t, floor: f, ratio: t.cpuMs / f.cpuMs, ratioWall: t.wallMs / f.wallMs });
    }
    return results;
}
