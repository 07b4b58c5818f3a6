// tsx scripts/cli.ts <script> [args...]   the bash-backed npm scripts (toolchain, cluster,
//   local, lint:workflows): answers --help itself, rejects unknown options and subcommands
//   (exit 2, with a "did you mean"), then runs the bash script with the accepted arguments,
//   stdio inherited and its exit code passed through.
// tsx scripts/cli.ts reference [--check]   (npm run cli -- reference) writes the command
//   reference (docs/reference/commands.md) from scripts/cli/commands.ts; --check only
//   compares (exit 1 when stale).

import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commands, repoRoot } from "./cli/commands";
import { parseCommand, processIo, suggest, TextIo } from "./cli/parse";
import { commandReferenceFile, isStale, referenceBlock, ReferenceMarkerError, renderCommandReference, withReference } from "./cli/reference";
import { shownPath } from "../plan/markedBlock";

const bashBacked = commands.filter((c) => c.runs.kind === "bash").map((c) => c.script);

export function reference(argv: readonly string[], io: TextIo, file = path.join(repoRoot, commandReferenceFile)): number {
    const extra = argv.filter((a) => a !== "--check" && a !== "--write");
    if (extra.length > 0) {
        io.err(`error: reference takes --check or --write only (got ${extra.join(" ")})\n`);
        return 2;
    }
    const shown = shownPath(file, repoRoot);
    const doc = fs.readFileSync(file, "utf8");
    const generated = renderCommandReference();
    try {
        referenceBlock(doc);
    } catch (err) {
        if (!(err instanceof ReferenceMarkerError)) throw err;
        io.err(`${shown}: ${err.message}\n`);
        return 2;
    }
    if (argv.includes("--check")) {
        if (!isStale(doc, generated)) return 0;
        io.err(`${shown}: the command reference is stale; run \`npm run cli -- reference\` and commit the result\n`);
        return 1;
    }
    const updated = withReference(doc, generated);
    if (updated !== doc) fs.writeFileSync(file, updated);
    io.err(`${shown}: command reference ${updated === doc ? "already up to date" : "updated"}\n`);
    return 0;
}

async function main(argv: string[]): Promise<number> {
    const [script, ...rest] = argv;
    if (script === "reference") return reference(rest, processIo);
    if (!script || !bashBacked.includes(script)) {
        const near = script ? suggest(script, [...bashBacked, "reference"]) : undefined;
        process.stderr.write(
            `error: ${script ? `unknown command '${script}'` : "give a command"}${near ? ` (did you mean ${near}?)` : ""}; one of: ${bashBacked.join(", ")}, reference\n`,
        );
        return 2;
    }
    const parsed = parseCommand(script, rest);
    if (parsed.kind === "exit") return parsed.code;
    const spec = commands.find((c) => c.script === script)!;
    const args = [...(parsed.subcommand ? [parsed.subcommand] : []), ...parsed.args];
    if (script === "toolchain" && args.includes("env") && args.length > 1) {
        process.stderr.write("error: toolchain env takes no components (see npm run toolchain -- --help)\n");
        return 2;
    }
    return new Promise((resolve) => {
        const child = spawn("bash", [path.join(repoRoot, spec.runs.file), ...args], { stdio: "inherit" });
        child.on("error", (err) => {
            process.stderr.write(`${script}: cannot run bash: ${err.message}\n`);
            resolve(127);
        });
        // A signal death is reported the shell's way (128 + n), so `npm run` still fails.
        child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
    });
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`cli failed: ${(err as Error).stack ?? err}\n`);
            process.exitCode = 1;
        },
    );
}
