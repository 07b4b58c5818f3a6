// npm run preflight -- --stack <name> | --config <stack-file> [--kubeconfig <file>] [--context <name>] [--json]
// Read-only checks of the live cluster against what the stack expects of it: API
// version, the APIs the stack relies on, a CSI driver per StorageClass provisioner,
// pool labels and taints on real nodes, GPU capacity on GPU pools.
// Exit 0: no error (warnings allowed); 1: at least one error; 2: the checks could not
// run (bad stack config, no kubeconfig, cluster unreachable). Never prints a secret.

import * as fs from "fs";
import * as path from "path";
import type { Finding } from "../components/preflight";
import { parseCommand, usageError, writeAll } from "./cli/parse";
import { repoRoot, stackNames } from "./cli/commands";

class CannotRun extends Error {}

// Loaded after the arguments are accepted, so --help answers without the model and the engine.
async function loadModel(file: string) {
    const { buildModel } = await import("../components/model/model");
    const { configKey } = await import("../components/model/schema");
    const { projectName, readStackConfig } = await import("../plan/engine");
    const { hideNestedSecrets } = await import("../plan/configCheck");
    const { stackOfFile } = await import("../plan/stackFiles");
    const project = projectName();
    const { config } = readStackConfig(file, project);
    const raw = config[`${project}:${configKey}`];
    return buildModel(hideNestedSecrets(raw === undefined ? undefined : JSON.parse(raw)), stackOfFile(file));
}

function kubeconfigFile(given: string | undefined, fromStack: string | undefined): string {
    const expand = (p: string) => (p === "~" || p.startsWith("~/") ? path.join(process.env.HOME ?? "", p.slice(1)) : path.resolve(repoRoot, p));
    const candidate = given ?? fromStack ?? process.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
    if (!candidate) throw new CannotRun("no kubeconfig: give --kubeconfig, set tenancy.cluster.kubeconfigPath, or export KUBECONFIG");
    const file = given ? path.resolve(given) : expand(candidate);
    if (!fs.existsSync(file))
        throw new CannotRun(`kubeconfig ${file} does not exist${fromStack && !given ? " (from tenancy.cluster.kubeconfigPath; is the cluster up?)" : ""}`);
    return file;
}

function line(f: Finding): string {
    return `${f.severity.padEnd(7)} ${f.check.padEnd(18)} ${f.message}${f.fix ? `\n${" ".repeat(27)}-> ${f.fix}` : ""}`;
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("preflight", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { stack?: string; config?: string; kubeconfig?: string; context?: string; json: boolean };
    if (!values.stack === !values.config) return usageError("preflight", "give exactly one of --stack or --config");
    const file = values.config ? path.resolve(values.config) : path.join(repoRoot, "stacks", `Pulumi.${values.stack}.yaml`);
    const { ConfigError } = await import("../components/model/schema");
    const { ApiError, credentialsFrom, exitCodeOf, expectationsFrom, gatherFacts, judge, KubeconfigError, readOnlyClient } =
        await import("../components/preflight");
    try {
        if (!fs.existsSync(file)) throw new CannotRun(`${file} does not exist (shipped stacks: ${stackNames().join(", ")})`);
        const model = await loadModel(file);
        const fromStack = model.cluster.cloud === "existing" ? model.cluster.kubeconfigPath : undefined;
        const kubeconfig = kubeconfigFile(values.kubeconfig, fromStack);
        const creds = credentialsFrom(
            fs.readFileSync(kubeconfig, "utf8"),
            kubeconfig,
            values.context ?? (model.cluster.cloud === "existing" ? model.cluster.context : undefined),
        );
        if (!values.json) process.stderr.write(`preflight: ${path.relative(repoRoot, file)} against ${creds.server}\n`);
        const facts = await gatherFacts(readOnlyClient(creds));
        const findings = judge(expectationsFrom(model), facts);
        const text = values.json
            ? `${JSON.stringify({ server: creds.server, version: facts.gitVersion, findings }, null, 2)}\n`
            : `${findings.map(line).join("\n")}\n`;
        await writeAll(process.stdout, text);
        return exitCodeOf(findings);
    } catch (err) {
        if (err instanceof ConfigError) {
            process.stderr.write(`${path.relative(repoRoot, file)}: ${err.message}\n`);
            return 2;
        }
        if (err instanceof CannotRun || err instanceof KubeconfigError || err instanceof ApiError) {
            process.stderr.write(`preflight cannot run: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`preflight failed: ${(err as Error).message}\n`);
        process.exitCode = 2;
    },
);
