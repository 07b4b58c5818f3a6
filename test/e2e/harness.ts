// What the end-to-end tier drives besides the Automation API (plan/automation.ts):
// the CLI for `preview --json`, the local control plane (scripts/cluster.sh) and
// kubectl, each call bounded in time. State lives in a temporary backend so a
// developer's own .state/ is untouched.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../plan/engine";
import { pathWithToolchainNode } from "../../plan/toolchainNode";

export interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

/** A temporary directory with its own state backend (`state/`), one per e2e file. */
export interface Workspace {
    readonly dir: string;
    readonly backendDir: string;
    cleanup(): void;
}

const workspaces = new Set<string>();
// Mocha runs every e2e file in one process: each file removes its own workspace in its
// after(); what a filtered or failed run leaves is removed when the process exits.
process.once("exit", () => workspaces.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

export function workspace(label: string): Workspace {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `domino-tenancy-e2e-${label}-`));
    const backend = path.join(dir, "state");
    fs.mkdirSync(backend, { recursive: true });
    workspaces.add(dir);
    return {
        dir,
        backendDir: backend,
        cleanup: () => {
            fs.rmSync(dir, { recursive: true, force: true });
            workspaces.delete(dir);
        },
    };
}

/** tenancy.e2e.ts's workspace, whose backend the CLI calls below use. */
const main = workspace("tenancy");
export const e2eDir = main.dir;
export const backendDir = main.backendDir;

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
    // The toolchain's Node first: the CLI's language host, the program and the pack run on it.
    PATH: pathWithToolchainNode(),
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

/** `extraEnv` reaches scripts/cluster.sh, e.g. CLUSTER_NODES_FILE for another set of fake nodes. */
export function cluster(verb: "up" | "down" | "status", timeoutSeconds = 180, extraEnv: NodeJS.ProcessEnv = {}): Run {
    return run("bash", ["scripts/cluster.sh", verb], { timeoutSeconds, env: { ...pulumiEnv, ...extraEnv } });
}

export const kubeconfig = path.join(repoRoot, ".cluster", "kubeconfig");

function kubectlPath(): string {
    const r = ok(run("bash", ["-c", "source scripts/lib/toolchain-lib.sh && tc_bin kube kubectl"], { timeoutSeconds: 10 }), "locating kubectl");
    return r.stdout.trim();
}
let kubectlBin: string | undefined;

export function kubectl(args: string[], timeoutSeconds = 60, input?: string): Run {
    return kubectlWith(kubeconfig, args, timeoutSeconds, input);
}

/** kubectl with another kubeconfig (a consumer's scoped one). */
export function kubectlWith(kubeconfigFile: string, args: string[], timeoutSeconds = 60, input?: string): Run {
    kubectlBin ??= kubectlPath();
    return run(kubectlBin, ["--kubeconfig", kubeconfigFile, "--request-timeout=20s", ...args], { timeoutSeconds, input });
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
    main.cleanup();
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
