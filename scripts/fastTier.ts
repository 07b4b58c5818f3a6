// npm test: the fast tier. The type check and the in-process specs run side by side (tsc is
// single-threaded; mocha runs spec files on two workers), so a 2-core machine is busy
// throughout instead of waiting for tsc first. The type check keeps its incremental info in
// .tsbuildinfo (gitignored), so a later run re-reads only what changed. The type check's
// output is printed after the specs', whole; the exit code is non-zero when either fails.
// Specs that start processes are tagged @slow and run in `npm run test:slow` (docs/testing.md).
// Arguments after `--` go to mocha (`npm test -- --grep plan`).

import { spawn } from "child_process";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

/** The type check as `npm run build` runs it, with its incremental info kept between runs. */
export const typeCheckArgs = ["--noEmit", "--incremental", "--tsBuildInfoFile", ".tsbuildinfo", "-p", "tsconfig.json"];

interface Finished {
    readonly code: number;
    readonly seconds: number;
    readonly output: string;
}

function start(cmd: string, args: readonly string[], buffered: boolean): Promise<Finished> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: repoRoot, stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit" });
        let output = "";
        child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
        child.on("error", (err) => resolve({ code: 127, seconds: (Date.now() - started) / 1000, output: `${cmd}: ${err.message}\n` }));
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), seconds: (Date.now() - started) / 1000, output }));
    });
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(
            "Usage: npm test [-- <mocha options>]\n\n" +
                "The fast tier: the type check (tsc, incremental) and every spec not tagged @slow, in parallel.\n" +
                "The slow tier (specs that start processes): npm run test:slow. One file: npx mocha test/x.spec.ts.\n",
        );
        return 0;
    }
    const started = Date.now();
    const typeCheck = start(bin("tsc"), typeCheckArgs, true);
    const specs = await start(bin("mocha"), ["--config", ".mocharc.fast.json", ...argv], false);
    const types = await typeCheck;
    if (types.output) process.stdout.write(`\ntype check (tsc):\n${types.output}`);
    const total = (Date.now() - started) / 1000;
    process.stdout.write(
        `\nfast tier: ${total.toFixed(1)} s wall (type check ${types.seconds.toFixed(1)} s, exit ${types.code}; specs ${specs.seconds.toFixed(1)} s, exit ${specs.code})\n`,
    );
    return types.code !== 0 ? types.code : specs.code;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`fast tier failed: ${(err as Error).stack ?? err}\n`);
            process.exitCode = 1;
        },
    );
}
