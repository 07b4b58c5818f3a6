// npm run urns [-- --check] [--stack <name>]: writes (or, with --check, compares) the URN
// snapshot of every shipped stack in test/program/urns/ (plan/urnSnapshot.ts).

import * as fs from "fs";
import * as path from "path";
import { parseCommand } from "./cli/parse";

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("urns", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as { check: boolean; stack?: string[] };
    // Loaded only now: the plan engine pulls in the whole program, which --help must not wait for.
    const { runPlan, shippedStacks } = await import("../plan/engine");
    const { readUrnSnapshot, urnChange, urnChangeMessage, urnSnapshotFile, urnSnapshotText } = await import("../plan/urnSnapshot");
    let failed = 0;
    for (const stack of values.stack && values.stack.length > 0 ? values.stack : shippedStacks()) {
        const plan = await runPlan({ stack });
        const file = urnSnapshotFile(stack);
        const relative = path.relative(process.cwd(), file);
        const committed = readUrnSnapshot(file);
        const change = urnChange(
            committed ?? [],
            plan.resources.map((r) => r.urn),
        );
        const same = committed !== undefined && change.removed.length === 0 && change.added.length === 0;
        if (values.check) {
            if (committed === undefined) process.stderr.write(`${relative} is missing; run npm run urns\n`);
            else if (!same) process.stderr.write(`${urnChangeMessage(stack, change)}\n`);
            if (!same) failed++;
            continue;
        }
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, urnSnapshotText(plan));
        process.stderr.write(
            same ? `${relative}: up to date\n` : `${relative}: wrote ${plan.resources.length} URNs (-${change.removed.length} +${change.added.length})\n`,
        );
    }
    return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
        process.stderr.write(`urns failed: ${(err as Error).message}\n`);
        process.exitCode = 2;
    },
);
