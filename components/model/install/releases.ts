// Domino releases this program knows, and the fleetcommand-agent tag of each: the agent
// version a `Domino` resource names (6.x) or the image the agent Job runs (5.x). Data,
// taken from Domino's release pages; a version not listed needs its tag in config.
//   6.x: https://docs.dominodatalab.com/en/6.2/admin_guide/5246aa/releases/ (and /en/6.1/, /en/6.0/)
//   5.x: https://docs.dominodatalab.com/en/5.7/admin_guide/559046/fleetcommand-agent-release-notes

/** fleetcommand-agent tag of each known Domino release. */
export const knownAgentTags: Readonly<Record<string, string>> = {
    "5.9.0": "v66",
    "5.9.1": "v66.1",
    "5.9.2": "v66.2",
    "5.9.3": "v66.3",
    "5.10.0": "5.10.0.catalog-0cbbe52",
    "5.10.1": "5.10.1.catalog-b1ce370",
    "5.11.0": "5.11.0.catalog-454f53d",
    "5.11.1": "5.11.1.catalog-55ee23e",
    "6.0.0": "6.0.0.catalog-6f783c6",
    "6.1.0": "6.1.0.catalog-b50f131",
    "6.1.4": "6.1.4.catalog-5e7bc5",
    "6.2.0": "6.2.0.catalog-5074e48",
    "6.2.2": "6.2.2.catalog-34a6626",
};

/** Since 5.10.0 every tag is the release's version plus its catalog commit. */
export const catalogTagPattern = /^([0-9]+\.[0-9]+\.[0-9]+)\.catalog-[0-9a-f]{6,40}$/;
/** Before 5.10.0 tags were the agent's own release number: v66, v66.3. */
export const legacyTagPattern = /^v[0-9]+(\.[0-9]+)?$/;

export type InstallMethod = "operator" | "agent";

export function majorOf(version: string): number {
    return Number(version.split(".")[0]);
}

/** Domino's supported install path for a version: the Platform Operator from 6.0.0, fleetcommand-agent before. */
export function defaultMethod(version: string): InstallMethod {
    return majorOf(version) >= 6 ? "operator" : "agent";
}

/** Why a tag does not fit the version, or undefined when it does. */
export function agentTagProblem(tag: string, version: string): string | undefined {
    const expected = `expected ${version}.catalog-<commit hex>, for example ${knownAgentTags[version] ?? "6.1.0.catalog-b50f131"}`;
    const catalog = catalogTagPattern.exec(tag);
    if (catalog) return catalog[1] === version ? undefined : `'${tag}' is the agent of Domino ${catalog[1]}, not domino.version ${version}; ${expected}`;
    const [major, minor] = version.split(".").map(Number);
    if (legacyTagPattern.test(tag) && major === 5 && minor < 10) return undefined;
    return `'${tag}' is not a fleetcommand-agent tag; ${expected}${major === 5 && minor < 10 ? " (or v<number> before 5.10)" : ""}`;
}
