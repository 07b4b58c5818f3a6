// The Node.js the program runs on, against the one @pulumi/pulumi declares it needs
// (its package.json `engines.node`). The engine's language host starts the program
// with whatever `node` comes first on PATH; on an older Node the SDK may fail in ways
// that do not name the cause, so the program checks first and says what to do.

import * as fs from "fs";
import { userError } from "./userError";

/** `engines.node` of the @pulumi/pulumi the program loads (resolved as the program resolves it). */
export function pulumiSdkNodeRange(): { range: string; sdkVersion: string } {
    const pkg = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string; engines?: { node?: string } };
    if (!pkg.engines?.node) throw new Error(`@pulumi/pulumi ${pkg.version} declares no engines.node`);
    return { range: pkg.engines.node, sdkVersion: pkg.version };
}

type Triple = [number, number, number];

function triple(version: string, what: string): Triple {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
    if (!m) throw new Error(`${what} "${version}" is not a version like 24.1.0`);
    return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/**
 * Whether `version` (e.g. "v24.22.3") satisfies `range`. Only the form @pulumi/pulumi uses
 * is understood, `>=X[.Y[.Z]]`; any other form throws rather than guess.
 */
export function nodeSatisfies(version: string, range: string): boolean {
    const m = /^>=\s*(\S+)$/.exec(range.trim());
    if (!m) throw new Error(`engines.node "${range}" is not of the form >=X[.Y[.Z]]; teach components/nodeRuntime.ts the new form`);
    const have = triple(version, "Node version");
    const need = triple(m[1], "engines.node minimum");
    for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] > need[i];
    return true;
}

/** Fails the run, before anything registers, when the Node running the program is older than the SDK needs. */
export function assertSupportedNode(version: string = process.version): string {
    const { range, sdkVersion } = pulumiSdkNodeRange();
    if (!nodeSatisfies(version, range))
        throw userError(
            `this program runs on Node.js ${version}, but @pulumi/pulumi ${sdkVersion} needs node ${range}. ` +
                `Run it through the project's scripts (npm run local, the e2e tier), which put the toolchain's Node first on PATH, ` +
                `or put a supported Node first on PATH yourself: eval "$(npm run --silent toolchain -- env)".`,
        );
    return `Node.js ${version} runs this program (@pulumi/pulumi ${sdkVersion} needs node ${range})`;
}
