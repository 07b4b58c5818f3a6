// The published JSON Schemas (schemas/*.schema.json): generated from the zod schemas,
// committed, and never stale.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { stackExportsSchema } from "../../components/contract/exports";
import { repoRoot } from "../../plan/engine";
import { schemaFiles, staleSchemaFiles } from "../../plan/jsonSchemas";

type JsonSchema = {
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: unknown;
    default?: unknown;
    description?: string;
    definitions?: Record<string, JsonSchema>;
    $ref?: string;
};

const committed = (name: string): JsonSchema => JSON.parse(fs.readFileSync(path.join(repoRoot, "schemas", name), "utf8"));

describe("published JSON Schemas", () => {
    it("are committed exactly as npm run schemas generates them", () => {
        assert.deepEqual(staleSchemaFiles(path.join(repoRoot, "schemas")), [], "run npm run schemas and commit schemas/");
    });

    it("report a stale or missing file, and the CLI's --check fails on it @slow", function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schemas-"));
        try {
            for (const [name, text] of Object.entries(schemaFiles())) fs.writeFileSync(path.join(dir, name), text);
            assert.deepEqual(staleSchemaFiles(dir), []);
            const exportsFile = path.join(dir, "stack-exports.schema.json");
            fs.writeFileSync(exportsFile, fs.readFileSync(exportsFile, "utf8").replace('"deploymentName"', '"deployment"'));
            fs.rmSync(path.join(dir, "stack-config.schema.json"));
            assert.deepEqual(staleSchemaFiles(dir).sort(), ["stack-config.schema.json", "stack-exports.schema.json"]);
            const r = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts", "schemas.ts"), "--check", "--dir", dir], {
                cwd: repoRoot,
                encoding: "utf8",
            });
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stderr, /stack-exports\.schema\.json is stale/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("describe the stack file: the tenancy object under <project>:tenancy, with descriptions and defaults", () => {
        const schema = committed("stack-config.schema.json");
        const ref = schema.properties?.config?.properties?.["domino-tenancy:tenancy"]?.$ref;
        assert.equal(ref, "#/definitions/tenancy");
        const tenancy = schema.definitions!.tenancy;
        assert.equal(tenancy.additionalProperties, false, "unknown keys are rejected, as the program does");
        assert.deepEqual(tenancy.required, ["cloud", "domino"]);
        assert.equal(tenancy.properties!.isolation.default, "dedicated");
        assert.equal(tenancy.properties!.environment.default, "dev");
        for (const [key, prop] of Object.entries(tenancy.properties!)) assert.ok(prop.description, `tenancy.${key} has no description`);
    });

    it("know every key the shipped stack files use", () => {
        const tenancy = committed("stack-config.schema.json").definitions!.tenancy;
        for (const file of fs.readdirSync(path.join(repoRoot, "stacks")).filter((f) => f.endsWith(".yaml"))) {
            const doc = yaml.load(fs.readFileSync(path.join(repoRoot, "stacks", file), "utf8")) as { config: Record<string, Record<string, unknown>> };
            for (const key of Object.keys(doc.config["domino-tenancy:tenancy"])) assert.ok(tenancy.properties![key], `${file}: ${key}`);
        }
    });

    it("describe the exports contract: every field required", () => {
        const schema = committed("stack-exports.schema.json");
        assert.deepEqual([...(schema.required ?? [])].sort(), Object.keys(stackExportsSchema.shape).sort());
    });
});
