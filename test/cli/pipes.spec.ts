// Machine output arrives whole through a pipe whose reader is slow: the process must not
// exit before stdout drains (a pipe holds 64 KiB; the rest used to be lost).

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { podSpec, resource, shippedPlan } from "../helpers/policyPlans";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** Runs `tsx <args>` with stdout through a pipe that nobody reads for a second, then into `file`. */
function throughSlowPipe(args: string[], file: string) {
    const quoted = [tsx, ...args].map((a) => `'${a}'`).join(" ");
    return spawnSync("bash", ["-c", `set -o pipefail; ${quoted} | (sleep 1; cat > '${file}')`], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG: "" },
    });
}

describe("machine output through pipes @slow", function () {
    this.timeout(180000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-pipes-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("ends quietly, exit 0 and no stack, when the reader closes the pipe early (--help or plan --json into head)", () => {
        for (const args of [
            ["scripts/plan.ts", "--help"],
            ["scripts/plan.ts", "--stack", "local", "--json"],
            ["scripts/verify.ts", "--help"],
        ]) {
            const quoted = [tsx, ...args].map((a) => `'${a}'`).join(" ");
            const r = spawnSync("bash", ["-c", `set -o pipefail; ${quoted} | head -c 20 > /dev/null`], {
                cwd: root,
                encoding: "utf8",
                env: { ...process.env, KUBECONFIG: "" },
            });
            assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
            assert.doesNotMatch(r.stderr, /EPIPE|at .*\(/, args.join(" "));
        }
    });

    it("plan --json through a slow pipe is byte-identical to --out", () => {
        const out = path.join(dir, "plan-out.json");
        const piped = path.join(dir, "plan-piped.json");
        const a = spawnSync(tsx, ["scripts/plan.ts", "--stack", "local", "--json", "--out", out], {
            cwd: root,
            encoding: "utf8",
            env: { ...process.env, KUBECONFIG: "" },
        });
        assert.equal(a.status, 0, a.stderr);
        const b = throughSlowPipe(["scripts/plan.ts", "--stack", "local", "--json"], piped);
        assert.equal(b.status, 0, b.stderr);
        assert.ok(fs.statSync(out).size > 2 * 65536, `fixture: the plan is only ${fs.statSync(out).size} bytes, no bigger than a pipe buffer`);
        assert.ok(fs.readFileSync(piped).equals(fs.readFileSync(out)), `piped ${fs.statSync(piped).size} bytes, --out ${fs.statSync(out).size} bytes`);
    });

    it("policy check --json of more than 1 MB through a slow pipe is byte-identical to a file redirect", async () => {
        // One broken DaemonSet copied 2,000 times: thousands of violations, megabytes of JSON.
        const plan = await shippedPlan("local");
        const spec = podSpec(plan, "DaemonSet", "nvidia-device-plugin");
        delete spec.nodeSelector;
        spec.containers[0].image = "k8s-device-plugin";
        const broken = resource(plan, "DaemonSet", "nvidia-device-plugin");
        for (let i = 0; i < 2000; i++) plan.resources.push({ ...broken, urn: `${broken.urn}-${i}`, name: `${broken.name}-${i}` });
        const planFile = path.join(dir, "big-plan.json");
        fs.writeFileSync(planFile, JSON.stringify(plan));
        const redirected = path.join(dir, "check-file.json");
        const piped = path.join(dir, "check-piped.json");
        const a = spawnSync("bash", ["-c", `'${tsx}' scripts/policy.ts check '${planFile}' --json > '${redirected}'`], { cwd: root, encoding: "utf8" });
        assert.equal(a.status, 1, a.stderr);
        const b = throughSlowPipe(["scripts/policy.ts", "check", planFile, "--json"], piped);
        assert.equal(b.status, 1, b.stderr);
        assert.ok(fs.statSync(redirected).size > 1024 * 1024, `fixture: only ${fs.statSync(redirected).size} bytes`);
        assert.ok(
            fs.readFileSync(piped).equals(fs.readFileSync(redirected)),
            `piped ${fs.statSync(piped).size} bytes, file ${fs.statSync(redirected).size} bytes`,
        );
        assert.ok((JSON.parse(fs.readFileSync(piped, "utf8")) as { violations: unknown[] }).violations.length > 2000);
    });
});
