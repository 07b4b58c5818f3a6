// Every shipped stack's resource URNs against the committed snapshot (test/program/urns/):
// a refactor that changes a URN makes the engine delete the old resource and create a new
// one, which for a namespace means its volume claims. Regenerate on purpose: npm run urns.

import { strict as assert } from "assert";
import * as fs from "fs";
import { runPlan, shippedStacks } from "../../plan/engine";
import { readUrnSnapshot, urnChange, urnChangeMessage, urnSnapshotDir, urnSnapshotFile } from "../../plan/urnSnapshot";

describe("URN snapshot (test/program/urns/, regenerate on purpose with `npm run urns`)", function () {
    this.timeout(120000);

    for (const stack of shippedStacks()) {
        it(`${stack}: registers exactly the URNs of its snapshot, so no resource is replaced or deleted by a refactor`, async () => {
            const committed = readUrnSnapshot(urnSnapshotFile(stack));
            assert.ok(committed, `test/program/urns/${stack}.txt is missing; run npm run urns`);
            const plan = await runPlan({ stack, env: {} });
            const change = urnChange(
                committed,
                plan.resources.map((r) => r.urn),
            );
            assert.ok(change.removed.length === 0 && change.added.length === 0, urnChangeMessage(stack, change));
        });
    }

    it("has a snapshot for shipped stacks only, so a removed stack does not leave a stale one", () => {
        const files = fs
            .readdirSync(urnSnapshotDir)
            .map((f) => f.replace(/\.txt$/, ""))
            .sort();
        assert.deepEqual(files, shippedStacks(), "run npm run urns, and delete the snapshots of stacks that no longer exist");
    });

    it("names what would be deleted and both ways out (an alias, or regenerating) when a URN disappears", () => {
        const message = urnChangeMessage("prod-aws", urnChange(["urn:a", "urn:b"], ["urn:b", "urn:c"]));
        assert.match(message, /DELETED[\s\S]*- urn:a/);
        assert.match(message, /aliases/);
        assert.match(message, /\+ urn:c/);
        assert.match(message, /npm run urns/);
    });
});
