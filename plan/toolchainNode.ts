// The Node.js the engine runs on: the toolchain's pin (toolchain/node, npm's platform
// package), put first on the PATH of every Pulumi CLI the scripts start. The language
// host runs the program with the first `node` on PATH, and so do the dynamic-provider
// plugin and the policy pack, so all three run on the pin whatever Node started npm.
// Where the cache is and what it is called is scripts/lib/toolchain-lib.sh's to say.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..");

let cached: string | undefined;

/** The folder holding the toolchain's `node` (whether built or not). */
export function toolchainNodeDir(): string {
    cached ??= execFileSync("bash", ["-c", "source scripts/lib/toolchain-lib.sh && tc_node_dir"], { cwd: repoRoot, encoding: "utf8" }).trim();
    return cached;
}

/** `base` with the toolchain's Node first; throws, saying how to get it, when it is not there. */
export function pathWithToolchainNode(base: string = process.env.PATH ?? ""): string {
    const dir = toolchainNodeDir();
    if (!fs.existsSync(path.join(dir, "node")))
        throw new Error(`the toolchain's Node is not in ${dir}: run \`npm run toolchain -- node\` (or \`npm run toolchain\`)`);
    return [dir, ...base.split(path.delimiter).filter((d) => d && d !== dir)].join(path.delimiter);
}
