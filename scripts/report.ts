// npm run report -- --stack <name> | --plan <plan.json> [--config <policy-config.json>] [--out <file.md>]
// --plan takes `npm run plan -- --json` output or `pulumi preview --json` output (detected).
// Writes the tenancy report (Markdown) for the cluster operators' review.
// Exit 0 when written (whatever the policy verdict: the report says it); 2 for bad input.

import * as fs from "fs";
import * as path from "path";
import { parseCommand, usageError, writeAll } from "./cli/parse";
import { InputError, readPackConfig, readPlan } from "./policy";

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("report", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { stack?: string; plan?: string; config?: string; out?: string };
    if (!values.stack === !values.plan) return usageError("report", "give exactly one of --stack or --plan");
    // Loaded only now: the engine and the report pull in the Pulumi runtime, which --help must not wait for.
    const { PlanConfigError, runPlan } = await import("../plan/engine");
    const { tenancyReport } = await import("../plan/report");
    let markdown: string;
    try {
        const plan = values.stack ? await runPlan({ stack: values.stack }) : readPlan(values.plan!);
        markdown = tenancyReport({ stack: values.stack ?? path.basename(values.plan!, ".json"), plan, config: readPackConfig(values.config) });
    } catch (err) {
        if (err instanceof PlanConfigError || err instanceof InputError) {
            process.stderr.write(`report: ${(err as Error).message}\n`);
            return 2;
        }
        throw err;
    }
    if (values.out) {
        fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
        fs.writeFileSync(values.out, `${markdown}\n`);
        process.stderr.write(`tenancy report written to ${values.out}\n`);
    } else {
        await writeAll(process.stdout, `${markdown}\n`);
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`report failed: ${(err as Error).stack ?? err}\n`);
        process.exitCode = 1;
    },
);
