// How Domino's data survives a destroy or a rename: dataProtection.mode resolved for the environment.

import type { DataProtectionConfig } from "./schema";

/** protect: refuse deletion; retain: leave in the cluster when removed from the stack; off: neither. */
export type DataProtectionMode = "protect" | "retain" | "off";

export interface DataProtectionModel {
    readonly mode: DataProtectionMode;
    /** Why this mode (the config value, or what auto chose), for messages and the report. */
    readonly reason: string;
    /** The deployment name a rename on purpose moves from; undefined: no rename acknowledged. */
    readonly renameFrom?: string;
}

/** dataProtection.mode with auto resolved: prod stacks protect Domino's data, others leave it unguarded as before. */
export function resolveDataProtection(given: DataProtectionConfig, environment: "dev" | "staging" | "prod"): DataProtectionModel {
    const { mode, renameFrom } = given;
    if (mode !== "auto") return { mode, reason: `set to ${mode} in dataProtection.mode`, renameFrom };
    return environment === "prod"
        ? { mode: "protect", reason: "auto, environment prod", renameFrom }
        : { mode: "off", reason: `auto, environment ${environment}`, renameFrom };
}
