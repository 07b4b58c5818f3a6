// The packed policy pack, as `npm pack` / `pulumi policy publish` ship it: built to
// CommonJS, installed from its tarball into an empty folder with nothing but its own
// declared dependencies, it must run a rule offline and come up as a pack. Slow by
// nature (an install of ~220 packages from the npm cache), so everything shares one
// build, one pack and one install.

import { strict as assert } from "assert";
import { spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PackConfig, PlanLike, Violation } from "../../policy/lib/check";
import type { TenancyPolicy } from "../../policy/lib/rule";

const root = path.join(__dirname, "..", "..");
const policyDir = path.join(root, "policy");
const packageName = "domino-tenancy-policy";
/** What the tarball may hold: the bundle, the pack's manifest and its docs. */
const shippedPaths = /^(dist\/.+|PulumiPolicy\.yaml|README\.md|package\.json)$/;

/** What dist/rules.js exports (policy/build.mjs). */
interface RulesBundle {
    readonly allRules: readonly TenancyPolicy[];
    readonly checkPlan: (plan: PlanLike, config?: PackConfig, rules?: readonly TenancyPolicy[]) => Violation[];
    readonly validatePackConfig: (config: unknown) => PackConfig;
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r;
}

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
    return spawnSync("npm", [...args, "--no-audit", "--no-fund", "--ignore-scripts", "--no-progress"], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, npm_config_update_notifier: "false" },
    });
}

/**
 * Installs the tarball into an empty folder. `npm ci` only fills the cache with
 * tarballs, not registry metadata, so a bare `npm install --offline <tarball>` fails
 * on a clean cache; a lockfile made from the pack's own (policy/package-lock.json)
 * lets npm install offline, from exactly the versions the pack is locked to. If
 * the cache lacks something even so, npm may look at the registry.
 */
function installTarball(tarball: string, dir: string): void {
    const lock = JSON.parse(fs.readFileSync(path.join(policyDir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { dev?: boolean; link?: boolean; version?: string; license?: string } & Record<string, unknown>>;
    };
    const pack = lock.packages[""];
    const spec = `file:${path.basename(tarball)}`;
    const packages: Record<string, unknown> = {
        "": { name: "pack-install", dependencies: { [packageName]: spec } },
        [`node_modules/${packageName}`]: {
            version: pack.version,
            resolved: spec,
            license: pack.license,
            dependencies: pack.dependencies,
            peerDependencies: pack.peerDependencies,
            peerDependenciesMeta: pack.peerDependenciesMeta,
        },
    };
    // The pack's runtime dependencies only: its dev dependencies (the core, linked) are not shipped.
    for (const [key, entry] of Object.entries(lock.packages)) {
        if (key.startsWith("node_modules/") && !entry.dev && !entry.link) packages[key] = entry;
    }
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pack-install", private: true, dependencies: { [packageName]: spec } }));
    fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: "pack-install", lockfileVersion: 3, requires: true, packages }));
    const offline = npm(["ci", "--offline"], dir);
    if (offline.status === 0) return;
    fs.rmSync(path.join(dir, "package-lock.json"));
    ok(
        npm(["install", "--prefer-offline", tarball], dir),
        `npm install --prefer-offline (after npm ci --offline failed: ${offline.stderr.trim().split("\n")[0]})`,
    );
}

describe("the packed policy pack @slow", function () {
    this.timeout(240000);
    let tmp: string;
    let tarballFiles: string[];
    let installed: string;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
        ok(spawnSync(process.execPath, [path.join(policyDir, "build.mjs")], { encoding: "utf8", cwd: root }), "npm run build:policy");
        const packed = ok(npm(["pack", "--json", "--pack-destination", tmp], policyDir), "npm pack");
        const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
        tarballFiles = info.files.map((f) => f.path);
        const installDir = path.join(tmp, "install");
        fs.mkdirSync(installDir);
        installTarball(path.join(tmp, info.filename), installDir);
        installed = path.join(installDir, "node_modules", packageName);
    });
    after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

    it("ships only the bundle, PulumiPolicy.yaml, README.md and package.json", () => {
        const stray = tarballFiles.filter((f) => !shippedPaths.test(f));
        assert.deepEqual(stray, [], `the tarball holds files outside dist/, PulumiPolicy.yaml, README.md, package.json: ${stray.join(", ")}`);
        for (const needed of ["dist/index.js", "dist/rules.js", "PulumiPolicy.yaml", "package.json"])
            assert.ok(tarballFiles.includes(needed), `the tarball lacks ${needed}`);
    });

    it("depends on @pulumi/policy, @pulumi/pulumi and ajv only, with the core bundled in", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };
        assert.equal(manifest.main, "dist/index.js");
        assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi", "ajv"]);
        for (const bundle of ["index.js", "rules.js"]) {
            const code = fs.readFileSync(path.join(installed, "dist", bundle), "utf8");
            const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !m.startsWith("@pulumi/") && !/^ajv(\/|$)/.test(m));
            assert.deepEqual(required, [], `dist/${bundle} requires modules it does not bundle: ${required.join(", ")}`);
        }
        assert.ok(!fs.existsSync(path.join(installed, "..", "@domino-tenancy")), "installing the pack installed @domino-tenancy/core");
    });

    it("runs a rule offline from dist/rules.js: a DaemonSet that selects no nodes fails, a scoped one passes", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed bundle, loaded by path as a consumer would
        const bundle = require(path.join(installed, "dist", "rules.js")) as RulesBundle;
        const rule = bundle.allRules.find((r) => r.name === "daemonsets-node-scoped");
        assert.ok(rule, "dist/rules.js lacks daemonsets-node-scoped");
        const daemonSet = (name: string, nodeSelector?: Record<string, string>) => ({
            urn: `urn:pulumi:t::p::kubernetes:apps/v1:DaemonSet::${name}`,
            type: "kubernetes:apps/v1:DaemonSet",
            name,
            inputs: {
                apiVersion: "apps/v1",
                kind: "DaemonSet",
                metadata: { name, namespace: "domino-platform" },
                spec: {
                    selector: { matchLabels: { app: name } },
                    template: {
                        metadata: { labels: { app: name } },
                        spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name, image: "busybox:1.36" }] },
                    },
                },
            },
        });
        const plan = { resources: [daemonSet("everywhere"), daemonSet("scoped", { "dominodatalab.com/node-pool": "platform" })] };
        const violations = bundle.checkPlan(plan, bundle.validatePackConfig({}), [rule]);
        assert.deepEqual(
            violations.map((v) => [v.policy, v.enforcementLevel, v.urn]),
            [["daemonsets-node-scoped", "mandatory", plan.resources[0].urn]],
        );
    });

    it("comes up as a policy pack from its main: the gRPC server prints its port", async () => {
        // PolicyPack reads package.json from the working directory, as the engine runs it.
        const child = spawn(process.execPath, ["-e", `require(${JSON.stringify(installed)})`], { cwd: installed, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        try {
            const port = await new Promise<number>((resolve, reject) => {
                child.stdout.on("data", (d) => {
                    stdout += d;
                    const line = /^(\d+)\s*$/m.exec(stdout);
                    if (line) resolve(Number(line[1]));
                });
                child.on("exit", (code) => reject(new Error(`the pack exited ${code} before printing a port\n${stdout}\n${stderr}`)));
            });
            assert.ok(port > 0 && port < 65536, `not a port: ${port}`);
        } finally {
            child.kill();
        }
    });
});
