// `npm run plan`: the file format reviewers and the policy checker rely on, and its
// behaviour on invalid config.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const plan = (...args: string[]) =>
    spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "plan.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG: "" },
    });

describe("plan command @slow", function () {
    this.timeout(60000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes exactly the documented JSON with --out, secrets hidden, nothing else on stdout", () => {
        const out = path.join(dir, "byo.json");
        const r = plan("--stack", "byo", "--json", "--out", out);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "");
        const doc = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.deepEqual(Object.keys(doc), ["project", "stack", "resources"]);
        assert.deepEqual(Object.keys(doc.resources[0]), ["urn", "type", "name", "parent", "custom", "inputs", "options"]);
        const provider = doc.resources.find((r: { type: string }) => r.type === "pulumi:providers:kubernetes");
        assert.equal(provider.inputs.kubeconfig, "[secret]");
    });

    it("exits 2 on invalid config with the errors on stderr and no resource printed", () => {
        const file = path.join(dir, "Pulumi.bad.yaml");
        fs.writeFileSync(file, "config:\n  domino-tenancy:tenancy:\n    cloud: azure\n");
        const r = plan("--config", file, "--json");
        assert.equal(r.status, 2);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /tenancy.cloud/);
        assert.match(r.stderr, /No resources were planned/);
    });
});
