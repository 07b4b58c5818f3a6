// npm run schemas [-- --check] [--dir <folder>]: writes (or, with --check, compares)
// the JSON Schemas of the stack config and the exports contract in schemas/.

import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./cli/commands";
import { parseCommand } from "./cli/parse";

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("schemas", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { check: boolean; dir?: string };
    // Loaded only now: the schemas pull in zod and the program's schema modules, which --help must not wait for.
    const { schemaFiles, staleSchemaFiles } = await import("../plan/jsonSchemas");
    const dir = path.resolve(values.dir ?? path.join(repoRoot, "schemas"));
    const stale = staleSchemaFiles(dir);
    if (values.check) {
        for (const name of stale) process.stderr.write(`${path.relative(process.cwd(), path.join(dir, name))} is stale; run npm run schemas\n`);
        return stale.length > 0 ? 1 : 0;
    }
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(schemaFiles())) fs.writeFileSync(path.join(dir, name), text);
    process.stderr.write(`${stale.length === 0 ? "up to date" : `wrote ${stale.join(", ")}`} in ${path.relative(process.cwd(), dir) || "."}\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`schemas failed: ${(err as Error).message}\n`);
        process.exitCode = 1;
    },
);
