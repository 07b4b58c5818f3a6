// npm run plan -- --stack <name> | --config <stack-file> [--json]
// Prints every resource the program would register for a stack, with no cloud
// credentials, cluster or Pulumi CLI. Exit 0 with a plan; 2 with invalid config
// (errors on stderr, no resources printed).

import * as fs from "fs";
import type { Plan } from "../plan/engine";
import { parseCommand, usageError, writeAll } from "./cli/parse";

// npm prints its own banner on stdout, so `npm run plan -- --json > f` is not pure JSON:
// use --out, or `npm run --silent plan`.
function summary(plan: Plan): string {
    const lines = [`Plan for ${plan.project}/${plan.stack}: ${plan.resources.length} resources`];
    const children = new Map<string | null, Plan["resources"]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    // Print as a tree: each resource under its parent, as `pulumi preview` shows it.
    const walk = (parent: string | null, depth: number): void => {
        for (const r of children.get(parent) ?? []) {
            const flags = [r.options.protect ? "protected" : "", r.options.retainOnDelete ? "retained on delete" : "", r.custom ? "" : "component"]
                .filter(Boolean)
                .join(", ");
            lines.push(`${"  ".repeat(depth + 1)}${r.type}  ${r.name}${flags ? `  (${flags})` : ""}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("plan", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { stack?: string; config?: string; json: boolean; out?: string };
    if (!values.stack === !values.config) return usageError("plan", "give exactly one of --stack or --config");
    // Loaded only now: the engine pulls in the Pulumi runtime, which --help must not wait for.
    const { PlanConfigError, runPlan } = await import("../plan/engine");
    try {
        const plan = await runPlan({ stack: values.stack, configFile: values.config });
        const text = values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${summary(plan)}\n`;
        if (values.out) {
            fs.writeFileSync(values.out, text);
            process.stderr.write(`plan for ${plan.stack} (${plan.resources.length} resources) written to ${values.out}\n`);
        } else {
            await writeAll(process.stdout, text);
        }
        return 0;
    } catch (err) {
        if (err instanceof PlanConfigError) {
            process.stderr.write(`${err.message}\nNo resources were planned.\n`);
            return 2;
        }
        throw err;
    }
}

// exitCode, not process.exit: exiting while a pipe still holds output truncates it.
main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`plan failed: ${(err as Error).stack ?? err}\n`);
        process.exitCode = 1;
    },
);
