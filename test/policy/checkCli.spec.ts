// `npm run policy -- check`: the verdict, the output formats and the exit codes a
// pull request's job relies on, and the policy config it accepts.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPlan, PolicyConfigError, validatePackConfig } from "../../policy/lib/check";
import { podSpec, shippedPlan } from "../helpers/policyPlans";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function cli(...args: string[]) {
    const r = spawnSync(tsx, [path.join(root, "scripts", "policy.ts"), ...args], { encoding: "utf8", cwd: root });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("policy check command @slow", function () {
    this.timeout(60000);
    let dir: string;
    const file = (name: string, content: unknown) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
        return p;
    };

    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 0 on a shipped stack's plan and says there is nothing mandatory", async () => {
        const r = cli("check", file("ok.json", await shippedPlan("local")));
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /0 violation\(s\), 0 mandatory/);
    });

    it("exits 1 with one line per violation naming policy, level and URN", async () => {
        const plan = await shippedPlan("local");
        delete podSpec(plan, "DaemonSet", "nvidia-device-plugin").nodeSelector;
        const r = cli("check", file("broken.json", plan));
        assert.equal(r.code, 1);
        assert.match(
            r.stdout,
            /^mandatory +daemonsets-node-scoped +urn:pulumi:local::domino-tenancy::.*DaemonSet::domino-device-plugin-nvidia-device-plugin +DaemonSet domino-device-plugin\/nvidia-device-plugin selects no nodes/m,
        );
    });

    it("prints {violations: [...]} with --json", async () => {
        const plan = await shippedPlan("local");
        podSpec(plan, "DaemonSet", "nvidia-device-plugin").containers[0].image = "k8s-device-plugin";
        const r = cli("check", file("json.json", plan), "--json");
        assert.equal(r.code, 1);
        const out = JSON.parse(r.stdout) as { violations: { policy: string; enforcementLevel: string; urn: string | null; message: string }[] };
        assert.deepEqual(Object.keys(out.violations[0]).sort(), ["enforcementLevel", "message", "policy", "urn"]);
        assert.equal(out.violations[0].policy, "images-pinned");
    });

    it("exits 0 when config makes the only violated rule advisory, still listing it", async () => {
        const plan = await shippedPlan("local");
        podSpec(plan, "DaemonSet", "nvidia-device-plugin").containers[0].image = "k8s-device-plugin:latest";
        const r = cli("check", file("adv.json", plan), "--config", file("adv-config.json", { "images-pinned": "advisory" }));
        assert.equal(r.code, 0, r.stdout);
        assert.match(r.stdout, /^advisory +images-pinned/m);
    });

    it("exits 2 with a clear message for a missing plan, a non-JSON plan, a plan without resources and a bad config", async () => {
        for (const [args, why] of [
            [["check", path.join(dir, "absent.json")], /cannot read plan .*absent.json: ENOENT/],
            [["check", file("text.json", "not json")], /is not JSON/],
            [["check", file("empty.json", { stack: "x" })], /has no resources list/],
            [
                ["check", file("ok2.json", { resources: [] }), "--config", file("bad-config.json", { "no-such-rule": "mandatory" })],
                /no-such-rule: no such policy/,
            ],
            [["lint", "x.json"], /unknown command 'lint'/],
        ] as [string[], RegExp][]) {
            const r = cli(...args);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}`);
            assert.match(r.stderr, why);
        }
    });
});

describe("policy config", () => {
    it("checks each entry against its rule's JSON schema as the engine does, naming every problem with its path", () => {
        assert.throws(
            () =>
                validatePackConfig({
                    "hostpath-allowlisted": {
                        enforcementLevel: "advisory",
                        allowedHostPaths: [{ workload: "a/b", path: "/x", readOnly: true, colour: "red" }],
                    },
                }),
            (err: PolicyConfigError) =>
                err.problems.length === 2 &&
                err.problems.some((p) => p === "hostpath-allowlisted.allowedHostPaths[0]: missing required property 'reason'") &&
                err.problems.some((p) => p === "hostpath-allowlisted.allowedHostPaths[0].colour: unknown property"),
        );
    });

    it("accepts a complete entry with its enforcement level", () => {
        const config = {
            "hostpath-allowlisted": { enforcementLevel: "advisory", allowedHostPaths: [{ workload: "a/b", path: "/x", readOnly: true, reason: "test" }] },
        };
        assert.deepEqual(validatePackConfig(config), config);
    });

    it("rejects an unknown enforcement level inside an entry", () => {
        assert.throws(
            () => validatePackConfig({ "images-pinned": { enforcementLevel: "sometimes" } }),
            /images-pinned.enforcementLevel: 'sometimes'; allowed: advisory, mandatory, remediate, disabled/,
        );
    });

    it("names every problem at once: unknown settings, wrong types and unknown levels", () => {
        assert.throws(
            () => validatePackConfig({ "images-pinned": { requireDigests: "yes", digests: true }, "hostpath-allowlisted": "strict" }),
            (err: PolicyConfigError) =>
                err.problems.length === 3 &&
                err.problems.some((p) => /images-pinned.requireDigests: expected boolean/.test(p)) &&
                err.problems.some((p) => /images-pinned.digests: no such setting \(known: requireDigests\)/.test(p)) &&
                err.problems.some((p) => /hostpath-allowlisted: enforcement level 'strict'/.test(p)),
        );
    });

    it("adds configured exceptions to the built-in ones instead of replacing them", async () => {
        const plan = await shippedPlan("local");
        const config = validatePackConfig({ "hostpath-allowlisted": { allowedHostPaths: [{ workload: "x/y", path: "/z", readOnly: true, reason: "test" }] } });
        assert.deepEqual(checkPlan(plan, config), []);
    });

    it("turns a rule off with the disabled level", async () => {
        const plan = await shippedPlan("local");
        delete podSpec(plan, "DaemonSet", "nvidia-device-plugin").nodeSelector;
        const found = checkPlan(plan, { "daemonsets-node-scoped": "disabled", "workloads-land-on-domino-pools": "disabled" });
        assert.deepEqual(found, []);
    });
});
