// Every npm entry point answers --help at once from the registry and starts nothing;
// unknown options and subcommands fail with one line and a suggestion, exit 2.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commands, notEntryPoints, toolchainComponents } from "../../scripts/cli/commands";

const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The node command behind `npm run <script>`, with a PATH that has node and nothing else. */
function run(script: string, args: string[], home: string) {
    const [bin, ...fixed] = pkg.scripts[script].split(" ");
    assert.equal(bin, "tsx", `${script}: expected a tsx entry point, got ${pkg.scripts[script]}`);
    const nodeOnly = fs.mkdtempSync(path.join(os.tmpdir(), "cli-path-"));
    fs.symlinkSync(process.execPath, path.join(nodeOnly, "node"));
    const started = Date.now();
    // No bash, go or npx on PATH: an entry point that tried to build or start something fails loudly.
    const r = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), ...fixed, ...args], {
        cwd: root,
        encoding: "utf8",
        env: {
            PATH: nodeOnly,
            HOME: home,
            XDG_CACHE_HOME: path.join(home, ".cache"),
            PULUMI_HOME: path.join(home, ".pulumi"),
            TC_CACHE: path.join(home, "tc"),
        },
    });
    fs.rmSync(nodeOnly, { recursive: true, force: true });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe("entry points' --help (npm run <script> -- --help) @slow", function () {
    this.timeout(120000);
    let home: string;
    beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), "cli-home-"))));
    afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

    for (const spec of commands) {
        it(`${spec.script}: exits 0 with Usage, Options, Examples and Exit codes, and creates nothing`, () => {
            const r = run(spec.script, ["--help"], home);
            assert.equal(r.code, 0, r.stderr);
            for (const heading of ["Usage:", "Options:", "Examples:", "Exit codes:"])
                assert.ok(r.stdout.includes(heading), `${spec.script} --help lacks ${heading}:\n${r.stdout}`);
            for (const example of spec.examples) assert.ok(r.stdout.includes(example), `${spec.script} --help lacks example ${example}`);
            assert.equal(r.stderr, "");
            assert.deepEqual(fs.readdirSync(home), [], `${spec.script} --help wrote into HOME`);
            // Wall time on a shared 2-core machine is noisy; this bound catches a build or a program load, not jitter.
            assert.ok(r.ms < 15000, `${spec.script} --help took ${r.ms} ms`);
        });
    }

    it("cli (the dispatcher): --help exits 0 and lists every command it serves, and creates nothing", () => {
        const r = run("cli", ["--help"], home);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, "");
        for (const c of commands.filter((c) => c.runs.kind === "bash"))
            assert.match(r.stdout, new RegExp(`^ {2}${c.script} `, "m"), `cli --help lacks ${c.script}`);
        assert.match(r.stdout, /^ {2}reference /m);
        assert.deepEqual(fs.readdirSync(home), []);
    });

    it("rejects an unknown option with one line naming the closest one, exit 2", () => {
        for (const [script, args, near] of [
            ["plan", ["--jsno"], "--json"],
            ["local", ["--hlep"], "--help"],
            ["cluster", ["stauts"], "status"],
            ["toolchain", ["etc"], "etcd"],
            ["policy", ["chek", "x.json"], "check"],
            ["config", ["refrence"], "reference"],
            ["bench", ["--prats", "1"], "--parts"],
        ] as [string, string[], string][]) {
            const r = run(script, args, home);
            assert.equal(r.code, 2, `${script} ${args.join(" ")}: ${r.stderr}`);
            assert.equal(r.stdout, "");
            assert.equal(r.stderr.trimEnd().split("\n").length, 1, `${script}: not one line:\n${r.stderr}`);
            assert.match(r.stderr, new RegExp(`did you mean ${near.replace(/-/g, "\\-")}\\?`), `${script} ${args.join(" ")}`);
        }
    });
});

describe("command registry", () => {
    it("has an entry for every npm script a user calls, and no entry without a script", () => {
        const entryPoints = Object.keys(pkg.scripts).filter((s) => !notEntryPoints.includes(s));
        assert.deepEqual(commands.map((c) => c.script).sort(), entryPoints.sort());
    });

    it("runs each bash-backed script through the dispatcher, and each TS entry point directly", () => {
        for (const c of commands) {
            assert.equal(pkg.scripts[c.script], c.runs.kind === "bash" ? `tsx scripts/cli.ts ${c.script}` : `tsx ${c.runs.file}`);
            assert.ok(fs.existsSync(path.join(root, c.runs.file)), c.runs.file);
        }
    });

    it("knows the toolchain's components as scripts/lib/toolchain-lib.sh lists them", () => {
        const lib = fs.readFileSync(path.join(root, "scripts", "lib", "toolchain-lib.sh"), "utf8");
        const listed = /^TC_COMPONENTS=\(([^)]*)\)/m.exec(lib)?.[1].trim().split(/\s+/);
        assert.deepEqual([...toolchainComponents], listed);
    });
});
