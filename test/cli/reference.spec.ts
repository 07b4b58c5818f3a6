// The command reference (docs/reference/commands.md) is generated from scripts/cli/commands.ts; this keeps it fresh.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { reference } from "../../scripts/cli";
import { commands } from "../../scripts/cli/commands";
import { commandReferenceFile, referenceBlock, renderCommandReference, withReference } from "../../scripts/cli/reference";

const root = path.join(__dirname, "..", "..");

describe("command reference (npm run cli -- reference)", () => {
    it(`${commandReferenceFile}'s block is exactly what the registry generates now (run \`npm run cli -- reference\` when this fails)`, () => {
        const doc = fs.readFileSync(path.join(root, commandReferenceFile), "utf8");
        assert.equal(referenceBlock(doc).block, `\n${renderCommandReference()}\n`, `${commandReferenceFile} is stale: run \`npm run cli -- reference\``);
    });

    it("has a section for every entry point with its options and exit codes", () => {
        const text = renderCommandReference();
        for (const c of commands) {
            assert.ok(text.includes(`## \`npm run ${c.script}\``), c.script);
            for (const o of [...(c.options ?? []), ...(c.subcommands ?? []).flatMap((s) => s.options ?? [])])
                assert.ok(text.includes(`\`${o.flags}\``), `${c.script} ${o.flags}`);
        }
    });

    it("--check exits 1 on a stale block and 0 after a write", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-ref-"));
        const file = path.join(dir, "commands.md");
        fs.writeFileSync(file, withReference("# x\n<!-- command-reference:start -->\n<!-- command-reference:end -->\n", "old"));
        const io = { out: () => undefined, err: () => undefined };
        assert.equal(reference(["--check"], io, file), 1);
        assert.equal(reference([], io, file), 0);
        assert.equal(reference(["--check"], io, file), 0);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
