// npm run policy -- check <plan.json> [--config <policy-config.json>] [--json]
// Runs the policy pack's rules over a plan written by `npm run plan -- --json`, or over
// `pulumi preview --json` output (detected, converted by plan/previewJson.ts).
// Exit 0: no mandatory violation; 1: at least one; 2: unreadable plan or config.

import * as fs from "fs";
import { fromPreviewJson, isPreviewJson, PreviewFormatError } from "../plan/previewJson";
import { checkPlan, isBlocking, PackConfig, PlanLike, PolicyConfigError, validatePackConfig, Violation } from "../policy/lib/check";

import { parseCommand, writeAll } from "./cli/parse";

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
    const doc = readJson(file, "plan");
    if (isPreviewJson(doc)) {
        try {
            return fromPreviewJson(doc);
        } catch (err) {
            if (err instanceof PreviewFormatError) throw new InputError(`preview ${file}: ${err.message}`);
            throw err;
        }
    }
    const plan = doc as { resources?: unknown };
    if (!plan || typeof plan !== "object" || !Array.isArray(plan.resources))
        throw new InputError(
            `plan ${file} has no resources list and no preview steps; write one with \`npm run plan -- --stack <name> --json\` or \`pulumi preview --json\``,
        );
    plan.resources.forEach((r: unknown, i: number) => {
        const res = r as Record<string, unknown>;
        for (const key of ["urn", "type", "name"])
            if (typeof res?.[key] !== "string") throw new InputError(`plan ${file}: resources[${i}].${key} must be a string`);
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

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("policy", argv);
    if (parsed.kind === "exit") return parsed.code;
    const [planFile] = parsed.args;
    const values = parsed.opts as { config?: string; json: boolean };
    let violations: Violation[];
    try {
        violations = checkPlan(readPlan(planFile), readPackConfig(values.config));
    } catch (err) {
        if (err instanceof InputError) {
            process.stderr.write(`policy check: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
    const blocking = violations.filter(isBlocking).length;
    const text = values.json
        ? `${JSON.stringify({ violations }, null, 2)}\n`
        : [...violations.map(formatViolation), `${violations.length} violation(s), ${blocking} mandatory`].map((l) => `${l}\n`).join("");
    await writeAll(process.stdout, text);
    return blocking > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`policy failed: ${(err as Error).stack ?? err}\n`);
            process.exitCode = 1;
        },
    );
}
