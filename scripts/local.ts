// npm run local: the main job on the embedded default, end to end, with no cloud
// account and no Pulumi account:
//   1. the toolchain (built once from pinned Go modules, then cached), with the pinned
//      Node.js every later step runs on (its folder first on PATH: the engine's language
//      host, the program and the pack find it there), whatever Node started npm;
//   2. the local control plane (.cluster/), started if it is not running;
//   3. the policy pack's dependencies and its compiled bundle;
//   4. the `local` stack in local state (.state/), previewed with the policy pack, then
//      deployed, both through the Automation API (typed results, policy findings as
//      events, a progress line at least every 20 s). The preview runs preflight (the
//      live cluster checked against the stack, read-only) as the program's first step:
//      its warnings are printed, an error fails the preview before anything is registered
//      (`npm run preflight -- --stack local` prints every check);
//   5. the stack's outputs (secrets stay hidden) and the tenancy report;
//   6. verify: the tenancy promises probed on the live cluster (evidence in .tenancy/);
//   7. the time each step took.
// LOCAL_SKIP_UP=1 stops after the preview.

import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "./cli/commands";
import { parseCommand } from "./cli/parse";
import { ensurePackDependencies, packDependenciesCache } from "./lib/packDependencies";

const started = Date.now();
const elapsed = () => Math.round((Date.now() - started) / 1000);
/** Each step's name and start, for the table of step times at the end. */
const steps: { what: string; at: number }[] = [];
const step = (what: string) => {
    steps.push({ what, at: Date.now() });
    process.stdout.write(`\n=== ${what} (${elapsed()}s)\n`);
};
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The time each step took, printed whether the run succeeded or not. */
function stepTimes(): string {
    const rows = steps.map((s, i) => `  ${(((steps[i + 1]?.at ?? Date.now()) - s.at) / 1000).toFixed(1).padStart(6)} s  ${s.what}`);
    return `\nstep times:\n${rows.join("\n")}\n  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all\n`;
}

class StepFailed extends Error {}

/** Runs a command with the terminal's output, failing the job when it fails. */
function sh(what: string, cmd: string, args: string[], cwd = repoRoot): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, stdio: "inherit", env: process.env });
        child.on("error", (err) => reject(new StepFailed(`${what}: ${err.message}`)));
        child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new StepFailed(`${what} failed (${signal ?? `exit ${code}`})`))));
    });
}

/** Runs a command with its output (stdout and stderr, interleaved) kept for later, so it can run beside another step. */
function captured(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: process.env });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr.on("data", (d: Buffer) => (output += d.toString()));
        child.on("error", (err) => resolve({ code: 127, output: `${output}${cmd}: ${err.message}\n` }));
        child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
    });
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("local", argv);
    if (parsed.kind === "exit") return parsed.code;
    const skipUp = process.env.LOCAL_SKIP_UP === "1";

    step("toolchain");
    await sh("the toolchain", "bash", ["scripts/toolchain.sh"]);
    const { pathWithToolchainNode, toolchainNodeDir } = await import("../plan/toolchainNode");
    process.env.PATH = pathWithToolchainNode();
    const node = path.join(toolchainNodeDir(), "node");
    say(`node: ${node} (this driver runs on ${process.version})`);

    step("local cluster");
    await sh("the local cluster", "bash", ["scripts/cluster.sh", "up"]);

    step("policy pack dependencies and build");
    const policyDir = path.join(repoRoot, "policy");
    const deps = await ensurePackDependencies(policyDir, () =>
        sh("the pack's npm ci", "npm", ["ci", "--ignore-scripts", "--no-progress", "--silent"], policyDir),
    );
    say(
        `  dependencies: ${{ present: "already installed from this lockfile", cache: `from the cache (${packDependenciesCache()})`, installed: "npm ci, now cached" }[deps]}`,
    );
    await sh("the pack's build", node, ["policy/build.mjs"]);

    // Loaded only now: the Automation API pulls in the Pulumi SDK, which --help must not wait for.
    const { blocking, openStack, preview, up } = await import("../plan/automation");
    const env = {
        stateDir: path.join(repoRoot, ".state"),
        passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "domino-tenancy-local",
        pulumiHome: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    };
    fs.mkdirSync(env.stateDir, { recursive: true });

    step("stack local");
    const stack = await openStack("local", repoRoot, env);
    const progress = (line: string) => say(`  ${line}`);

    // refresh: the local cluster comes and goes (`npm run cluster -- down` deletes it), so
    // read what is really there before comparing, instead of trusting .state.
    step("preview --refresh with the policy pack");
    const previewed = await preview(stack, { policyPack: "policy", refresh: true, progress });
    say(
        `preview: ${previewed.ok ? "ok" : "FAILED"} in ${previewed.seconds}s; changes ${JSON.stringify(previewed.changes)}; policy findings ${previewed.policy.length} (${blocking(previewed).length} mandatory)`,
    );
    if (!previewed.ok || blocking(previewed).length > 0) {
        for (const p of blocking(previewed)) say(`  mandatory ${p.policy}: ${p.message}`);
        if (previewed.failure) say(previewed.failure);
        return 1;
    }
    if (skipUp) return 0;

    step("up --refresh with the policy pack");
    const updated = await up(stack, { policyPack: "policy", refresh: true, progress });
    say(`up: ${updated.ok ? "ok" : "FAILED"} in ${updated.seconds}s; changes ${JSON.stringify(updated.changes)}`);
    if (!updated.ok) {
        if (updated.failure) say(updated.failure);
        return 1;
    }

    step("stack outputs (secrets hidden)");
    const outputs = await stack.outputs();
    say(JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.secret ? "[secret]" : o.value])), null, 2));

    // Side by side: both only read (the plan, the live cluster), and each pays a Node start-up.
    step("tenancy report and verify (the tenancy promises on the live cluster), side by side");
    fs.mkdirSync(path.join(repoRoot, ".tenancy"), { recursive: true });
    const verified = captured(node, ["--import", "tsx", "scripts/verify.ts", "--stack", "local", "--report", ".tenancy/local-verify.md"]);
    await sh("the tenancy report", node, ["--import", "tsx", "scripts/report.ts", "--stack", "local", "--out", ".tenancy/local-report.md"]);
    say(fs.readFileSync(path.join(repoRoot, ".tenancy", "local-report.md"), "utf8"));
    const verify = await verified;
    process.stdout.write(verify.output);
    if (verify.code !== 0) throw new StepFailed(`verify failed (exit ${verify.code}); evidence in .tenancy/local-verify.md`);

    say(`\ndone in ${elapsed()}s`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => {
        if (steps.length > 0) process.stdout.write(stepTimes());
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`local: ${err instanceof StepFailed ? err.message : ((err as Error).stack ?? err)}\n`);
        if (steps.length > 0) process.stdout.write(stepTimes());
        process.exitCode = 1;
    },
);
