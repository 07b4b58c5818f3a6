// The policy pack's node_modules for `npm run local`, cached across runs and clones the way the
// toolchain is: keyed by the pack's lockfile, under ~/.cache/domino-tenancy/policy-deps/<key>.
// A clone whose policy/node_modules came from the same lockfile skips the install; another
// clone with the same lockfile gets a hard-linked copy of the cache (a plain copy across file
// systems) instead of an `npm ci`. The pack's link to components/core is a relative symlink,
// so the copy resolves it in its own clone.

import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where a lockfile's installed modules are kept. */
export function packDependenciesCache(env: NodeJS.ProcessEnv = process.env): string {
    return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "domino-tenancy", "policy-deps");
}

/** The cache key: the lockfile's content, so any change of version or integrity makes a new entry. */
export function lockfileKey(policyDir: string): string {
    return createHash("sha256")
        .update(fs.readFileSync(path.join(policyDir, "package-lock.json")))
        .digest("hex")
        .slice(0, 16);
}

/** Records which lockfile a node_modules folder was installed from. */
const keyFile = ".domino-tenancy-lockfile-key";

export type PackDependenciesSource = "present" | "cache" | "installed";

/** Copies a folder, hard-linking files where the file system allows it (symlinks kept as they are). */
function copyTree(from: string, to: string): void {
    const linked = spawnSync("cp", ["-al", from, to], { stdio: "ignore" });
    if (linked.status === 0) return;
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

/**
 * Makes policy/node_modules match the pack's lockfile: as it is, from the cache, or by `install`
 * (npm ci), whose result then fills the cache. Concurrent runs never see a half-written entry:
 * each writes its own temporary folder and renames it into place.
 */
export async function ensurePackDependencies(
    policyDir: string,
    install: () => Promise<void>,
    env: NodeJS.ProcessEnv = process.env,
): Promise<PackDependenciesSource> {
    const key = lockfileKey(policyDir);
    const modules = path.join(policyDir, "node_modules");
    const recorded = path.join(modules, keyFile);
    if (fs.existsSync(recorded) && fs.readFileSync(recorded, "utf8").trim() === key) return "present";

    const cached = path.join(packDependenciesCache(env), key);
    let source: PackDependenciesSource;
    if (fs.existsSync(path.join(cached, keyFile))) {
        fs.rmSync(modules, { recursive: true, force: true });
        copyTree(cached, modules);
        source = "cache";
    } else {
        await install();
        fs.writeFileSync(recorded, `${key}\n`);
        const staging = `${cached}.${process.pid}.tmp`;
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        fs.rmSync(staging, { recursive: true, force: true });
        copyTree(modules, staging);
        try {
            fs.renameSync(staging, cached);
        } catch {
            // Another run filled the entry first: theirs is the same lockfile's install.
            fs.rmSync(staging, { recursive: true, force: true });
        }
        source = "installed";
    }
    fs.writeFileSync(recorded, `${key}\n`);
    return source;
}
