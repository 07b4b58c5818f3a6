// npm run config -- check [--stack <name>]... [--config <stack-file>]...
//   Checks stack files (every one in stacks/ by default) with the program's own
//   config checks, without Pulumi. One line per problem:
//   `stacks/Pulumi.<s>.yaml: <config path>: <message>`. Exit 0 all valid, 1 any
//   invalid, 2 usage error or unreadable file. Secure values are never printed.
// npm run config -- reference [--check]
//   Writes the configuration reference, generated from the schema, between the
//   config-reference markers of docs/reference/configuration.md; --check only
//   compares (exit 1 when stale).

import * as fs from "fs";
import * as path from "path";

// Loaded on use: the engine pulls in the Pulumi runtime, which --help must not wait for.
// `main` is synchronous (its specs call it so), hence require rather than import().
/* eslint-disable @typescript-eslint/no-require-imports */
const engine = () => require("../plan/engine") as typeof import("../plan/engine");
const configCheck = () => require("../plan/configCheck") as typeof import("../plan/configCheck");
const configReference = () => require("../plan/configReference") as typeof import("../plan/configReference");
const configSchema = () => require("../components/model/schema") as typeof import("../components/model/schema");
/* eslint-enable @typescript-eslint/no-require-imports */

import { parseCommand, TextIo } from "./cli/parse";
import { shownPath } from "../plan/markedBlock";

export interface Io {
    out(line: string): void;
    err(line: string): void;
}

export interface CliContext {
    readonly env: NodeJS.ProcessEnv;
    /** The page the configuration reference lives in; @default docs/reference/configuration.md. */
    readonly referenceFile?: string;
}

function check(stacks: readonly string[], files: readonly string[], io: Io, ctx: CliContext): number {
    const { projectName, shippedStacks, stackFile } = engine();
    const { checkStackFile, exitCodeOf, formatCheck } = configCheck();
    const known = shippedStacks();
    const unknown = stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        io.err(`no stack file for ${unknown.map((s) => `'${s}'`).join(", ")} in stacks/; shipped stacks: ${known.join(", ")}`);
        return 2;
    }
    const targets = [...stacks.map(stackFile), ...files.map((f) => path.resolve(f))];
    const checks = (targets.length > 0 ? targets : known.map(stackFile)).map((file) => checkStackFile(file, { project: projectName(), env: ctx.env }));
    for (const c of checks) for (const line of formatCheck(c)) io.out(line);
    const bad = checks.filter((c) => c.status !== "ok").length;
    io.err(`${checks.length} stack file${checks.length === 1 ? "" : "s"} checked: ${checks.length - bad} valid, ${bad} with problems`);
    return exitCodeOf(checks);
}

function reference(checkOnly: boolean, io: Io, ctx: CliContext): number {
    const { repoRoot } = engine();
    const { configReferenceFile, isStale, ReferenceMarkerError, referenceRows, renderReference, withReference } = configReference();
    const { tenancyConfigSchema } = configSchema();
    const file = ctx.referenceFile ?? path.join(repoRoot, configReferenceFile);
    const shown = shownPath(file, repoRoot);
    let doc: string;
    try {
        doc = fs.readFileSync(file, "utf8");
    } catch (err) {
        io.err(`${shown}: cannot be read: ${(err as Error).message}`);
        return 2;
    }
    const generated = renderReference(referenceRows(tenancyConfigSchema));
    try {
        if (checkOnly) {
            if (!isStale(doc, generated)) return 0;
            io.err(`${shown}: the configuration reference is stale; run \`npm run config -- reference\` and commit the result`);
            return 1;
        }
        const updated = withReference(doc, generated);
        if (updated !== doc) fs.writeFileSync(file, updated);
        io.err(`${shown}: configuration reference ${updated === doc ? "already up to date" : "updated"}`);
        return 0;
    } catch (err) {
        if (err instanceof ReferenceMarkerError) {
            io.err(`${shown}: ${err.message}`);
            return 2;
        }
        throw err;
    }
}

/** The command line, without process.exit: the tests call it directly. */
export function main(argv: readonly string[], io: Io, ctx: CliContext = { env: process.env }): number {
    // commander writes whole blocks; Io takes lines.
    const text: TextIo = { out: (t) => io.out(t.replace(/\n$/, "")), err: (t) => io.err(t.replace(/\n$/, "")) };
    const parsed = parseCommand("config", argv, text);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { stack?: string[]; config?: string[]; check?: boolean };
    if (parsed.subcommand === "check") return check(values.stack ?? [], values.config ?? [], io, ctx);
    return reference(values.check ?? false, io, ctx);
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2), {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
    });
}
