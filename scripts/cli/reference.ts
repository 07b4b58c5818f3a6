// The README's command reference, generated from the registry (scripts/cli/commands.ts):
// one section per npm script with usage, options and defaults, subcommands, environment,
// examples and exit codes. Text in, text out; scripts/cli.ts does the file handling.

import { CommandSpec, commands, OptionSpec } from "./commands";

export const commandMarkers = { start: "<!-- command-reference:start -->", end: "<!-- command-reference:end -->" } as const;

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function optionRows(options: readonly OptionSpec[]): string[] {
    return options.map(
        (o) =>
            `| \`${cell(o.flags)}\` | ${cell(o.description)}${o.repeatable ? " (repeatable)" : ""} | ${o.default === undefined ? "" : `\`${String(o.default)}\``} |`,
    );
}

function usageLine(spec: CommandSpec): string[] {
    const opts = spec.options?.length ? " [options]" : "";
    if (spec.subcommands?.length) {
        return spec.subcommands.map(
            (s) =>
                `npm run ${spec.script} -- ${s.name}${(s.args ?? []).map((a) => (a.required ? ` <${a.name}>` : ` [${a.name}${a.variadic ? "..." : ""}]`)).join("")}${s.options?.length ? " [options]" : ""}`,
        );
    }
    const args = (spec.args ?? []).map((a) => (a.required ? ` <${a.name}>` : ` [${a.name}${a.variadic ? "..." : ""}]`)).join("");
    return [`npm run ${spec.script}${opts || args ? " --" : ""}${opts}${args}`];
}

function section(spec: CommandSpec): string[] {
    const lines = [`#### \`npm run ${spec.script}\``, "", spec.summary, "", "```", ...usageLine(spec), "```", ""];
    for (const a of spec.args ?? []) lines.push(`- \`${a.name}\`: ${a.description}`);
    if (spec.args?.length) lines.push("");
    if (spec.options?.length) lines.push("| option | meaning | default |", "|---|---|---|", ...optionRows(spec.options), "");
    for (const s of spec.subcommands ?? []) {
        lines.push(`- \`${s.name}\`: ${s.summary}`);
        for (const a of s.args ?? []) lines.push(`  - \`${a.name}\`: ${a.description}`);
        for (const o of s.options ?? [])
            lines.push(
                `  - \`${o.flags}\`: ${o.description}${o.repeatable ? " (repeatable)" : ""}${o.default === undefined ? "" : ` (default \`${String(o.default)}\`)`}`,
            );
    }
    if (spec.subcommands?.length) lines.push("");
    if (spec.environment?.length) lines.push(`Environment: ${spec.environment.map(([k, v]) => `\`${k}\` ${v}`).join("; ")}.`, "");
    lines.push("Examples:", "", "```sh", ...spec.examples, "```", "");
    lines.push(`Exit codes: ${spec.exitCodes.map(([c, m]) => `${c} ${m}`).join("; ")}.`, "");
    return lines;
}

export function renderCommandReference(list: readonly CommandSpec[] = commands): string {
    const lines = [
        "<!-- Generated from scripts/cli/commands.ts by `npm run cli -- reference`; edit the registry, not this block. -->",
        "",
        "Every entry point answers `-h`/`--help` at once without building, starting or installing anything, and rejects an unknown option or subcommand with a suggestion (exit 2).",
        "",
        ...list.flatMap(section),
    ];
    return lines.join("\n").trimEnd();
}

export class ReferenceMarkerError extends Error {}

/** The text between the markers; throws unless there is exactly one pair in order. */
export function referenceBlock(readme: string): { before: string; block: string; after: string } {
    const starts = readme.split(commandMarkers.start).length - 1;
    const ends = readme.split(commandMarkers.end).length - 1;
    const start = readme.indexOf(commandMarkers.start);
    const end = readme.indexOf(commandMarkers.end);
    if (starts !== 1 || ends !== 1 || end < start)
        throw new ReferenceMarkerError(`needs exactly one ${commandMarkers.start} followed by one ${commandMarkers.end} (found ${starts} and ${ends})`);
    return {
        before: readme.slice(0, start + commandMarkers.start.length),
        block: readme.slice(start + commandMarkers.start.length, end),
        after: readme.slice(end),
    };
}

export function withReference(readme: string, reference: string): string {
    const { before, after } = referenceBlock(readme);
    return `${before}\n${reference}\n${after}`;
}

export function isStale(readme: string, reference: string): boolean {
    return withReference(readme, reference) !== readme;
}
