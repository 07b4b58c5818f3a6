// Parses an entry point's arguments with commander, from its registry entry: the same
// --help layout everywhere (Usage, Options, Commands, Environment, Examples, Exit codes),
// unknown options and subcommands rejected with one line and a "did you mean", exit 2.

import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ArgSpec, commandSpec, CommandSpec, OptionSpec } from "./commands";

export interface TextIo {
    out(text: string): void;
    err(text: string): void;
}

export const processIo: TextIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

// A reader that stops early (`... --help | head -1`) closes the pipe: the rest of the output
// has nowhere to go, which is no error of ours. Every entry point parses its arguments here,
// so this one listener makes them all end quietly then, as Unix tools do, instead of
// throwing EPIPE with a stack.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
});

export type Parsed =
    | { readonly kind: "run"; readonly subcommand?: string; readonly opts: Record<string, unknown>; readonly args: string[] }
    | { readonly kind: "exit"; readonly code: number };

/** Edit distance counting a swap of neighbours as one edit (typos are mostly swaps). */
function distance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The closest candidate within a third of the word's length (at least 1 edit), as commander judges near misses. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
    for (const c of candidates) {
        const d = distance(word, c);
        if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    return best;
}

function checkedChoice(what: string, choices: () => readonly string[]): (value: string) => string {
    return (value) => {
        const allowed = choices();
        if (allowed.includes(value)) return value;
        const near = suggest(value, allowed);
        throw new InvalidArgumentError(`unknown ${what} '${value}'${near ? ` (did you mean ${near}?)` : ""}; allowed: ${allowed.join(", ")}`);
    };
}

function addOption(cmd: Command, o: OptionSpec): void {
    const opt = new Option(o.flags, o.description);
    const check = o.choices ? checkedChoice(opt.attributeName(), o.choices) : (v: string) => v;
    if (o.repeatable) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), check(v)]);
    else if (o.choices) opt.argParser(check);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
}

function addArg(cmd: Command, a: ArgSpec): void {
    const arg = new Argument(a.required ? `<${a.name}${a.variadic ? "..." : ""}>` : `[${a.name}${a.variadic ? "..." : ""}]`, a.description);
    if (a.choices) {
        const check = checkedChoice(a.name, a.choices);
        if (a.variadic) arg.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), check(v)]);
        else arg.argParser(check);
    }
    cmd.addArgument(arg);
}

/** The text after commander's own help: environment, examples and exit codes. */
export function helpFooter(spec: CommandSpec): string {
    const lines: string[] = [];
    if (spec.environment?.length) lines.push("", "Environment:", ...spec.environment.map(([k, v]) => `  ${k.padEnd(24)} ${v}`));
    lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
    lines.push("", "Exit codes:", ...spec.exitCodes.map(([c, m]) => `  ${c}  ${m}`));
    return `${lines.join("\n")}\n`;
}

function configure(cmd: Command, io: TextIo): Command {
    return cmd
        .exitOverride()
        .showSuggestionAfterError(true)
        .helpOption("-h, --help", "show this help (starts nothing)")
        .configureOutput({
            writeOut: io.out,
            writeErr: io.err,
            // commander puts its suggestion on a second line; one line is easier to grep and read.
            outputError: (text, write) => write(`${text.replace(/\n\(Did you mean (.*)\?\)/, " (did you mean $1?)").trimEnd()}\n`),
        });
}

/** A commander program for a registry entry; `result` receives what the action saw. */
export function buildProgram(spec: CommandSpec, io: TextIo, result: { parsed?: Parsed } = {}): Command {
    const program = configure(new Command(`npm run ${spec.script} --`), io)
        .description(spec.summary)
        .helpCommand(false);
    program.addHelpText("after", helpFooter(spec));
    for (const o of spec.options ?? []) addOption(program, o);
    if (spec.subcommands?.length) {
        for (const s of spec.subcommands) {
            const sub = configure(program.command(s.name), io).description(s.summary);
            for (const a of s.args ?? []) addArg(sub, a);
            for (const o of s.options ?? []) addOption(sub, o);
            sub.addHelpText("after", helpFooter(spec));
            sub.action((...params: unknown[]) => {
                const args = params.slice(0, (s.args ?? []).length).flatMap((p) => (p === undefined ? [] : Array.isArray(p) ? p : [p])) as string[];
                result.parsed = { kind: "run", subcommand: s.name, opts: { ...program.opts(), ...sub.opts() }, args };
            });
        }
    } else {
        for (const a of spec.args ?? []) addArg(program, a);
        program.action((...params: unknown[]) => {
            const args = params.slice(0, (spec.args ?? []).length).flatMap((p) => (p === undefined ? [] : Array.isArray(p) ? p : [p])) as string[];
            result.parsed = { kind: "run", opts: program.opts(), args };
        });
    }
    return program;
}

/** Parses `argv` (the arguments after the script name) for the entry point `script`. */
export function parseCommand(script: string, argv: readonly string[], io: TextIo = processIo): Parsed {
    const result: { parsed?: Parsed } = {};
    const program = buildProgram(commandSpec(script), io, result);
    try {
        program.parse([...argv], { from: "user" });
    } catch (err) {
        if (err instanceof CommanderError) return { kind: "exit", code: err.exitCode === 0 ? 0 : 2 };
        throw err;
    }
    return result.parsed ?? { kind: "exit", code: 2 };
}

/** A usage error found after parsing (a missing or conflicting option): one line, exit 2. */
export function usageError(script: string, message: string, io: TextIo = processIo): number {
    io.err(`error: ${message} (see npm run ${script} -- --help)\n`);
    return 2;
}

/** Writes text and resolves once it has left the process: exiting before that truncates pipes. */
export function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        stream.write(text, (err) => (err ? reject(err) : resolve()));
    });
}
