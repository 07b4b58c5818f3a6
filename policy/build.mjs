// Builds the pack into compiled JavaScript (`npm run build:policy` at the root), so the
// engine loads plain CommonJS instead of compiling TypeScript through tsx at every
// preview, and `pulumi policy publish` / `npm pack` ship a pack that is whole on its own:
//   dist/index.js  the pack's entry (constructs the PolicyPack; the package's main);
//   dist/rules.js  allRules and the offline checker, to run a rule without the engine.
// The rules, policy/lib and @domino-tenancy/core are bundled in; @pulumi/policy and
// @pulumi/pulumi stay external: they are the pack's declared dependencies, and the
// engine talks to the copies in the pack's own node_modules. So does ajv, which the
// offline checker validates pack config with: the functions it compiles require its
// runtime modules by name, so it must be installed, not inlined.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import * as path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));

const common = {
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: true,
    external: ["@pulumi/policy", "@pulumi/pulumi", "ajv"],
    logLevel: "warning",
    // The core's package.json points at TypeScript (main: index.ts); esbuild compiles it.
    absWorkingDir: here,
};

await Promise.all([
    build({ ...common, entryPoints: { index: path.join(here, "pack.ts") }, outdir: path.join(here, "dist") }),
    build({
        ...common,
        // A virtual entry, so the pack does not grow a TypeScript file that only the build reads.
        stdin: {
            contents: 'export { allRules } from "./rules";\nexport { checkPlan, validatePackConfig } from "./lib/check";\n',
            resolveDir: here,
            sourcefile: "rules-entry.ts",
            loader: "ts",
        },
        outfile: path.join(here, "dist", "rules.js"),
    }),
]);
