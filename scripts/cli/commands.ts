// Every `npm run` entry point, described once: what --help prints, what the parser
// accepts, and the command reference (docs/reference/commands.md) are all generated
// from this list.
// Pure data plus cheap file reads: --help must answer without loading the program.

import * as fs from "fs";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface OptionSpec {
    /** commander's flags syntax: `--stack <name>`, `-h, --help`, `--runs <n>`. */
    readonly flags: string;
    readonly description: string;
    readonly default?: string | boolean;
    /** The option may be given more than once (values collect into a list). */
    readonly repeatable?: boolean;
    /** Allowed values; a near miss gets a "did you mean". */
    readonly choices?: () => readonly string[];
}

export interface ArgSpec {
    readonly name: string;
    readonly description: string;
    readonly required?: boolean;
    readonly variadic?: boolean;
    readonly choices?: () => readonly string[];
}

export interface SubcommandSpec {
    readonly name: string;
    readonly summary: string;
    readonly args?: readonly ArgSpec[];
    readonly options?: readonly OptionSpec[];
}

export interface CommandSpec {
    /** The npm script name. */
    readonly script: string;
    /** What runs once the arguments are accepted: a TS entry point parses itself; a bash script is exec'd by scripts/cli.ts. */
    readonly runs: { readonly kind: "ts" | "bash"; readonly file: string };
    readonly summary: string;
    readonly options?: readonly OptionSpec[];
    readonly args?: readonly ArgSpec[];
    readonly subcommands?: readonly SubcommandSpec[];
    readonly environment?: readonly (readonly [string, string])[];
    readonly examples: readonly string[];
    readonly exitCodes: readonly (readonly [number, string])[];
}

/** The shipped stacks (stacks/Pulumi.<name>.yaml), read here so --help does not load the plan engine. */
export function stackNames(): string[] {
    return fs
        .readdirSync(path.join(repoRoot, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** scripts/lib/toolchain-lib.sh's TC_COMPONENTS (test/cli pins that the two agree). */
export const toolchainComponents = ["node", "etcd", "kube", "kwok", "pulumi", "langhost", "provider"] as const;

const usageCodes = [2, "usage error: unknown option, subcommand or argument (a suggestion follows when one is close)"] as const;

export const commands: readonly CommandSpec[] = [
    {
        script: "plan",
        runs: { kind: "ts", file: "scripts/plan.ts" },
        summary: "Print every resource the program would register for a stack, offline: no cloud credentials, cluster or Pulumi CLI.",
        options: [
            { flags: "--stack <name>", description: "a shipped stack (stacks/Pulumi.<name>.yaml)", choices: stackNames },
            { flags: "--config <stack-file>", description: "any stack file instead of a shipped stack" },
            { flags: "--json", description: "the plan as JSON (project, stack, resources) instead of a tree", default: false },
            { flags: "--out <file>", description: "write to a file instead of stdout" },
        ],
        examples: [
            "npm run plan -- --stack local",
            "npm run -s plan -- --stack aws --json | jq '.resources | length'",
            "npm run plan -- --config my-stack.yaml --json --out plan.json",
        ],
        exitCodes: [
            [0, "plan printed or written"],
            [1, "unexpected failure"],
            [2, "invalid config (errors on stderr, no resources printed) or a usage error"],
        ],
    },
    {
        script: "policy",
        runs: { kind: "ts", file: "scripts/policy.ts" },
        summary: "Run the policy pack's rules over a plan (`npm run plan -- --json`) or a `pulumi preview --json` document.",
        subcommands: [
            {
                name: "check",
                summary: "check a plan or preview JSON file against every rule",
                args: [{ name: "plan.json", description: "`npm run plan -- --json` output or `pulumi preview --json` output (detected)", required: true }],
                options: [
                    { flags: "--config <policy-config.json>", description: "policy pack config, as for --policy-pack-config" },
                    { flags: "--json", description: "print {violations: [...]} instead of lines", default: false },
                ],
            },
        ],
        examples: [
            "npm run policy -- check plan.json",
            "npx pulumi preview --json > preview.json && npm run policy -- check preview.json",
            "npm run -s policy -- check plan.json --config policy-config.json --json | jq .",
        ],
        exitCodes: [
            [0, "no mandatory violation"],
            [1, "at least one mandatory violation"],
            [2, "unreadable plan or config, or a usage error"],
        ],
    },
    {
        script: "report",
        runs: { kind: "ts", file: "scripts/report.ts" },
        summary: "Write the tenancy report (Markdown) for the cluster operators' review.",
        options: [
            { flags: "--stack <name>", description: "plan a shipped stack and report on it", choices: stackNames },
            { flags: "--plan <plan.json>", description: "report on a plan file or a `pulumi preview --json` document (detected)" },
            { flags: "--config <policy-config.json>", description: "policy pack config for the verdicts" },
            { flags: "--out <file.md>", description: "write to a file instead of stdout" },
        ],
        examples: ["npm run report -- --stack local --out .tenancy/local-report.md", "npm run report -- --plan preview.json"],
        exitCodes: [
            [0, "report written, whatever the policy verdict (the report says it)"],
            [1, "unexpected failure"],
            [2, "bad input or a usage error"],
        ],
    },
    {
        script: "preflight",
        runs: { kind: "ts", file: "scripts/preflight.ts" },
        summary:
            "Check the live cluster, read-only, against what the stack expects of it: version, served APIs, a CSI driver per StorageClass, pool labels and taints on real nodes, GPU capacity.",
        options: [
            { flags: "--stack <name>", description: "a shipped stack (stacks/Pulumi.<name>.yaml)", choices: stackNames },
            { flags: "--config <stack-file>", description: "any stack file instead of a shipped stack" },
            { flags: "--kubeconfig <file>", description: "the cluster's kubeconfig (default: the stack's tenancy.cluster.kubeconfigPath, then $KUBECONFIG)" },
            { flags: "--context <name>", description: "kubeconfig context (default: the stack's tenancy.cluster.context, then the current one)" },
            { flags: "--json", description: "findings as JSON on stdout", default: false },
        ],
        environment: [["KUBECONFIG", "kubeconfig used when neither --kubeconfig nor the stack names one"]],
        examples: [
            "npm run preflight -- --stack local",
            "npm run -s preflight -- --stack prod-aws --kubeconfig ~/.kube/prod.yaml --json | jq '.findings[] | select(.severity==\"error\")'",
        ],
        exitCodes: [
            [0, "no error finding (warnings allowed)"],
            [1, "at least one error finding, each with what to do"],
            [2, "the checks could not run (bad stack config, no kubeconfig, cluster unreachable) or a usage error"],
        ],
    },
    {
        script: "verify",
        runs: { kind: "ts", file: "scripts/verify.ts" },
        summary:
            "Prove tenancy on the live cluster the stack targets: the multi-tenancy benchmarks (levels 1 and 2) and Domino's own promises, by access reviews and server-side dry runs as the tenants' service accounts; read-only, nothing left behind.",
        options: [
            { flags: "--stack <name>", description: "a shipped stack (stacks/Pulumi.<name>.yaml)", choices: stackNames },
            { flags: "--config <stack-file>", description: "any stack file instead of a shipped stack" },
            {
                flags: "--kubeconfig <file>",
                description: "the cluster's kubeconfig, with the right to impersonate (default: the stack's tenancy.cluster.kubeconfigPath, then $KUBECONFIG)",
            },
            { flags: "--context <name>", description: "kubeconfig context (default: the stack's tenancy.cluster.context, then the current one)" },
            {
                flags: "--other-tenant <namespace>",
                description: "the other tenant's namespace to probe isolation from (default: the first namespace that is neither Domino's nor the system's)",
            },
            { flags: "--probe <id>", description: "run only this probe; repeatable (ids: docs/verify.md)", repeatable: true },
            { flags: "--json", description: "the whole evidence document as JSON on stdout", default: false },
            { flags: "--report <file>", description: "also write the evidence to a Markdown (.md) or HTML (.html) file" },
            {
                flags: "--policy-report",
                description:
                    "also write the results into the cluster as a wgpolicyk8s.io/v1alpha2 PolicyReport in Domino's system namespace (the only write; needs the CRD)",
                default: false,
            },
        ],
        environment: [["KUBECONFIG", "kubeconfig used when neither --kubeconfig nor the stack names one"]],
        examples: [
            "npm run verify -- --stack local",
            "npm run verify -- --stack prod-aws --kubeconfig ~/.kube/prod.yaml --report evidence/verify.html",
            "npm run -s verify -- --stack local --json | jq '.probes[] | select(.verdict==\"fail\") | .id'",
            "npm run verify -- --stack local --policy-report",
        ],
        exitCodes: [
            [0, "every probe holds (named exceptions and skips say why)"],
            [1, "at least one probe fails, each with what was asked, what had to happen, what did and what to do"],
            [2, "verify could not run (bad stack config, no kubeconfig, cluster unreachable, no PolicyReport CRD with --policy-report) or a usage error"],
        ],
    },
    {
        script: "schemas",
        runs: { kind: "ts", file: "scripts/schemas.ts" },
        summary:
            "Write the JSON Schemas of the stack config and of the exports contract into schemas/, generated from the zod schemas the program checks with.",
        options: [
            { flags: "--check", description: "only compare; exit 1 when a committed schema is stale or missing", default: false },
            { flags: "--dir <folder>", description: "where the schemas live", default: "schemas" },
        ],
        examples: ["npm run schemas", "npm run schemas -- --check"],
        exitCodes: [
            [0, "schemas written, or up to date with --check"],
            [1, "with --check: a schema is stale or missing"],
            [2, "a usage error"],
        ],
    },
    {
        script: "urns",
        runs: { kind: "ts", file: "scripts/urns.ts" },
        summary:
            "Write the URN snapshot of every shipped stack (test/program/urns/<stack>.txt), which the tests compare with the plans to catch a refactor that would replace resources.",
        options: [
            { flags: "--check", description: "only compare; exit 1 when a snapshot is missing or differs, listing what would be deleted", default: false },
            { flags: "--stack <name>", description: "a shipped stack; repeatable (default: every one)", repeatable: true, choices: stackNames },
        ],
        examples: ["npm run urns", "npm run urns -- --check", "npm run urns -- --stack prod-aws"],
        exitCodes: [
            [0, "snapshots written, or up to date with --check"],
            [1, "with --check: a snapshot is missing or differs"],
            [2, "a usage error, or a stack that cannot be planned"],
        ],
    },
    {
        script: "config",
        runs: { kind: "ts", file: "scripts/config.ts" },
        summary: "Check stack files with the program's own config checks, or regenerate the configuration reference (docs/reference/configuration.md).",
        subcommands: [
            {
                name: "check",
                summary: "check stack files (every one in stacks/ by default); one line per problem",
                options: [
                    { flags: "--stack <name>", description: "a shipped stack; repeatable", repeatable: true, choices: stackNames },
                    { flags: "--config <stack-file>", description: "any stack file; repeatable", repeatable: true },
                ],
            },
            {
                name: "reference",
                summary: "write the configuration reference between its markers in docs/reference/configuration.md",
                options: [{ flags: "--check", description: "only compare; exit 1 when stale", default: false }],
            },
        ],
        examples: ["npm run config -- check", "npm run config -- check --stack aws --config my-stack.yaml", "npm run config -- reference --check"],
        exitCodes: [
            [0, "all valid / reference up to date or written"],
            [1, "a stack file has problems / the reference is stale (--check)"],
            [2, "unreadable file, unknown stack or a usage error"],
        ],
    },
    {
        script: "bench",
        runs: { kind: "ts", file: "bench/run.ts" },
        summary: "Measure the program and its tooling as ratios and slopes within one run; prints Markdown, writes JSON results.",
        options: [
            { flags: "--runs <n>", description: "measured runs per figure (median), after one warm-up", default: "5" },
            {
                flags: "--parts <list>",
                description:
                    "comma-separated parts: 1 overhead, 2 scale, 3 policy cost, 4 tooling, 5 the pack on a real preview, 6 the admission twins' cost per request (5 and 6 need the toolchain and the local cluster)",
                default: "1,2,3,4",
            },
            { flags: "--no-profile", description: "do not profile missed targets with node --cpu-prof" },
            { flags: "--out <file>", description: "where the JSON results go", default: "bench/results.json" },
            {
                flags: "--smoke",
                description: "check that every part runs (CI): one run, small sizes, no profiles; results to bench/out/smoke-results.json unless --out",
                default: false,
            },
        ],
        examples: [
            "npm run bench",
            "npm run bench -- --runs 3 --parts 1,3 --no-profile",
            "npm run bench -- --smoke",
            "npm run cluster -- up && npm run bench -- --parts 5,6 --runs 3",
        ],
        exitCodes: [[0, "results written (missed targets are reported, not failures)"], [1, "a measurement failed"], usageCodes],
    },
    {
        script: "toolchain",
        runs: { kind: "bash", file: "scripts/toolchain.sh" },
        summary: "Build and install the pinned toolchain from the Go module proxy and Node.js from npm (once; cached by pins), or print its PATH.",
        args: [
            {
                name: "component",
                description: `components to build (default: all): ${toolchainComponents.join(", ")}; or \`env\` alone to print \`export PATH=...\``,
                variadic: true,
                choices: () => [...toolchainComponents, "env"],
            },
        ],
        environment: [
            ["TC_CACHE", "where built tools are cached"],
            ["PULUMI_HOME", "where pulumi and its plugins are installed"],
        ],
        examples: ["npm run toolchain", "npm run toolchain -- node", "npm run toolchain -- etcd kube", 'eval "$(npm run -s toolchain -- env)"'],
        exitCodes: [[0, "built (or already cached) and installed"], [1, "a build or install step failed"], usageCodes],
    },
    {
        script: "cluster",
        runs: { kind: "bash", file: "scripts/cluster.sh" },
        summary: "A real Kubernetes control plane on 127.0.0.1 (etcd, apiserver, controller manager, scheduler, kwok) in .cluster/.",
        subcommands: [
            { name: "up", summary: "start whatever is not running (idempotent)" },
            { name: "down", summary: "stop every process and remove .cluster/" },
            { name: "status", summary: "components, then nodes and the other tenant's pods" },
        ],
        environment: [
            ["CLUSTER_APISERVER_PORT", "apiserver port (default 26443); CLUSTER_ETCD_PORT and the others likewise"],
            ["CLUSTER_WAIT_SECONDS", "bound on each wait (default 60)"],
            ["CLUSTER_NODES_FILE", "replaces scripts/lib/cluster-nodes.json"],
        ],
        examples: ["npm run cluster -- up", "npm run cluster -- status", "npm run cluster -- down"],
        exitCodes: [[0, "done"], [1, "a component failed to start or stop"], usageCodes],
    },
    {
        script: "local",
        runs: { kind: "ts", file: "scripts/local.ts" },
        summary:
            "The main job end to end on the embedded default: toolchain, local cluster, the pack's dependencies (cached by its lockfile) and build, preview with the policy pack (preflight runs first in it), deploy, outputs, tenancy report, verify (the tenancy promises probed on the live cluster) and the time each step took (the engine driven through the Automation API).",
        environment: [
            ["LOCAL_SKIP_UP", "1 stops after the preview"],
            ["PULUMI_CONFIG_PASSPHRASE", "passphrase of the local stack's secrets (default: a local-only one)"],
            ["PULUMI_HOME", "where the toolchain installed the CLI and plugins (default: ~/.pulumi)"],
        ],
        examples: ["npm run local", "LOCAL_SKIP_UP=1 npm run local"],
        exitCodes: [
            [0, "deployed and verified (or previewed with LOCAL_SKIP_UP=1)"],
            [1, "a step failed, or a verify probe (its output says which)"],
            usageCodes,
        ],
    },
    {
        script: "lint:workflows",
        runs: { kind: "bash", file: "scripts/actionlint.sh" },
        summary: "Lint .github/workflows with actionlint (built once from the Go module proxy into a per-user cache).",
        args: [{ name: "actionlint-flags", description: "passed to actionlint; give them after a second `--`", variadic: true }],
        environment: [
            ["ACTIONLINT_VERSION", "actionlint version to build"],
            ["XDG_CACHE_HOME", "cache root for the built binary"],
        ],
        examples: ["npm run lint:workflows", "npm run lint:workflows -- -- -color"],
        exitCodes: [
            [0, "no findings"],
            [1, "findings"],
            [2, "no go to build actionlint, no workflow files, or a usage error"],
        ],
    },
];

/** npm scripts that are not entry points a user calls with arguments (build steps and test runners). */
export const notEntryPoints: readonly string[] = ["build", "build:policy", "test", "test:slow", "test:e2e", "lint", "format", "cli"];

export function commandSpec(script: string): CommandSpec {
    const spec = commands.find((c) => c.script === script);
    if (!spec) throw new Error(`no command '${script}' in scripts/cli/commands.ts`);
    return spec;
}
