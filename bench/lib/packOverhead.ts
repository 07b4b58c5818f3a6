// Part 5: what the policy pack adds to a real `pulumi preview` of the local stack,
// measured side by side on the engine (through the Automation API): previews with and
// without the pack, interleaved, after one warm-up of each, in a throw-away backend.
// Needs the toolchain and the local cluster (`npm run cluster -- up`).

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { openStack, preview } from "../../plan/automation";
import { median, progress, repoRoot } from "./common";

export interface PackOverheadResult {
    readonly stack: string;
    readonly runs: number;
    readonly withPackSeconds: number[];
    readonly withoutPackSeconds: number[];
    readonly medianWith: number;
    readonly medianWithout: number;
    readonly ratio: number;
}

export async function measurePackOverhead(runs: number, stack = "local"): Promise<PackOverheadResult> {
    if (!fs.existsSync(path.join(repoRoot, ".cluster", "kubeconfig"))) throw new Error("part 5 needs the local cluster: npm run cluster -- up");
    if (!fs.existsSync(path.join(repoRoot, "policy", "dist", "index.js"))) throw new Error("part 5 needs the pack's bundle: npm run build:policy");
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "domino-tenancy-bench-"));
    try {
        const engine = await openStack(stack, repoRoot, {
            stateDir,
            passphrase: "domino-tenancy-local",
            pulumiHome: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
        });
        const once = async (withPack: boolean): Promise<number> => {
            const r = await preview(engine, withPack ? { policyPack: "policy" } : {});
            if (!r.ok) throw new Error(`preview ${withPack ? "with" : "without"} the pack failed: ${r.failure ?? ""}`);
            return r.seconds;
        };
        await once(true);
        await once(false);
        const withPack: number[] = [];
        const withoutPack: number[] = [];
        for (let i = 0; i < runs; i++) {
            withPack.push(await once(true));
            withoutPack.push(await once(false));
            progress(`part 5: run ${i + 1}/${runs}: with the pack ${withPack[i]} s, without ${withoutPack[i]} s`);
        }
        const medianWith = median(withPack);
        const medianWithout = median(withoutPack);
        return { stack, runs, withPackSeconds: withPack, withoutPackSeconds: withoutPack, medianWith, medianWithout, ratio: medianWith / medianWithout };
    } finally {
        fs.rmSync(stateDir, { recursive: true, force: true });
    }
}
