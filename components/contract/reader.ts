// The consumer's side of the exports contract (./exports.ts): reads a domino-tenancy
// stack's outputs through a StackReference, checks the contract version before
// anything else, validates every field against the same zod schema the producer
// exports with, and hands back typed outputs. Errors name each output path and what
// was expected; they never carry an output's value, so no kubeconfig can leak.
//
// Version 2 only. A version 1 producer is refused, not read compatibly: reading it would
// mean handing the consumer the admin kubeconfig, which is what version 2 takes away.

import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { NamespaceRole, Placement, PodScheduling as PodSchedulingFields, SchedulingRequirement, TolerationLike } from "@domino-tenancy/core";
import {
    contractChanges,
    exportsContractVersion,
    PublishedExports,
    publishedExportsSchema,
    secretExportNames,
    StackExports,
    stackExportsSchema,
} from "./exports";

/** What the reader needs from a stack: a pulumi.StackReference, or a stand-in in tests. */
export interface StackOutputSource {
    getOutput(name: pulumi.Input<string>): pulumi.Output<unknown>;
}

/** The contract version this reader understands; a producer must export exactly this one. */
export const supportedContractVersion = exportsContractVersion;

/** Every top-level contract field is its own stack output, in the schema's order. */
export const contractOutputNames = Object.keys(stackExportsSchema.shape) as (keyof StackExports)[];

/** Outputs the producer exports as secrets; the reader keeps them secret. */
export const secretOutputNames: readonly (keyof StackExports)[] = secretExportNames;

/** What one consuming team receives (`kubeconfig` is secret). */
export type ConsumerGrant = StackExports["consumers"][string];

export type PlacementRole = keyof StackExports["scheduling"];
export type { NamespaceRole } from "@domino-tenancy/core";

/** One problem with the producer's outputs: which output path, and what was expected there. */
export interface ExportsIssue {
    readonly path: string;
    readonly message: string;
}

/**
 * Why a producer's outputs cannot be read. `newer`: the consumer must upgrade its
 * reader; `older`: the producer predates this contract version; `invalid`: the
 * version matches but fields are missing or mistyped.
 */
export class StackExportsError extends Error {
    constructor(
        readonly producer: string,
        readonly kind: "newer" | "older" | "invalid",
        readonly issues: readonly ExportsIssue[],
        summary: string,
    ) {
        super(issues.length === 0 ? summary : `${summary}\n${issues.map((i) => `  - output ${i.path}: ${i.message}`).join("\n")}`);
        this.name = "StackExportsError";
    }
}

/** Checks `contractVersion` alone: a different version means the other fields cannot be trusted to fit. */
export function checkContractVersion(version: unknown, producer: string, supported: number = supportedContractVersion): void {
    if (typeof version === "number" && Number.isInteger(version)) {
        if (version === supported) return;
        if (version > supported) {
            throw new StackExportsError(
                producer,
                "newer",
                [],
                `stack ${producer} exports contract version ${version}, newer than version ${supported} that this consumer's reader supports: ` +
                    "the producing stack is newer; upgrade the consumer (components/contract/exports.ts and components/contract/reader.ts from the same domino-tenancy release) before reading it",
            );
        }
        const changed = Object.entries(contractChanges)
            .filter(([v]) => Number(v) > version && Number(v) <= supported)
            .map(([v, what]) => ` Version ${v}: ${what}.`)
            .join("");
        throw new StackExportsError(
            producer,
            "older",
            [],
            `stack ${producer} exports contract version ${version}, older than version ${supported} that this consumer's reader supports: ` +
                "the producing stack is older; run `pulumi up` on it with a current domino-tenancy, or pin the consumer to a reader of version " +
                String(version) +
                "." +
                changed,
        );
    }
    // Only the value's kind is named: outputs are never echoed into errors.
    const found =
        version === undefined ? "no contractVersion output" : `a contractVersion that is not an integer (${version === null ? "null" : typeof version})`;
    throw new StackExportsError(
        producer,
        "older",
        [],
        `stack ${producer} exports ${found}: the producing stack is older than contract version ${supported} (or is not a domino-tenancy stack); ` +
            "run `pulumi up` on it with a current domino-tenancy",
    );
}

function formatIssuePath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
    return out;
}

/** zod's message for an issue, reworded where a field is absent; zod's messages never include the value. */
function issueMessage(issue: z.core.$ZodIssue, raw: Readonly<Record<string, unknown>>): string {
    if (issue.code === "invalid_type" && issue.path.length === 1 && raw[String(issue.path[0])] === undefined) {
        return `is missing: the producing stack does not export it (expected ${issue.expected})`;
    }
    if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `is missing (expected ${issue.expected})`;
    return issue.message;
}

/**
 * Validates the producer's outputs, given as one object of output name to value.
 * The version is checked first; then every field, all problems reported together.
 */
export function validateStackExports(raw: Readonly<Record<string, unknown>>, producer: string): StackExports {
    return validateAgainst(stackExportsSchema, raw, producer);
}

function validateAgainst<S extends typeof stackExportsSchema | typeof publishedExportsSchema>(
    schema: S,
    raw: Readonly<Record<string, unknown>>,
    producer: string,
): z.infer<S> {
    checkContractVersion(raw.contractVersion, producer);
    const result = schema.safeParse(raw);
    if (result.success) return result.data as z.infer<S>;
    const issues = result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issueMessage(issue, raw) }));
    throw new StackExportsError(
        producer,
        "invalid",
        issues,
        `stack ${producer} does not match exports contract version ${supportedContractVersion} (${issues.length} problem${issues.length === 1 ? "" : "s"}):`,
    );
}

/**
 * Reads the contract as the cluster publishes it (the `publishedExports` ConfigMap's
 * JSON, which a consumer's scoped kubeconfig may `get`): the same version check and
 * validation, for the non-secret fields.
 */
export function parsePublishedExports(text: string, source: string): PublishedExports {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        throw new StackExportsError(source, "invalid", [], `the published exports in ${source} are not JSON`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
        throw new StackExportsError(source, "invalid", [], `the published exports in ${source} are not an object`);
    return validateAgainst(publishedExportsSchema, raw as Record<string, unknown>, source);
}

/**
 * The pod spec fields that place a pod exactly as a Placement says: the core's
 * PodScheduling with the selector and tolerations always set, and plain arrays so it
 * spreads into a PodSpec.
 */
export interface PodScheduling extends PodSchedulingFields {
    nodeSelector: Record<string, string>;
    affinity?: {
        nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: { matchExpressions: (SchedulingRequirement & { values?: string[] })[] }[];
            };
        };
    };
    tolerations: TolerationLike[];
}

/** Placement -> pod spec fields; required node affinity only when the placement has any. */
export function podScheduling(placement: Placement): PodScheduling {
    const out: PodScheduling = { nodeSelector: { ...placement.nodeSelector }, tolerations: placement.tolerations.map((t) => ({ ...t })) };
    if (placement.requiredNodeAffinity && placement.requiredNodeAffinity.length > 0) {
        out.affinity = {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        { matchExpressions: placement.requiredNodeAffinity.map((r) => ({ ...r, ...(r.values ? { values: [...r.values] } : {}) })) },
                    ],
                },
            },
        };
    }
    return out;
}

export interface StackExportsReader {
    /** The name the errors use for the producing stack. */
    readonly producer: string;
    /** The whole contract, validated. Secret, because it carries kubeconfigs. */
    readonly exports: pulumi.Output<StackExports>;
    /** One validated field; secret only if the producer exports it as a secret. */
    output<K extends keyof StackExports>(name: K): pulumi.Output<StackExports[K]>;
    /** The admin kubeconfig (contents, or a path for clusters adopted by path), for the platform team's own programs only. Always secret. */
    readonly adminKubeconfig: pulumi.Output<string>;
    /** A consuming team's scoped kubeconfig: deploy in its namespace, read the exports. Always secret; fails for a team the stack does not grant. */
    kubeconfigFor(consumer: string): pulumi.Output<string>;
    /** The namespace a consuming team deploys into (not secret); fails for a team the stack does not grant. */
    namespaceFor(consumer: string): pulumi.Output<string>;
    /** How a workload lands on Domino's platform, compute or GPU nodes; gpu is null without GPU pools. */
    placementFor<R extends PlacementRole>(role: R): pulumi.Output<StackExports["scheduling"][R]>;
    /** Pod spec fields (nodeSelector, affinity, tolerations) for a role's nodes; fails for gpu without GPU pools. */
    podSchedulingFor(role: PlacementRole): pulumi.Output<PodScheduling>;
    /** One of Domino's namespaces, by role. */
    namespace(role: NamespaceRole): pulumi.Output<string>;
}

/**
 * Reads a producer's outputs. Every accessor waits for the whole contract to be
 * validated, so no resource is ever built from a half-valid contract. Accessors
 * are created on demand: a failed validation rejects only outputs someone uses.
 */
export function readStackExports(source: StackOutputSource, producer: string = "(the producing stack)"): StackExportsReader {
    const raw = Object.fromEntries(contractOutputNames.map((name) => [name, source.getOutput(name)])) as Record<keyof StackExports, pulumi.Output<unknown>>;
    // The check reads the secret kubeconfig, so its result is tainted secret; the result is
    // only `true` and reveals nothing, so it is unsecreted for the non-secret accessors to wait on.
    const validated = pulumi.all(raw).apply((values) => validateStackExports(values, producer));
    const checked = pulumi.unsecret(validated.apply(() => true));

    const output = <K extends keyof StackExports>(name: K): pulumi.Output<StackExports[K]> => {
        // Secret fields stay secret even from a producer that forgot to mark them.
        const value = secretOutputNames.includes(name) ? pulumi.secret(raw[name]) : raw[name];
        return pulumi.all([checked, value]).apply(([, v]) => stackExportsSchema.shape[name].parse(v) as StackExports[K]);
    };
    const grantOf = (all: StackExports["consumers"], consumer: string): ConsumerGrant => {
        const grant = Object.prototype.hasOwnProperty.call(all, consumer) ? all[consumer] : undefined;
        if (grant) return grant;
        const known = Object.keys(all);
        throw new StackExportsError(
            producer,
            "invalid",
            [],
            `stack ${producer} grants no consumer '${consumer}' (it grants ${known.length > 0 ? known.map((k) => `'${k}'`).join(", ") : "none"}): ` +
                "ask the platform team to add it to tenancy.consumers",
        );
    };
    const placementFor = <R extends PlacementRole>(role: R): pulumi.Output<StackExports["scheduling"][R]> => output("scheduling").apply((s) => s[role]);

    return {
        producer,
        get exports() {
            return pulumi.secret(validated);
        },
        output,
        get adminKubeconfig() {
            return output("adminKubeconfig");
        },
        kubeconfigFor: (consumer) => output("consumers").apply((all) => grantOf(all, consumer).kubeconfig),
        // A namespace name is not secret: unsecreted so the consumer's objects are not secret in its state.
        namespaceFor: (consumer) => pulumi.unsecret(output("consumers").apply((all) => grantOf(all, consumer).namespace)),
        placementFor,
        podSchedulingFor: (role) =>
            placementFor(role).apply((placement) => {
                if (!placement) {
                    throw new StackExportsError(
                        producer,
                        "invalid",
                        [],
                        `stack ${producer} has no ${role} pools, so there is no ${role} placement to schedule on (scheduling.${role} is null)`,
                    );
                }
                return podScheduling(placement);
            }),
        namespace: (role) => output("namespaces").apply((ns) => ns[role]),
    };
}
