// The offline plan: the real program under Pulumi's mock runtime, with a stack's
// config, recording every resource it registers (type, name, parent, inputs and
// options) without credentials, a cluster or the Pulumi CLI. Reviewers read it in
// pull requests; the policy checker and the tenancy report are built on it.

import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigIssue } from "../components/model/schema";
import { loadInputs, ProgramInputs, run } from "../components/program";
import { planMocks, planMocksWith } from "./mocks";
import { stackFileName, stackOfFile, stackOfFileName } from "./stackFiles";

// Internal to the SDK (absent from its typings): the mock monitor, to read each registration whole,
// and the wait for in-flight registrations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: unknown } } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export const repoRoot = path.resolve(__dirname, "..");

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
    readonly options: {
        readonly protect: boolean;
        readonly retainOnDelete: boolean;
        readonly provider: string | null;
        readonly dependsOn: string[];
        readonly ignoreChanges: string[];
    };
}

export interface Plan {
    readonly project: string;
    readonly stack: string;
    readonly resources: PlanResource[];
}

export interface PlanSource {
    /** A shipped stack: stacks/Pulumi.<stack>.yaml. */
    readonly stack?: string;
    /** Any stack file, for a stack that is not shipped (or a broken variant). */
    readonly configFile?: string;
    /** A stack's config given inline (tests): the `tenancy` object and any other keys. */
    readonly inline?: { readonly stack: string; readonly tenancy: unknown; readonly secrets?: Readonly<Record<string, string>> };
    /** Environment the program sees (KUBECONFIG ...); @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** The stack's own last outputs, as a StackReference to it reads them; @default none (a stack never deployed) */
    readonly previousOutputs?: Record<string, unknown>;
}

/** A plan and the stack outputs the program returned. */
export interface PlanRun {
    readonly plan: Plan;
    readonly outputs: Record<string, unknown>;
}

export class PlanConfigError extends Error {
    constructor(
        readonly file: string,
        readonly issues: readonly ConfigIssue[],
        /** Resources registered before the error: always 0, because config is checked first. */
        readonly registered = 0,
    ) {
        super(`${file}: invalid stack configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
        this.name = "PlanConfigError";
    }
}

export const secretPlaceholder = "[secret]";
// The wire encoding's markers, taken from the SDK (public in pulumi.runtime) rather than
// copied, so they cannot drift from the values the mock monitor hands us.
const sig = { key: pulumi.runtime.specialSigKey, secret: pulumi.runtime.specialSecretSig, resource: pulumi.runtime.specialResourceSig };
const unknownSentinel = pulumi.runtime.unknownValue;

/** Wire values to plain JSON: secrets hidden, resource references as URNs, unknowns named. */
function plain(value: unknown): unknown {
    if (value === unknownSentinel) return "[unknown]";
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[sig.key] === sig.secret) return secretPlaceholder;
        if (obj[sig.key] === sig.resource) return obj.urn;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) out[k] = plain(v);
        return out;
    }
    return value;
}

export function projectName(): string {
    const doc = yaml.load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

export function stackFile(stack: string): string {
    return path.join(repoRoot, "stacks", stackFileName(stack));
}

export function shippedStacks(): string[] {
    return fs
        .readdirSync(path.join(repoRoot, "stacks"))
        .map(stackOfFileName)
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** A stack file's config as the runtime wants it: full keys, JSON for objects, secrets never decrypted. */
export function readStackConfig(file: string, project: string): { config: Record<string, string>; secretKeys: string[] } {
    let doc: { config?: Record<string, unknown> } | undefined;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8")) as typeof doc;
    } catch (err) {
        throw new PlanConfigError(file, [{ path: "(file)", message: `cannot be read as YAML: ${(err as Error).message}` }]);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(doc?.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        if (value && typeof value === "object" && "secure" in (value as object)) {
            // The plan never needs a secret's value: it shows a placeholder wherever the secret flows.
            config[key] = secretPlaceholder;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getRetainondelete(): boolean | undefined;
    getProvider(): string;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: Error | null, resp?: { getUrn(): string }) => void;
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
}

/**
 * The engine's URN for a resource: the mock monitor prefixes the root stack's type to
 * its children's types ("pulumi:pulumi:Stack$..."), the engine does not. Plans use the
 * engine's form so URNs match `pulumi preview` and the state.
 */
export function engineUrn(urn: string): string {
    return urn.replace("::pulumi:pulumi:Stack$", "::");
}

/** A dynamic resource's `__provider` input is its provider's serialized source: code, not configuration, so a plan names it only. */
export const providerCodePlaceholder = "[dynamic provider code]";
function withoutProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
    return "__provider" in inputs ? { ...inputs, __provider: providerCodePlaceholder } : inputs;
}

/** The organization a self-managed (file) backend reports; the program names its own stack with it. */
export const planOrganization = "organization";

let planQueue: Promise<unknown> = Promise.resolve();

/** Runs the program for a stack under mocks and returns what it would register. */
export async function runPlan(source: PlanSource): Promise<Plan> {
    return (await runProgram(source)).plan;
}

/** Runs the program under mocks; returns the plan and the stack outputs. Runs one at a time (the runtime is global). */
export function runProgram(source: PlanSource): Promise<PlanRun> {
    const next = planQueue.then(() => runProgramNow(source));
    planQueue = next.catch(() => undefined);
    return next;
}

function resolveSource(source: PlanSource, project: string): { file: string; stack: string; config: Record<string, string>; secretKeys: string[] } {
    if (source.inline) {
        const config: Record<string, string> = { [`${project}:tenancy`]: JSON.stringify(source.inline.tenancy) };
        for (const [k, v] of Object.entries(source.inline.secrets ?? {})) config[`${project}:${k}`] = v;
        return {
            file: `(inline ${source.inline.stack})`,
            stack: source.inline.stack,
            config,
            secretKeys: Object.keys(source.inline.secrets ?? {}).map((k) => `${project}:${k}`),
        };
    }
    const file = source.configFile ? path.resolve(source.configFile) : stackFile(source.stack ?? "local");
    if (!fs.existsSync(file)) {
        const known = shippedStacks().join(", ");
        throw new PlanConfigError(file, [{ path: "(file)", message: `does not exist; shipped stacks: ${known}` }]);
    }
    const stack = source.stack ?? stackOfFile(file);
    return { file, stack, ...readStackConfig(file, project) };
}

async function runProgramNow(source: PlanSource): Promise<PlanRun> {
    const project = projectName();
    const { file, stack, config, secretKeys } = resolveSource(source, project);

    await pulumi.runtime.setMocks(source.previousOutputs ? planMocksWith(source.previousOutputs) : planMocks, project, stack, false, planOrganization);
    pulumi.runtime.setAllConfig(config, secretKeys);

    const recorded: PlanResource[] = [];
    const monitor = getStore().settings.monitor as unknown as MonitorLike;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        original(req, (err, resp) => {
            if (!err && resp) {
                recorded.push({
                    urn: engineUrn(resp.getUrn()),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() ? engineUrn(req.getParent()) : null,
                    custom: req.getCustom(),
                    inputs: withoutProviderCode(plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>),
                    options: {
                        protect: req.getProtect(),
                        retainOnDelete: req.getRetainondelete() ?? false,
                        // Provider references are "<urn>::<id>".
                        provider: req.getProvider() ? engineUrn(req.getProvider().split("::").slice(0, -1).join("::")) : null,
                        dependsOn: req.getDependenciesList().map(engineUrn),
                        ignoreChanges: req.getIgnorechangesList(),
                    },
                });
            }
            cb(err, resp);
        });

    const env = source.env ?? process.env;
    let inputs: ProgramInputs;
    try {
        inputs = loadInputs(env, repoRoot);
    } catch (err) {
        if (err instanceof ConfigError) throw new PlanConfigError(file, err.issues, recorded.length);
        throw err;
    }
    const outputs = (await pulumi.runtime.runInPulumiStack(async () => run(inputs))) as Record<string, unknown>;
    await waitForRPCs();
    // Registration order depends on promise timing; sort so the plan is stable to diff.
    recorded.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { plan: { project, stack, resources: recorded }, outputs };
}
