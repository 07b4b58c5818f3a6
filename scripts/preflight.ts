// npm run preflight -- --stack <name> | --config <stack-file> [--kubeconfig <file>] [--context <name>] [--json]
// Read-only checks of the live cluster against what the stack expects of it: API
// version, the APIs the stack relies on, a CSI driver per StorageClass provisioner,
// pool labels and taints on real nodes, GPU capacity on GPU pools.
// Exit 0: no error (warnings allowed); 1: at least one error; 2: the checks could not
// run (bad stack config, no kubeconfig, cluster unreachable). Never prints a secret.

import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { buildModel } from "../components/model/model";
import { ConfigError, configKey } from "../components/model/schema";
import { ApiError, credentialsFrom, exitCodeOf, expectationsFrom, gatherFacts, judge, KubeconfigError, readOnlyClient, type Finding } from "../components/preflight";
import { projectName, readStackConfig, repoRoot, shippedStacks, stackFile } from "../plan/engine";
import { hideNestedSecrets, stackOfFile } from "../plan/configCheck";

const usage = `usage: npm run preflight -- --stack <name> | --config <stack-file> [--kubeconfig <file>] [--context <name>] [--json]

Checks the live cluster, read-only, against what the stack expects of it.
  --stack <name>        a shipped stack (stacks/Pulumi.<name>.yaml)
  --config <file>       any stack file
  --kubeconfig <file>   the cluster's kubeconfig (default: the stack's tenancy.cluster.kubeconfigPath, then $KUBECONFIG)
  --context <name>      kubeconfig context (default: the stack's tenancy.cluster.context, then the current one)
  --json                findings as JSON on stdout
Exit codes: 0 no error (warnings allowed), 1 an error finding, 2 the checks could not run.
Example: npm run preflight -- --stack local`;

class CannotRun extends Error {}

function loadModel(file: string) {
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
    if (!fs.existsSync(file)) throw new CannotRun(`kubeconfig ${file} does not exist${fromStack && !given ? " (from tenancy.cluster.kubeconfigPath; is the cluster up?)" : ""}`);
    return file;
}

function line(f: Finding): string {
    return `${f.severity.padEnd(7)} ${f.check.padEnd(18)} ${f.message}${f.fix ? `\n${" ".repeat(27)}-> ${f.fix}` : ""}`;
}

async function main(): Promise<number> {
    let values: { stack?: string; config?: string; kubeconfig?: string; context?: string; json?: boolean; help?: boolean };
    try {
        ({ values } = parseArgs({
            options: { stack: { type: "string" }, config: { type: "string" }, kubeconfig: { type: "string" }, context: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
        }));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${usage}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${usage}\n`);
        return 0;
    }
    if (!values.stack && !values.config) {
        process.stderr.write(`give --stack or --config (shipped stacks: ${shippedStacks().join(", ")})\n`);
        return 2;
    }
    const file = values.config ? path.resolve(values.config) : stackFile(values.stack!);
    try {
        if (!fs.existsSync(file)) throw new CannotRun(`${file} does not exist (shipped stacks: ${shippedStacks().join(", ")})`);
        const model = loadModel(file);
        const fromStack = model.profile.managesNodePools ? undefined : model.cluster.kubeconfigPath;
        const kubeconfig = kubeconfigFile(values.kubeconfig, fromStack);
        const creds = credentialsFrom(fs.readFileSync(kubeconfig, "utf8"), kubeconfig, values.context ?? model.cluster.context);
        if (!values.json) process.stderr.write(`preflight: ${path.relative(repoRoot, file)} against ${creds.server}\n`);
        const facts = await gatherFacts(readOnlyClient(creds));
        const findings = judge(expectationsFrom(model), facts);
        const text = values.json ? `${JSON.stringify({ server: creds.server, version: facts.gitVersion, findings }, null, 2)}\n` : `${findings.map(line).join("\n")}\n`;
        await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
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

main().then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`preflight failed: ${(err as Error).message}\n`);
        process.exitCode = 2;
    },
);
