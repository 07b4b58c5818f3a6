// npm run preflight -- --stack <name> | --config <stack-file> [--kubeconfig <file>] [--context <name>] [--json]
// Read-only checks of the live cluster against what the stack expects of it: API
// version, the APIs the stack relies on, a CSI driver per StorageClass provisioner,
// pool labels and taints on real nodes, GPU capacity on GPU pools.
// Exit 0: no error (warnings allowed); 1: at least one error; 2: the checks could not
// run (bad stack config, no kubeconfig, cluster unreachable). Never prints a secret.

import * as path from "path";
import type { Finding } from "../components/preflight";
import { parseCommand, usageError, writeAll } from "./cli/parse";
import { repoRoot } from "./cli/commands";
import { cannotRunExit, loadModel, stackCredentials, stackFileOf } from "./cli/stackCluster";

function line(f: Finding): string {
    return `${f.severity.padEnd(7)} ${f.check.padEnd(18)} ${f.message}${f.fix ? `\n${" ".repeat(27)}-> ${f.fix}` : ""}`;
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("preflight", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { stack?: string; config?: string; kubeconfig?: string; context?: string; json: boolean };
    if (!values.stack === !values.config) return usageError("preflight", "give exactly one of --stack or --config");
    const file = values.config ? path.resolve(values.config) : path.join(repoRoot, "stacks", `Pulumi.${values.stack}.yaml`);
    const { exitCodeOf, expectationsFrom, gatherFacts, judge, readOnlyClient } = await import("../components/preflight");
    try {
        const model = await loadModel(stackFileOf(values));
        const creds = await stackCredentials(model, values);
        if (!values.json) process.stderr.write(`preflight: ${path.relative(repoRoot, file)} against ${creds.server}\n`);
        const facts = await gatherFacts(readOnlyClient(creds));
        const findings = judge(expectationsFrom(model), facts);
        const text = values.json
            ? `${JSON.stringify({ server: creds.server, version: facts.gitVersion, findings }, null, 2)}\n`
            : `${findings.map(line).join("\n")}\n`;
        await writeAll(process.stdout, text);
        return exitCodeOf(findings);
    } catch (err) {
        return cannotRunExit(err, "preflight", file);
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
