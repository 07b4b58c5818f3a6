// The dynamic-provider plugin (toolchain/dynamic-provider/pulumi-resource-pulumi-nodejs):
// the engine starts `pulumi-resource-pulumi-nodejs` for a Node.js program's dynamic
// resources, found on PATH or next to the running `pulumi` (scripts/toolchain.sh installs
// it there; the e2e tier checks the installed copy and uses it through a real `up`).
// Here: it carries the name the engine asks for, and started as the engine starts it
// (in the program's folder, the engine's address as argument) it runs the program's own
// @pulumi/pulumi dynamic-provider host, which answers with the port it serves on.

import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { engineEnvVars } from "../../plan/automation";

const root = path.join(__dirname, "..", "..");
const plugin = path.join(root, "toolchain", "dynamic-provider", "pulumi-resource-pulumi-nodejs");
const enginePath = () => engineEnvVars({ stateDir: "/tmp/x", passphrase: "p", pulumiHome: "/tmp/h" }).PATH;

/** Starts the plugin as the engine does; resolves to the port it prints, then stops it. */
function startedPort(cwd: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(plugin, ["127.0.0.1:1"], { cwd, env: { ...process.env, PATH: enginePath() } });
        let out = "";
        let err = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`no port within 15 s; stderr: ${err}`));
        }, 15000);
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            const line = /^(\d+)\n/.exec(out);
            if (!line) return;
            const port = Number(line[1]);
            // The port must really accept a connection: the host listens before it prints.
            const socket = net.connect(port, "127.0.0.1", () => {
                socket.destroy();
                clearTimeout(timer);
                child.kill("SIGTERM");
                resolve(port);
            });
            socket.on("error", (e) => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                reject(e);
            });
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`exited ${code} before printing a port; stderr: ${err}`));
        });
    });
}

describe("the dynamic-provider plugin the toolchain installs", () => {
    it("carries the file name the engine looks for (resource plugin `pulumi-nodejs`) and is executable", () => {
        assert.equal(path.basename(plugin), `pulumi-resource-${"pulumi-nodejs"}`);
        assert.ok((fs.statSync(plugin).mode & 0o111) === 0o111, "not executable by all");
        const installer = fs.readFileSync(path.join(root, "scripts", "toolchain.sh"), "utf8");
        // Installed into the same folder as the CLI itself, where the engine looks for bundled plugins.
        assert.match(installer, /install_file "\$\(tc_bin pulumi pulumi\)" "\$dir\/pulumi"/);
        assert.match(installer, /install_file "\$TC_DIR\/dynamic-provider\/pulumi-resource-pulumi-nodejs" "\$dir\/pulumi-resource-pulumi-nodejs"/);
    });

    it("started in the program's folder, serves the program's own dynamic-provider host and prints its port", async function () {
        this.timeout(30000);
        const port = await startedPort(root);
        assert.ok(port > 0 && port < 65536, String(port));
    });

    it("in a folder without @pulumi/pulumi, fails at once naming the folder and what to run", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "dynamic-provider-"));
        try {
            const r = spawnSync(plugin, ["127.0.0.1:1"], { cwd: empty, env: { ...process.env, PATH: enginePath() }, encoding: "utf8", timeout: 15000 });
            assert.equal(r.status, 1);
            assert.match(r.stderr, new RegExp(`no @pulumi/pulumi/cmd/dynamic-provider resolvable from ${empty.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
            assert.match(r.stderr, /npm ci/);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});
