// The real engine, driven through Pulumi's Automation API instead of scraped CLI text:
// typed change summaries, policy violations as structured events, and progress from
// the engine's event stream. `npm run local` and the e2e tier both run through here.

import * as path from "path";
import { EngineEvent, LocalWorkspace, OpMap, PolicyEvent, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { pathWithToolchainNode } from "./toolchainNode";

/** Where state lives and how secrets are encrypted; everything local, no account. */
export interface EngineEnvironment {
    /** A folder for file-backed state (`PULUMI_BACKEND_URL=file://...`). */
    readonly stateDir: string;
    readonly passphrase: string;
    /** The toolchain installs the CLI and plugins here. */
    readonly pulumiHome: string;
}

export function engineEnvVars(env: EngineEnvironment): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: `file://${env.stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: env.passphrase,
        PULUMI_HOME: env.pulumiHome,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // The toolchain put the plugins in place; a missing one must fail, not download.
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // The language host, the program, the dynamic-provider plugin and the pack run on the first `node` on PATH.
        PATH: pathWithToolchainNode(),
    };
}

/** One policy violation, as the engine reported it. */
export interface PolicyFinding {
    readonly policy: string;
    readonly level: PolicyEvent["enforcementLevel"];
    readonly urn?: string;
    readonly message: string;
}

/** What an operation did, in types rather than text. */
export interface OperationReport {
    readonly operation: "preview" | "up" | "destroy" | "refresh";
    readonly ok: boolean;
    readonly seconds: number;
    readonly changes: OpMap;
    readonly policy: readonly PolicyFinding[];
    /** Engine diagnostics of severity error, in order. */
    readonly errors: readonly string[];
    /** Set when the engine failed: the CLI's last words, for the person reading the log. */
    readonly failure?: string;
}

export interface OperationOptions {
    readonly policyPack?: string;
    readonly refresh?: boolean;
    readonly expectNoChanges?: boolean;
    /** A stack file other than the stack's own (a broken variant in tests). */
    readonly configFile?: string;
    /** Progress lines; at least one every `heartbeatSeconds` while the engine works. */
    readonly progress?: (line: string) => void;
    readonly heartbeatSeconds?: number;
    /** Aborts the operation (the CLI is cancelled as Ctrl-C would). */
    readonly signal?: AbortSignal;
}

/** Selects the stack in the project at `workDir`, creating it in the local backend on first use. */
export async function openStack(stack: string, workDir: string, env: EngineEnvironment): Promise<Stack> {
    const pulumiCommand = await PulumiCommand.get({ root: path.join(env.pulumiHome, "versions", "current") }).catch(() => PulumiCommand.get());
    return LocalWorkspace.createOrSelectStack({ stackName: stack, workDir }, { envVars: engineEnvVars(env), pulumiHome: env.pulumiHome, pulumiCommand });
}

const stepVerb: Readonly<Record<string, string>> = {
    create: "+ create",
    update: "~ update",
    delete: "- delete",
    replace: "+- replace",
    same: "  same",
    refresh: "  read",
};

/** Collects what the event stream says, and keeps a person informed while it flows. */
class EventLog {
    readonly policy: PolicyFinding[] = [];
    readonly errors: string[] = [];
    private steps = 0;
    private readonly started = Date.now();
    private readonly timer?: NodeJS.Timeout;

    constructor(
        private readonly operation: string,
        private readonly progress?: (line: string) => void,
        heartbeatSeconds = 20,
    ) {
        if (progress) {
            this.timer = setInterval(() => progress(`${operation}: ${this.steps} resource steps so far, ${this.elapsed()} s`), heartbeatSeconds * 1000);
            this.timer.unref();
        }
    }

    elapsed(): number {
        return Math.round((Date.now() - this.started) / 100) / 10;
    }

    readonly onEvent = (e: EngineEvent): void => {
        if (e.policyEvent) {
            const p = e.policyEvent;
            this.policy.push({ policy: p.policyName, level: p.enforcementLevel, urn: p.resourceUrn, message: p.message.trim() });
            this.progress?.(`${this.operation}: policy ${p.enforcementLevel} ${p.policyName}: ${p.message.trim().split("\n")[0]}`);
        }
        if (e.diagnosticEvent?.severity === "error") this.errors.push(e.diagnosticEvent.message.trim());
        // The program's own warnings (preflight's, at preview) are for the person watching.
        if (e.diagnosticEvent?.severity === "warning") this.progress?.(`${this.operation}: warning: ${e.diagnosticEvent.message.trim()}`);
        const step = e.resourcePreEvent?.metadata;
        if (step && step.op !== "same") {
            this.steps++;
            this.progress?.(`${this.operation}: ${stepVerb[step.op] ?? step.op} ${step.type} ${step.urn.slice(step.urn.lastIndexOf("::") + 2)}`);
        } else if (step) {
            this.steps++;
        }
    };

    stop(): void {
        if (this.timer) clearInterval(this.timer);
    }
}

function failureOf(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return text
        .split("\n")
        .filter((l) => l.trim())
        .slice(-12)
        .join("\n");
}

async function operate(
    operation: OperationReport["operation"],
    opts: OperationOptions,
    run: (onEvent: (e: EngineEvent) => void) => Promise<OpMap>,
): Promise<OperationReport> {
    const log = new EventLog(operation, opts.progress, opts.heartbeatSeconds);
    try {
        const changes = await run(log.onEvent);
        return { operation, ok: true, seconds: log.elapsed(), changes, policy: log.policy, errors: log.errors };
    } catch (err) {
        return { operation, ok: false, seconds: log.elapsed(), changes: {}, policy: log.policy, errors: log.errors, failure: failureOf(err) };
    } finally {
        log.stop();
    }
}

const common = (opts: OperationOptions) => ({
    ...(opts.policyPack ? { policyPacks: [opts.policyPack] } : {}),
    ...(opts.refresh ? { refresh: true } : {}),
    ...(opts.expectNoChanges ? { expectNoChanges: true } : {}),
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
});

export function preview(stack: Stack, opts: OperationOptions = {}): Promise<OperationReport> {
    return operate("preview", opts, async (onEvent) => (await stack.preview({ ...common(opts), diff: true, onEvent })).changeSummary);
}

export function up(stack: Stack, opts: OperationOptions = {}): Promise<OperationReport> {
    return operate("up", opts, async (onEvent) => (await stack.up({ ...common(opts), onEvent })).summary.resourceChanges ?? {});
}

export function destroy(stack: Stack, opts: Pick<OperationOptions, "progress" | "heartbeatSeconds"> = {}): Promise<OperationReport> {
    return operate("destroy", opts, async (onEvent) => (await stack.destroy({ onEvent })).summary.resourceChanges ?? {});
}

/** Mandatory violations block; advisory ones are reported. */
export function blocking(report: OperationReport): PolicyFinding[] {
    return report.policy.filter((p) => p.level === "mandatory");
}
