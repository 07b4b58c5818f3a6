// npm run report -- --stack <name> | --plan <plan.json> [--config <policy-config.json>] [--out <file.md>]
// Writes the tenancy report (Markdown) for the cluster operators' review.
// Exit 0 when written (whatever the policy verdict: the report says it); 2 for bad input.

import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PlanConfigError, runPlan } from "../plan/engine";
import { tenancyReport } from "../plan/report";
import { InputError, readPackConfig, readPlan } from "./policy";

const usage = "usage: npm run report -- --stack <name> | --plan <plan.json> [--config <policy-config.json>] [--out <file.md>]";

async function main(argv: string[]): Promise<number> {
    let values: { stack?: string; plan?: string; config?: string; out?: string; help?: boolean };
    try {
        ({ values } = parseArgs({ args: argv, options: { stack: { type: "string" }, plan: { type: "string" }, config: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } } }));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${usage}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${usage}\n`);
        return 0;
    }
    if (!values.stack === !values.plan) {
        process.stderr.write(`give exactly one of --stack or --plan\n${usage}\n`);
        return 2;
    }
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
        process.stdout.write(`${markdown}\n`);
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
