// Loads each rule's own cases from beside its rule (policy/rules/<name>/cases.ts).

import * as fs from "fs";
import * as path from "path";
import type { RuleCase } from "../../policy/testing/fixtures";

export const rulesDir = path.join(__dirname, "..", "..", "policy", "rules");

export function hasCasesFile(ruleName: string): boolean {
    return fs.existsSync(path.join(rulesDir, ruleName, "cases.ts"));
}

/** The `cases` a rule's folder exports; throws when the folder has none. */
export function casesOf(ruleName: string): readonly RuleCase[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is named at run time, one per rule
    const loaded = require(path.join(rulesDir, ruleName, "cases")) as { cases?: readonly RuleCase[] };
    if (!Array.isArray(loaded.cases)) throw new Error(`policy/rules/${ruleName}/cases.ts exports no 'cases' list`);
    return loaded.cases;
}
