// npm run local: the main job on the embedded default, end to end, with no cloud
// account and no Pulumi account:
//   1. the toolchain (built once from pinned Go modules, then cached);
//   2. the local control plane (.cluster/), started if it is not running;
//   3. the policy pack's dependencies and its compiled bundle;
//   4. preflight: the live cluster checked against the stack (read-only);
//   5. the `local` stack in local state (.state/), previewed with the policy pack, then
//      deployed, both through the Automation API (typed results, policy findings as
//      events, a progress line at least every 20 s);
//   6. the stack's outputs (secrets stay hidden) and the tenancy report;
//   7. verify: the tenancy promises probed on the live cluster (evidence in .tenancy/).
// LOCAL_SKIP_UP=1 stops after the preview.

import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "./cli/commands";
import { parseCommand } from "./cli/parse";

const started = Date.now();
const elapsed = () => Math.round((Date.now() - started) / 1000);
const step = (what: string) => process.stdout.write(`\n=== ${what} (${elapsed()}s)\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);

class StepFailed extends Error {}

/** Runs a command with the terminal's output, failing the job when it fails. */
function sh(what: string, cmd: string, args: string[], cwd = repoRoot): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, stdio: "inherit", env: process.env });
        child.on("error", (err) => reject(new StepFailed(`${what}: ${err.message}`)));
        child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new StepFailed(`${what} failed (${signal ?? `exit ${code}`})`))));
    });
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("local", argv);
    if (parsed.kind === "exit") return parsed.code;
    const skipUp = process.env.LOCAL_SKIP_UP === "1";

    step("toolchain");
    await sh("the toolchain", "bash", ["scripts/toolchain.sh"]);

    step("local cluster");
    await sh("the local cluster", "bash", ["scripts/cluster.sh", "up"]);

    step("policy pack dependencies and build");
    if (!fs.existsSync(path.join(repoRoot, "policy", "node_modules")))
        await sh("the pack's npm ci", "npm", ["ci", "--ignore-scripts", "--no-progress", "--silent"], path.join(repoRoot, "policy"));
    await sh("the pack's build", process.execPath, ["policy/build.mjs"]);

    step("preflight: the live cluster against the stack");
    await sh("preflight", process.execPath, ["--import", "tsx", "scripts/preflight.ts", "--stack", "local"]);

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

    step("tenancy report");
    fs.mkdirSync(path.join(repoRoot, ".tenancy"), { recursive: true });
    await sh("the tenancy report", process.execPath, ["--import", "tsx", "scripts/report.ts", "--stack", "local", "--out", ".tenancy/local-report.md"]);
    say(fs.readFileSync(path.join(repoRoot, ".tenancy", "local-report.md"), "utf8"));

    step("verify: the tenancy promises on the live cluster");
    await sh("verify", process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", "local", "--report", ".tenancy/local-verify.md"]);

    step(`done in ${elapsed()}s`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`local: ${err instanceof StepFailed ? err.message : ((err as Error).stack ?? err)}\n`);
        process.exitCode = 1;
    },
);
