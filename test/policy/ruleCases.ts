// Loads each rule's own cases from beside its rule (policy/rules/<name>/cases.ts).

import * as fs from "fs";
import * as path from "path";

export const rulesDir = path.join(__dirname, "..", "..", "policy", "rules");

export function hasCasesFile(ruleName: string): boolean {
    return fs.existsSync(path.join(rulesDir, ruleName, "cases.ts"));
}

export { casesOf } from "../../policy/testing/replay";
