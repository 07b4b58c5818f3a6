// Checks stack files with exactly the checks the program runs before it registers
// anything (the zod schema, the model's cross-field rules, the kubeconfig source of
// adopted clusters), without Pulumi: the stack file is read as the offline plan
// reads it, and secure values are never decrypted, nor printed.

import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { kubeconfigSource } from "../components/cloud/existing";
import { ConfigError, ConfigIssue, configKey } from "../components/model/schema";
import { buildModel, missingRegistryPassword } from "../components/model/model";
import { PlanConfigError, readStackConfig, repoRoot, secretPlaceholder } from "./engine";
import { stackOfFile } from "./stackFiles";

export interface StackCheck {
    /** The stack file as printed: relative to the repository when inside it. */
    readonly file: string;
    /** ok: valid; invalid: config problems; unreadable: missing file or not YAML. */
    readonly status: "ok" | "invalid" | "unreadable";
    readonly issues: readonly ConfigIssue[];
}

export interface CheckEnvironment {
    readonly project: string;
    /** What $KUBECONFIG the program would see; adopted clusters may take their kubeconfig from it. */
    readonly env: NodeJS.ProcessEnv;
}

export function displayPath(file: string): string {
    const rel = path.relative(repoRoot, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/**
 * Nested `secure:` values inside the tenancy object become the plan's placeholder: the
 * program sees a decrypted string there, so the checks see a string, and no ciphertext
 * can reach a message.
 */
export function hideNestedSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(hideNestedSecrets);
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") return secretPlaceholder;
        return Object.fromEntries(entries.map(([k, v]) => [k, hideNestedSecrets(v)]));
    }
    return value;
}

/** Checks one stack file; never throws for a problem in the file itself. */
export function checkStackFile(file: string, environment: CheckEnvironment): StackCheck {
    const shown = displayPath(file);
    if (!fs.existsSync(file)) return { file: shown, status: "unreadable", issues: [{ path: "(file)", message: "does not exist" }] };
    let config: Record<string, string>;
    try {
        ({ config } = readStackConfig(file, environment.project));
    } catch (err) {
        if (err instanceof PlanConfigError) return { file: shown, status: "unreadable", issues: err.issues };
        return { file: shown, status: "unreadable", issues: [{ path: "(file)", message: `cannot be read: ${(err as Error).message}` }] };
    }

    const rawTenancy = config[`${environment.project}:${configKey}`];
    let tenancy: unknown = undefined;
    if (rawTenancy !== undefined) {
        // Objects arrive as JSON, as the runtime's config does; a plain string stays a string for the schema to reject.
        try {
            tenancy = JSON.parse(rawTenancy);
        } catch {
            tenancy = rawTenancy;
        }
    }
    try {
        const model = buildModel(hideNestedSecrets(tenancy), stackOfFile(file));
        if (model.cluster.cloud === "existing") {
            // As loadInputs: the secret `kubeconfig` key counts by its presence alone, its value is never needed.
            const secret = config[`${environment.project}:kubeconfig`] !== undefined ? pulumi.secret(secretPlaceholder) : undefined;
            kubeconfigSource(model.cluster, secret, environment.env, repoRoot);
        }
        // As loadInputs: the registry password's secret key must be there; its value is never read.
        if (config[`${environment.project}:${model.install.registry.passwordKey}`] === undefined)
            throw new ConfigError([missingRegistryPassword(model.install, environment.project)]);
    } catch (err) {
        if (err instanceof ConfigError) return { file: shown, status: "invalid", issues: err.issues };
        throw err;
    }
    return { file: shown, status: "ok", issues: [] };
}

/** One line per problem: `<file>: <config path>: <message>`; one `<file>: ok` line for a valid file. */
export function formatCheck(check: StackCheck): string[] {
    if (check.status === "ok") return [`${check.file}: ok`];
    return check.issues.map((i) => `${check.file}: ${i.path}: ${i.message}`);
}

/** 0 when every file is valid, 1 when any is invalid, 2 when any cannot be read. */
export function exitCodeOf(checks: readonly StackCheck[]): number {
    if (checks.some((c) => c.status === "unreadable")) return 2;
    return checks.some((c) => c.status === "invalid") ? 1 : 0;
}
