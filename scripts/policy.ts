// npm run policy -- check <plan.json> [--config <policy-config.json>] [--json]
// Runs the policy pack's rules over a plan written by `npm run plan -- --json`.
// Exit 0: no mandatory violation; 1: at least one; 2: unreadable plan or config.

import * as fs from "fs";
import { parseArgs } from "util";
import { checkPlan, isBlocking, PackConfig, PlanLike, PolicyConfigError, validatePackConfig, Violation } from "../policy/lib/check";

const usage = "usage: npm run policy -- check <plan.json> [--config <policy-config.json>] [--json]";

export class InputError extends Error {}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new InputError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new InputError(`${what} ${file} is not JSON: ${(err as Error).message}`);
    }
}

export function readPlan(file: string): PlanLike {
    const plan = readJson(file, "plan") as { resources?: unknown };
    if (!plan || typeof plan !== "object" || !Array.isArray(plan.resources)) throw new InputError(`plan ${file} has no resources list; write one with \`npm run plan -- --stack <name> --json\``);
    plan.resources.forEach((r: unknown, i: number) => {
        const res = r as Record<string, unknown>;
        for (const key of ["urn", "type", "name"]) if (typeof res?.[key] !== "string") throw new InputError(`plan ${file}: resources[${i}].${key} must be a string`);
        if (!res.inputs || typeof res.inputs !== "object") throw new InputError(`plan ${file}: resources[${i}].inputs must be an object`);
    });
    return plan as PlanLike;
}

export function readPackConfig(file: string | undefined): PackConfig {
    if (!file) return {};
    try {
        return validatePackConfig(readJson(file, "policy config"));
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new InputError(`${file}: ${err.message}`);
        throw err;
    }
}

export function formatViolation(v: Violation): string {
    return `${v.enforcementLevel.padEnd(9)} ${v.policy}  ${v.urn ?? "(stack)"}  ${v.message}`;
}

function main(argv: string[]): number {
    const options = { config: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
    let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>>;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, options });
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${usage}\n`);
        return 2;
    }
    if (parsed.values.help) {
        process.stdout.write(`${usage}\n`);
        return 0;
    }
    const [command, planFile, ...extra] = parsed.positionals;
    if (command !== "check" || !planFile || extra.length > 0) {
        process.stderr.write(`${usage}\n`);
        return 2;
    }
    let violations: Violation[];
    try {
        violations = checkPlan(readPlan(planFile), readPackConfig(parsed.values.config));
    } catch (err) {
        if (err instanceof InputError) {
            process.stderr.write(`policy check: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
    const blocking = violations.filter(isBlocking).length;
    if (parsed.values.json) {
        process.stdout.write(`${JSON.stringify({ violations }, null, 2)}\n`);
    } else {
        for (const v of violations) process.stdout.write(`${formatViolation(v)}\n`);
        process.stdout.write(`${violations.length} violation(s), ${blocking} mandatory\n`);
    }
    return blocking > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
