// The policy pack's checker, loaded at run time: the pack is written alongside the
// bench, so the bench type-checks and runs whether or not it is there yet, and says
// why it skips the policy part when it is not.

import * as fs from "fs";
import * as path from "path";
import type { PlanResource } from "../../plan/engine";
import { repoRoot } from "./common";

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly urn: string | null;
    readonly message: string;
}

export interface RuleLike {
    readonly name: string;
    readonly validateResource?: unknown;
    readonly validateStack?: unknown;
}

export interface PolicyPack {
    checkPlan(plan: { resources: PlanResource[] }, config?: unknown): Violation[];
    readonly allRules: readonly RuleLike[];
    readonly resourceRules: readonly string[];
    readonly stackRules: readonly string[];
}

export const checkerPath = path.join(repoRoot, "policy", "lib", "check.ts");
export const rulesPath = path.join(repoRoot, "policy", "rules", "index.ts");

/** The pack, or why it cannot be used. */
export function loadPolicyPack(): PolicyPack | { readonly skip: string } {
    for (const file of [checkerPath, rulesPath]) {
        if (!fs.existsSync(file)) return { skip: `${path.relative(repoRoot, file)} does not exist (yet)` };
    }
    let checker: { checkPlan?: unknown };
    let rules: { allRules?: unknown };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        checker = require(checkerPath) as typeof checker;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        rules = require(rulesPath) as typeof rules;
    } catch (err) {
        return { skip: `the policy pack does not load: ${(err as Error).message.split("\n")[0]}` };
    }
    if (typeof checker.checkPlan !== "function") return { skip: "policy/lib/check.ts exports no checkPlan function" };
    if (!Array.isArray(rules.allRules) || rules.allRules.length === 0) return { skip: "policy/rules/index.ts exports no allRules array" };
    const allRules = rules.allRules as RuleLike[];
    return {
        checkPlan: checker.checkPlan as PolicyPack["checkPlan"],
        allRules,
        resourceRules: allRules.filter((r) => r.validateResource).map((r) => r.name),
        stackRules: allRules.filter((r) => !r.validateResource && r.validateStack).map((r) => r.name),
    };
}

/** Pack config that leaves only the named rules on (the others "disabled", as --policy-pack-config would). */
export function onlyRules(pack: PolicyPack, names: readonly string[]): Record<string, string> {
    return Object.fromEntries(pack.allRules.map((r) => [r.name, names.includes(r.name) ? "mandatory" : "disabled"]));
}
