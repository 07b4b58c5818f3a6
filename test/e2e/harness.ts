// What the end-to-end tier drives besides the Automation API (plan/automation.ts):
// the CLI for `preview --json`, the local control plane (scripts/cluster.sh) and
// kubectl, each call bounded in time. State lives in a temporary backend so a
// developer's own .state/ is untouched.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../plan/engine";

export interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

export const e2eDir = fs.mkdtempSync(path.join(os.tmpdir(), "domino-tenancy-e2e-"));
export const backendDir = path.join(e2eDir, "state");
fs.mkdirSync(backendDir, { recursive: true });

/** The environment every CLI call gets: local state, the local-only passphrase, no downloads. */
export const pulumiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // One Pulumi home for the npm launcher ($HOME), the CLI (passwd home) and the toolchain.
    PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "domino-tenancy-local",
    npm_config_update_notifier: "false",
};

export function run(cmd: string, args: string[], opts: { timeoutSeconds: number; env?: NodeJS.ProcessEnv; input?: string }): Run {
    const started = Date.now();
    const r = spawnSync(cmd, args, {
        cwd: repoRoot,
        env: opts.env ?? pulumiEnv,
        encoding: "utf8",
        timeout: opts.timeoutSeconds * 1000,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        input: opts.input,
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
        throw new Error(`${cmd} ${args.join(" ")} did not finish within ${opts.timeoutSeconds}s\n${r.stdout}\n${r.stderr}`);
    }
    return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "", seconds: (Date.now() - started) / 1000 };
}

/** Fails with the command's output when it does not exit 0. */
export function ok(r: Run, what: string): Run {
    if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
    return r;
}

export function pulumi(args: string[], timeoutSeconds = 600): Run {
    return run("npx", ["--no-install", "pulumi", ...args, "--non-interactive"], { timeoutSeconds });
}

export function cluster(verb: "up" | "down" | "status", timeoutSeconds = 180): Run {
    return run("bash", ["scripts/cluster.sh", verb], { timeoutSeconds });
}

export const kubeconfig = path.join(repoRoot, ".cluster", "kubeconfig");

function kubectlPath(): string {
    const r = ok(run("bash", ["-c", "source scripts/lib/toolchain-lib.sh && tc_bin kube kubectl"], { timeoutSeconds: 10 }), "locating kubectl");
    return r.stdout.trim();
}
let kubectlBin: string | undefined;

export function kubectl(args: string[], timeoutSeconds = 60, input?: string): Run {
    kubectlBin ??= kubectlPath();
    return run(kubectlBin, ["--kubeconfig", kubeconfig, "--request-timeout=20s", ...args], { timeoutSeconds, input });
}

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        uid?: string;
        resourceVersion?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        ownerReferences?: { kind: string; name: string }[];
    };
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
    [key: string]: unknown;
}

export function kubeList(resources: string, extra: string[] = ["-A"]): KubeObject[] {
    const r = ok(kubectl(["get", resources, ...extra, "-o", "json"]), `kubectl get ${resources}`);
    // A named object comes back bare, a query as a List.
    const parsed = JSON.parse(r.stdout) as { items?: KubeObject[] } & KubeObject;
    return parsed.items ?? [parsed];
}

export async function waitFor<T>(what: string, seconds: number, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const v = probe();
            if (v !== undefined) return v;
        } catch (err) {
            last = err;
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`timed out after ${seconds}s waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export function cleanupTempDir(): void {
    fs.rmSync(e2eDir, { recursive: true, force: true });
}

/** Waits until no update holds the stack's lock: a CLI interrupted mid-update may still be exiting. */
export async function waitForUnlocked(seconds: number): Promise<void> {
    const locks = path.join(backendDir, ".pulumi", "locks");
    const held = (): string[] => {
        if (!fs.existsSync(locks)) return [];
        return (fs.readdirSync(locks, { recursive: true }) as string[]).filter((f) => f.endsWith(".json"));
    };
    await waitFor(`the stack lock to be released (held: ${held().join(", ")})`, seconds, () => (held().length === 0 ? true : undefined));
}
