// The configuration reference (docs/reference/configuration.md) is generated from the
// zod schema; these specs keep it complete (every key path, enum and default, checked
// against zod's own JSON Schema export, an independent walk) and fresh (the page's
// block is exactly what the generator writes now).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { tenancyConfigSchema } from "../../components/model/schema";
import { main } from "../../scripts/config";
import { configReferenceFile, isStale, ReferenceMarkerError, referenceBlock, referenceRows, renderReference, withReference } from "../../plan/configReference";
import { repoRoot } from "../../plan/engine";

interface JsonSchemaNode {
    type?: string;
    properties?: Record<string, JsonSchemaNode>;
    items?: JsonSchemaNode;
    enum?: unknown[];
    default?: unknown;
    description?: string;
}

/** Every key path zod's JSON Schema export has, with the node found there. */
function jsonSchemaPaths(node: JsonSchemaNode, at: string, out: Map<string, JsonSchemaNode> = new Map()): Map<string, JsonSchemaNode> {
    out.set(at, node);
    if (node.type === "object" && node.properties) {
        for (const [key, child] of Object.entries(node.properties)) jsonSchemaPaths(child, `${at}.${key}`, out);
    } else if (node.type === "array" && node.items?.type === "object" && node.items.properties) {
        jsonSchemaPaths(node.items, `${at}[]`, out);
    }
    return out;
}

const expected = jsonSchemaPaths(z.toJSONSchema(tenancyConfigSchema, { io: "input", reused: "inline" }) as JsonSchemaNode, "tenancy");
const rows = referenceRows(tenancyConfigSchema);
const rowAt = new Map(rows.map((r) => [r.path, r]));

function capture(argv: string[], referenceFile: string): { code: number; err: string } {
    const err: string[] = [];
    const code = main(argv, { out: () => undefined, err: (l) => err.push(l) }, { env: {}, referenceFile });
    return { code, err: err.join("\n") };
}

describe("configuration reference (npm run config -- reference)", () => {
    it(`${configReferenceFile}'s block is exactly what the schema generates now (run \`npm run config -- reference\` when this fails)`, () => {
        const doc = fs.readFileSync(path.join(repoRoot, configReferenceFile), "utf8");
        const generated = renderReference(rows);
        assert.equal(referenceBlock(doc).block, `\n${generated}\n`, `${configReferenceFile} is stale: run \`npm run config -- reference\``);
    });

    it("lists every key path of the schema, leaves and objects, and no other", () => {
        assert.ok(expected.size > 50, `fixture: the JSON Schema walk found only ${expected.size} paths`);
        assert.deepEqual([...rowAt.keys()].sort(), [...expected.keys()].sort());
        const leaves = [...expected.entries()].filter(([, n]) => !(n.type === "object" && n.properties)).map(([p]) => p);
        const rendered = renderReference(rows);
        for (const leaf of leaves) assert.ok(rendered.includes(`| \`${leaf}\` |`), `no row for ${leaf}`);
    });

    it("states every enum's values, every default and every required key the schema has", () => {
        for (const [p, node] of expected) {
            const row = rowAt.get(p);
            assert.ok(row, p);
            for (const value of node.enum ?? []) assert.ok(row.allowed.includes(`\`${String(value)}\``), `${p}: ${String(value)} not listed`);
            if ("default" in node) assert.deepEqual(row.default, node.default, `${p}: default`);
            else assert.ok(!("default" in row), `${p}: a default the schema does not have`);
        }
        // Required-ness from the parent objects' `required` lists in zod's export.
        const requiredIn = (p: string): boolean => {
            const cut = p.lastIndexOf(".");
            const parent = expected.get(p.slice(0, cut)) as JsonSchemaNode & { required?: string[] };
            return parent.required?.includes(p.slice(cut + 1)) ?? false;
        };
        for (const p of expected.keys()) if (p !== "tenancy" && !p.endsWith("[]")) assert.equal(rowAt.get(p)?.required, requiredIn(p), `${p}: required`);
    });

    it("gives every key a description from the schema (add .describe() with a new key)", () => {
        const undescribed = rows.filter((r) => r.path !== "tenancy" && !r.path.endsWith("[]") && !r.description).map((r) => r.path);
        assert.deepEqual(undescribed, []);
    });

    it("shows each bound and the schema's own messages for what is allowed", () => {
        assert.deepEqual(rowAt.get("tenancy.nodePools[].minSize")?.allowed, ["0 to 1000"]);
        assert.deepEqual(rowAt.get("tenancy.plumbing.maxMapCount")?.allowed, [
            "must be at least 262144 (Elasticsearch's bootstrap check)",
            "at most 2147483647",
        ]);
        // The pool name narrows the DNS label's 63 to 32: only the tighter bound is shown.
        assert.equal(rowAt.get("tenancy.nodePools[].name")?.allowed[0], "must be at most 32 characters (cloud node group names are short)");
        assert.match(rowAt.get("tenancy.plumbing.devicePluginImage")?.allowed.join("; ") ?? "", /must be pinned/);
        assert.equal(rowAt.get("tenancy.domino.storageClasses.block.parameters")?.type, "map of string to string");
    });

    describe("--check", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-reference-"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        const pageWith = (block: string): string => {
            const file = path.join(dir, `configuration-${Math.random().toString(36).slice(2)}.md`);
            fs.writeFileSync(file, `# x\n\n## Configuration reference\n\n<!-- config-reference:start -->${block}<!-- config-reference:end -->\n\n## After\n`);
            return file;
        };

        it("exits 1 on a stale block, and writing the reference makes it pass without touching the rest", () => {
            const file = pageWith("\n| `tenancy.cloud` | enum | yes | | old | |\n");
            const stale = capture(["reference", "--check"], file);
            assert.equal(stale.code, 1);
            assert.match(stale.err, /configuration-\w+\.md: the configuration reference is stale; run `npm run config -- reference`/);

            assert.equal(capture(["reference"], file).code, 0);
            const written = fs.readFileSync(file, "utf8");
            assert.ok(written.startsWith("# x\n\n## Configuration reference\n\n<!-- config-reference:start -->\n"));
            assert.ok(written.endsWith("\n<!-- config-reference:end -->\n\n## After\n"));
            assert.equal(capture(["reference", "--check"], file).code, 0);
        });

        it("exits 2 when the page lacks the markers, or has them twice", () => {
            const none = path.join(dir, "configuration-none.md");
            fs.writeFileSync(none, "# x\n");
            assert.equal(capture(["reference", "--check"], none).code, 2);
            assert.equal(capture(["reference"], none).code, 2);
            const twice = pageWith("\n<!-- config-reference:start -->\n");
            assert.throws(() => referenceBlock(fs.readFileSync(twice, "utf8")), ReferenceMarkerError);
        });

        it("is stale whenever the block differs from the generated reference, even by a space", () => {
            const fresh = withReference("<!-- config-reference:start --><!-- config-reference:end -->", "GENERATED");
            assert.equal(isStale(fresh, "GENERATED"), false);
            assert.equal(isStale(fresh.replace("GENERATED", "GENERATED "), "GENERATED"), true);
            assert.equal(isStale(fresh, "GENERATED2"), true);
        });
    });
});
