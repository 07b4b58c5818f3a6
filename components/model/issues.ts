// How a config problem is told: its path under `tenancy` and what is allowed there.
// Every concern reports into one Issues list, so a stack sees all its problems at once.

/** One problem with the configuration: where it is and what is allowed. */
export interface ConfigIssue {
    readonly path: string;
    readonly message: string;
}

/** Thrown with every problem at once, before any resource is registered. */
export class ConfigError extends Error {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(
            `invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

/** The config key the whole object lives under: `<project>:tenancy`. */
export const configKey = "tenancy";

export function formatPath(path: readonly PropertyKey[], root: string = configKey): string {
    let out = root;
    for (const part of path) out += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
    return out;
}

/** Collects problems with their config paths so all of them are reported together. */
export class Issues {
    readonly list: ConfigIssue[] = [];
    add(path: readonly PropertyKey[], message: string): void {
        this.list.push({ path: formatPath(path), message });
    }
}
