// The URN snapshot: every resource URN each shipped stack registers, committed under
// test/program/urns/. A URN is a resource's identity in the state: when a refactor changes
// one (a renamed component, a new parent, a changed logical name), the engine deletes the old
// resource and creates a new one. test/program/urnSnapshot.spec.ts fails on such a change;
// `npm run urns` regenerates the files when a change is meant.

import * as fs from "fs";
import * as path from "path";
import { Plan, repoRoot } from "./engine";

export const urnSnapshotDir = path.join(repoRoot, "test", "program", "urns");

export function urnSnapshotFile(stack: string, dir: string = urnSnapshotDir): string {
    return path.join(dir, `${stack}.txt`);
}

/** The snapshot's text: a header that says how to regenerate it, then one URN a line, sorted. */
export function urnSnapshotText(plan: Plan): string {
    const urns = plan.resources.map((r) => r.urn).sort();
    return [`# Every resource URN stack ${plan.stack} registers (offline plan). Regenerate on purpose: npm run urns`, ...urns, ""].join("\n");
}

/** The URNs a snapshot file lists; undefined when there is none. */
export function readUrnSnapshot(file: string): string[] | undefined {
    if (!fs.existsSync(file)) return undefined;
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#"));
}

export interface UrnChange {
    /** In the snapshot, no longer registered: the engine would delete these (or replace them under their new URN). */
    readonly removed: readonly string[];
    /** Registered, not in the snapshot: new resources, or the new side of a replacement. */
    readonly added: readonly string[];
}

export function urnChange(committed: readonly string[], current: readonly string[]): UrnChange {
    const now = new Set(current);
    const before = new Set(committed);
    return { removed: committed.filter((u) => !now.has(u)), added: current.filter((u) => !before.has(u)) };
}

/** What a reviewer reads when the snapshot does not match: what would go, and the two ways out. */
export function urnChangeMessage(stack: string, change: UrnChange): string {
    const lines = [`stack ${stack}: the resource URNs differ from test/program/urns/${stack}.txt.`];
    if (change.removed.length > 0) {
        lines.push(
            `These would be DELETED (or replaced, if they moved to a new URN), and with a namespace go its volume claims:`,
            ...change.removed.map((u) => `  - ${u}`),
            `If a refactor renamed or re-parented them, keep them: add \`aliases\` to their resource options (the old name/parent/type),`,
            `so the engine moves them instead. If the removal is meant, regenerate the snapshot: npm run urns`,
        );
    }
    if (change.added.length > 0) {
        lines.push(
            `New URNs, not in the snapshot:`,
            ...change.added.map((u) => `  + ${u}`),
            `If they are meant (new resources), regenerate the snapshot: npm run urns`,
        );
    }
    return lines.join("\n");
}
