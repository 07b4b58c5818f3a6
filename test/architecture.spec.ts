// The layering the restructure promised, checked over the source text:
//   (a) the core (components/core) imports no Pulumi runtime package, only its types,
//       so the pack can bundle it and tests can call it without mocks;
//   (b) the policy pack reaches nothing outside policy/ by relative path, only the
//       packages it declares, so it builds and ships on its own;
//   (c) outside the core, the core is imported by its package name only, so it stays
//       one package with one public surface;
//   (d) a concern of the model (a folder of components/model) never imports the
//       composition (model.ts with buildModel, schema.ts with tenancyConfigSchema), so
//       data flows one way: concerns into the composition, never back.
// Imports are read with regular expressions, type-only ones included where (b) and (c)
// say so; each checker is also fed a bad snippet, so none passes by reading nothing.

import { strict as assert } from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";

const root = path.join(__dirname, "..");
const coreDir = path.join(root, "components", "core");
const policyDir = path.join(root, "policy");

export interface ImportRef {
    readonly spec: string;
    /** `import type ...`, `export type ... from`, or braces naming types only: erased at compile time. */
    readonly typeOnly: boolean;
}

/** Every module a TypeScript source names: import/export ... from, bare import, require(), import(). */
export function importsOf(source: string): ImportRef[] {
    // Comments could name modules; strings with "//" in them (URLs) are left alone.
    const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const refs: ImportRef[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*["']([^"']+)["']/gm)) {
        const braces = /^\{([^}]*)\}$/.exec(m[2].trim());
        const names = braces
            ? braces[1]
                  .split(",")
                  .map((n) => n.trim())
                  .filter(Boolean)
            : [];
        const allTypes = names.length > 0 && names.every((n) => n.startsWith("type "));
        refs.push({ spec: m[3], typeOnly: !!m[1] || allTypes });
    }
    for (const m of text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) refs.push({ spec: m[1], typeOnly: false });
    for (const m of text.matchAll(/\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g)) refs.push({ spec: m[1], typeOnly: false });
    return refs;
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(spec: string): string {
    const parts = spec.split("/");
    return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const inside = (dir: string, file: string) => {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
};

const pulumiRuntime = /^@pulumi\/(pulumi|kubernetes|aws|gcp|policy)(\/|$)/;

/** (a) A core file may name a Pulumi runtime package in type-only imports alone. */
export function coreProblems(file: string, source: string): string[] {
    return importsOf(source)
        .filter((i) => pulumiRuntime.test(i.spec) && !i.typeOnly)
        .map((i) => `${file}: imports ${i.spec} at run time (the core may only \`import type\` from it)`);
}

/** (b) A pack file may import inside policy/, node builtins, or the packages policy/package.json declares. */
export function policyProblems(file: string, source: string, declared: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    for (const { spec } of importsOf(source)) {
        if (spec.startsWith(".")) {
            if (!inside(policyDir, path.resolve(path.dirname(file), spec))) problems.push(`${path.relative(root, file)}: imports ${spec}, outside policy/`);
        } else if (!spec.startsWith("node:") && !builtinModules.includes(spec) && !declared.has(packageOf(spec))) {
            problems.push(`${path.relative(root, file)}: imports ${spec}, a package policy/package.json does not declare`);
        }
    }
    return problems;
}

/** (c) Outside the core, a relative import must not land in components/core. */
export function coreByPathProblems(file: string, source: string): string[] {
    if (inside(coreDir, file)) return [];
    return importsOf(source)
        .filter((i) => i.spec.startsWith(".") && inside(coreDir, path.resolve(path.dirname(file), i.spec)))
        .map((i) => `${path.relative(root, file)}: imports the core by path (${i.spec}); use "@domino-tenancy/core"`);
}

const modelDir = path.join(root, "components", "model");
/** The composition of the model's concerns, by module path without extension. */
const compositions = ["model", "schema"].map((m) => path.join(modelDir, m));

/** (d) A file in a concern folder of components/model may not import model.ts or schema.ts of components/model. */
export function concernProblems(file: string, source: string): string[] {
    if (!inside(modelDir, file) || path.dirname(file) === modelDir) return [];
    return importsOf(source)
        .filter((i) => i.spec.startsWith(".") && compositions.includes(path.resolve(path.dirname(file), i.spec).replace(/\.ts$/, "")))
        .map(
            (i) =>
                `${path.relative(root, file)}: imports the model's composition (${i.spec}); a concern imports only other concerns, issues.ts and primitives.ts`,
        );
}

const skipped = new Set(["node_modules", "dist", "bin", ".git", "out"]);

function tsFiles(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith(".") || skipped.has(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...tsFiles(full));
        else if (entry.name.endsWith(".ts")) out.push(full);
    }
    return out;
}

function declaredByPack(): Set<string> {
    const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    return new Set(["dependencies", "devDependencies", "peerDependencies"].flatMap((k) => Object.keys(pkg[k] ?? {})));
}

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("architecture", () => {
    describe("reading imports", () => {
        it("finds import, export-from, bare import, require() and import(), spread over lines, and which are type-only", () => {
            const refs = importsOf(
                [
                    'import * as a from "a";',
                    'import type { B } from "b";',
                    'import {\n    type C,\n    type D,\n} from "c";',
                    'import { type E, F } from "e";',
                    'export { G } from "./g";',
                    'export type { H } from "./h";',
                    'import "side-effect";',
                    'const i = require("i");',
                    'const j = await import("j");',
                    '// import { K } from "commented-out";',
                    '/* import { L } from "commented-out"; */',
                    'const url = "https://example.invalid"; // not an import',
                ].join("\n"),
            );
            assert.deepEqual(refs, [
                { spec: "a", typeOnly: false },
                { spec: "b", typeOnly: true },
                { spec: "c", typeOnly: true },
                { spec: "e", typeOnly: false },
                { spec: "./g", typeOnly: false },
                { spec: "./h", typeOnly: true },
                { spec: "side-effect", typeOnly: false },
                { spec: "i", typeOnly: false },
                { spec: "j", typeOnly: false },
            ]);
        });
    });

    describe("(a) the core imports no Pulumi runtime package", () => {
        it("reports a runtime import of @pulumi/pulumi and lets a type-only one pass", () => {
            const file = path.join(coreDir, "bad.ts");
            assert.deepEqual(coreProblems(file, 'import * as pulumi from "@pulumi/pulumi";'), [
                `${file}: imports @pulumi/pulumi at run time (the core may only \`import type\` from it)`,
            ]);
            assert.equal(coreProblems(file, 'const k = require("@pulumi/kubernetes/core/v1");').length, 1);
            assert.deepEqual(coreProblems(file, 'import type * as k8s from "@pulumi/kubernetes";\nimport { type Input } from "@pulumi/pulumi";'), []);
        });

        it("holds for every file of components/core", () => {
            const files = tsFiles(coreDir);
            assert.ok(files.length >= 8, `expected the core's modules, found ${files.length}`);
            assert.deepEqual(
                files.flatMap((f) => coreProblems(path.relative(root, f), read(f))),
                [],
            );
        });
    });

    describe("(b) the policy pack stays inside policy/ and its declared packages", () => {
        const declared = declaredByPack();

        it("reports a relative import that leaves policy/ and an undeclared package, and lets the declared ones pass", () => {
            const file = path.join(policyDir, "rules", "some-rule", "rule.ts");
            assert.deepEqual(policyProblems(file, 'import { x } from "../../../components/core/names";', declared), [
                "policy/rules/some-rule/rule.ts: imports ../../../components/core/names, outside policy/",
            ]);
            assert.deepEqual(policyProblems(file, 'import type { Z } from "zod";', declared), [
                "policy/rules/some-rule/rule.ts: imports zod, a package policy/package.json does not declare",
            ]);
            assert.deepEqual(
                policyProblems(
                    file,
                    'import { a } from "../../lib/rule";\nimport * as fs from "fs";\nimport * as p from "node:path";\nimport { b } from "@domino-tenancy/core";\nimport type { S } from "@pulumi/policy/schema";',
                    declared,
                ),
                [],
            );
        });

        it("holds for every TypeScript file of policy/", () => {
            const files = tsFiles(policyDir);
            assert.ok(
                files.some((f) => f.endsWith(path.join("rules", "index.ts"))),
                "policy/rules/index.ts was not scanned",
            );
            assert.deepEqual(
                files.flatMap((f) => policyProblems(f, read(f), declared)),
                [],
            );
        });
    });

    describe("(c) the core is imported by its package name only", () => {
        it("reports a relative import of the core from outside it, and allows one inside it", () => {
            const outside = path.join(root, "components", "kubernetes", "namespace.ts");
            assert.deepEqual(coreByPathProblems(outside, 'import type { PoolRole } from "../core/vocabulary";'), [
                'components/kubernetes/namespace.ts: imports the core by path (../core/vocabulary); use "@domino-tenancy/core"',
            ]);
            assert.equal(coreByPathProblems(path.join(root, "test", "core", "x.spec.ts"), 'import { container } from "../../components/core";').length, 1);
            assert.deepEqual(coreByPathProblems(path.join(coreDir, "index.ts"), 'export * from "./names";'), []);
        });

        it("holds for every TypeScript file of the repository", () => {
            const files = tsFiles(root);
            assert.ok(
                files.some((f) => f.startsWith(path.join(root, "test"))) && files.some((f) => f.startsWith(policyDir)),
                "the scan missed test/ or policy/",
            );
            assert.deepEqual(
                files.flatMap((f) => coreByPathProblems(f, read(f))),
                [],
            );
        });
    });

    describe("(d) the model's concerns never import its composition", () => {
        it("reports a concern importing model.ts or schema.ts, and lets other concerns, issues.ts and the composition itself pass", () => {
            const concern = path.join(modelDir, "install", "model.ts");
            assert.deepEqual(
                concernProblems(concern, 'import type { DeploymentModel } from "../model";\nimport { tenancyConfigSchema } from "../schema.ts";'),
                [
                    "components/model/install/model.ts: imports the model's composition (../model); a concern imports only other concerns, issues.ts and primitives.ts",
                    "components/model/install/model.ts: imports the model's composition (../schema.ts); a concern imports only other concerns, issues.ts and primitives.ts",
                ],
            );
            assert.deepEqual(
                concernProblems(
                    concern,
                    'import type { Issues } from "../issues";\nimport { majorOf } from "./releases";\nimport type { InstallConfig } from "./schema";',
                ),
                [],
            );
            assert.deepEqual(
                concernProblems(
                    path.join(modelDir, "model.ts"),
                    'import { resolveInstall } from "./install/model";\nimport { parseTenancyConfig } from "./schema";',
                ),
                [],
            );
        });

        it("holds for every file of components/model", () => {
            const files = tsFiles(modelDir).filter((f) => path.dirname(f) !== modelDir);
            assert.ok(files.length >= 8, `expected the model's concern modules, found ${files.length}`);
            assert.deepEqual(
                files.flatMap((f) => concernProblems(f, read(f))),
                [],
            );
        });
    });
});
