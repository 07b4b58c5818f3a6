// The pack's catalogue: one rule per file, stable kebab-case names, a reason and a
// default level for each, and examples both ways for every rule.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { allRules } from "../../policy/rules";
import { casesOf, hasCasesFile, rulesDir } from "./ruleCases";

describe("policy pack catalogue", () => {
    it("lists at least the seventeen rules the tenancy issue names", () => {
        const names = allRules.map((r) => r.name);
        for (const required of [
            "cluster-scoped-names-prefixed",
            "daemonsets-node-scoped",
            "hostpath-allowlisted",
            "no-privileged-containers",
            "no-host-namespaces",
            "resources-requests-limits",
            "images-pinned",
            "no-shared-namespaces",
            "rbac-least-privilege",
            "namespaces-pod-security",
            "no-nodeport-loadbalancer",
            "storage-dynamic-only",
            "node-pools-labeled-tainted",
            "sysctls-safe",
            "workloads-land-on-domino-pools",
            "namespaces-quota-and-limits",
            "namespaces-default-deny",
        ]) {
            assert.ok(names.includes(required), `missing rule ${required}`);
        }
    });

    it("gives every rule a unique kebab-case name", () => {
        const names = allRules.map((r) => r.name);
        assert.equal(new Set(names).size, names.length);
        for (const n of names) assert.match(n, /^[a-z]+(-[a-z]+)*$/);
    });

    it("keeps each rule in its own folder, named after the rule", () => {
        const folders = fs.readdirSync(rulesDir).filter((f) => f !== "index.ts");
        assert.deepEqual(folders.sort(), allRules.map((r) => r.name).sort());
        for (const rule of allRules) {
            const source = fs.readFileSync(path.join(rulesDir, rule.name, "rule.ts"), "utf8");
            assert.ok(source.includes(`name: "${rule.name}"`), `${rule.name} is not defined in its own file`);
        }
    });

    it("says why each rule exists and makes it mandatory by default", () => {
        for (const rule of allRules) {
            assert.ok(rule.description.length >= 120, `${rule.name}: the description must say why, in a paragraph`);
            assert.equal(rule.enforcementLevel, "mandatory", rule.name);
        }
    });

    it("keeps every rule's cases beside it: each folder has rule.ts and cases.ts", () => {
        for (const folder of fs.readdirSync(rulesDir).filter((f) => f !== "index.ts")) {
            assert.ok(fs.existsSync(path.join(rulesDir, folder, "rule.ts")), `${folder} has no rule.ts`);
            assert.ok(hasCasesFile(folder), `${folder} has no cases.ts`);
        }
    });

    it("has a passing and a failing case for every rule", () => {
        for (const rule of allRules) {
            const cases = casesOf(rule.name);
            assert.ok(
                cases.some((c) => c.expect === null),
                `${rule.name} has no passing case`,
            );
            assert.ok(
                cases.some((c) => c.expect !== null),
                `${rule.name} has no failing case`,
            );
        }
    });

    it("keeps test fixtures out of the pack: neither pack.ts nor a rule imports policy/testing", () => {
        const sources = [path.join(rulesDir, "..", "pack.ts"), path.join(rulesDir, "index.ts"), ...allRules.map((r) => path.join(rulesDir, r.name, "rule.ts"))];
        for (const file of sources) assert.doesNotMatch(fs.readFileSync(file, "utf8"), /from "[./]*\/testing\//, file);
    });

    it("keeps rule modules free of side effects: nothing but the pack's entry constructs a PolicyPack", () => {
        for (const rule of allRules) assert.ok(!fs.readFileSync(path.join(rulesDir, rule.name, "rule.ts"), "utf8").includes("new PolicyPack"), rule.name);
        assert.ok(fs.readFileSync(path.join(rulesDir, "..", "pack.ts"), "utf8").includes("new PolicyPack"));
    });
});
