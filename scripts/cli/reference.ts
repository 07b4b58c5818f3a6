// The command reference (docs/reference/commands.md), generated from the registry
// (scripts/cli/commands.ts): one section per npm script with usage, options and
// defaults, subcommands, environment, examples and exit codes. Text in, text out;
// scripts/cli.ts does the file handling.

import { CommandSpec, commands, OptionSpec } from "./commands";
import { markedReference, ReferenceMarkerError } from "../../plan/markedBlock";

/** The page the reference lives in, from the repository's root. */
export const commandReferenceFile = "docs/reference/commands.md";

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
    const lines = [`## \`npm run ${spec.script}\``, "", spec.summary, "", "```", ...usageLine(spec), "```", ""];
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

export { ReferenceMarkerError };

export const { referenceBlock, withReference, isStale } = markedReference(commandMarkers);
