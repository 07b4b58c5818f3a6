// The plan checker: runs the pack's own policy objects over a plan file, with
// arguments shaped like the engine's, so a pull request gets the same verdict
// `pulumi preview --policy-pack policy` would give, without the engine or a cluster.

import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { allRules } from "../rules";
import type { TenancyPolicy } from "./rule";

/** The parts of a plan resource the checker reads (plan/engine.ts writes them). */
export interface PlanResourceLike {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string | null;
    readonly inputs: Record<string, unknown>;
    readonly options?: { readonly protect?: boolean; readonly ignoreChanges?: string[]; readonly provider?: string | null };
}

export interface PlanLike {
    readonly resources: readonly PlanResourceLike[];
}

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn: string | null;
    readonly message: string;
}

/** `--policy-pack-config` as the engine reads it: per policy a level, or an object with one and settings. */
export type PackConfig = Readonly<Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>>;

export class PolicyConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid policy config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

// The engine validates each policy's settings with gojsonschema (draft-07 semantics;
// pulumi/pulumi, analyzer package: validatePolicyConfig and convertSchema) against
// { type: object, properties, required } from the rule's configSchema, after taking out
// enforcementLevel. @pulumi/policy itself validates nothing, so ajv's draft-07 default
// stands in for gojsonschema. One addition, stricter than the engine: an unknown
// top-level setting is reported, because a misspelt setting silently does nothing.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = new WeakMap<TenancyPolicy, ValidateFunction>();

function validatorFor(rule: TenancyPolicy): ValidateFunction {
    let validate = validators.get(rule);
    if (!validate) {
        const own = rule.configSchema;
        validate = ajv.compile({
            type: "object",
            properties: { ...(own?.properties ?? {}), enforcementLevel: { enum: levels } },
            ...(own?.required?.length ? { required: own.required } : {}),
            additionalProperties: false,
        });
        validators.set(rule, validate);
    }
    return validate;
}

/** One line per ajv error: the JSON path inside the policy's entry, then what is wrong. */
function describe(policy: string, e: ErrorObject): string {
    const at = `${policy}${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, ".")}`;
    switch (e.keyword) {
        case "required":
            return `${at}: missing required property '${(e.params as { missingProperty: string }).missingProperty}'`;
        case "additionalProperties": {
            const extra = (e.params as { additionalProperty: string }).additionalProperty;
            return e.instancePath === "" ? `${at}.${extra}: no such setting` : `${at}.${extra}: unknown property`;
        }
        case "type":
            return `${at}: expected ${String((e.params as { type: string }).type)}`;
        case "enum":
            return `${at}: '${String(e.data)}'; allowed: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(", ")}`;
        default:
            return `${at}: ${e.message ?? e.keyword}`;
    }
}

/** Every problem with a policy config at once: unknown policies and settings, and each entry checked against its rule's JSON schema. */
export function validatePackConfig(config: unknown, rules: readonly TenancyPolicy[] = allRules): PackConfig {
    if (!config || typeof config !== "object" || Array.isArray(config)) throw new PolicyConfigError(["the config must be a JSON object keyed by policy name"]);
    const problems: string[] = [];
    const byName = new Map(rules.map((r) => [r.name, r]));
    for (const [policy, value] of Object.entries(config as Record<string, unknown>)) {
        const rule = byName.get(policy);
        if (!rule && policy !== "all") {
            problems.push(`${policy}: no such policy (known: ${[...byName.keys()].join(", ")})`);
            continue;
        }
        if (typeof value === "string") {
            if (!levels.includes(value as EnforcementLevel)) problems.push(`${policy}: enforcement level '${value}'; allowed: ${levels.join(", ")}`);
            continue;
        }
        if (!value || typeof value !== "object" || Array.isArray(value)) {
            problems.push(`${policy}: must be an enforcement level or an object`);
            continue;
        }
        if (!rule) continue; // "all" takes a level only; the engine ignores its settings
        const validate = validatorFor(rule);
        if (!validate(value)) {
            const known = Object.keys(rule.configSchema?.properties ?? {}).join(", ") || "none";
            for (const e of validate.errors ?? []) {
                const line = describe(policy, e);
                problems.push(e.keyword === "additionalProperties" && e.instancePath === "" ? `${line} (known: ${known})` : line);
            }
        }
    }
    if (problems.length > 0) throw new PolicyConfigError(problems);
    return config as PackConfig;
}

function levelOf(rule: TenancyPolicy, config: PackConfig): EnforcementLevel {
    const own = config[rule.name];
    if (typeof own === "string") return own;
    if (own?.enforcementLevel) return own.enforcementLevel;
    const all = config.all;
    if (typeof all === "string") return all;
    return rule.enforcementLevel ?? "mandatory";
}

function settingsOf(rule: TenancyPolicy, config: PackConfig): () => object {
    const own = config[rule.name];
    const out = typeof own === "object" ? { ...own } : {};
    delete (out as { enforcementLevel?: unknown }).enforcementLevel;
    return () => out;
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** What the engine hands a policy for one resource, built from a plan entry. */
function engineShape(
    r: PlanResourceLike,
): Omit<ResourceValidationArgs, "getConfig" | "notApplicable"> & Pick<PolicyResource, "dependencies" | "propertyDependencies"> {
    const isType = (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type;
    return {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: {
            protect: r.options?.protect ?? false,
            ignoreChanges: r.options?.ignoreChanges ?? [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            ...(r.parent ? { parent: r.parent } : {}),
        },
        stackTags: new Map(),
        dependencies: [],
        propertyDependencies: {},
        isType: isType as ResourceValidationArgs["isType"],
        asType: ((cls: { __pulumiType?: string }) => (isType(cls) ? r.inputs : undefined)) as ResourceValidationArgs["asType"],
    };
}

/** Evaluates every policy of the pack over a plan; the result is in rule order, then resource order. */
export function checkPlan(plan: PlanLike, config: PackConfig = {}, rules: readonly TenancyPolicy[] = allRules): Violation[] {
    // The root stack resource carries nothing a rule reads; the engine does not validate it either.
    const shaped = plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map(engineShape);
    const violations: Violation[] = [];
    for (const rule of rules) {
        const enforcementLevel = levelOf(rule, config);
        if (enforcementLevel === "disabled") continue;
        const getConfig = settingsOf(rule, config) as ResourceValidationArgs["getConfig"];
        const report = (message: string, urn?: string) => violations.push({ policy: rule.name, enforcementLevel, urn: urn ?? null, message });
        const validateStack = (rule as StackValidationPolicy).validateStack;
        if (validateStack) {
            const args: StackValidationArgs = { resources: shaped as PolicyResource[], stackTags: new Map(), getConfig, notApplicable } as StackValidationArgs;
            runGuarded(() => validateStack(args, report));
            continue;
        }
        const validations = (rule as ResourceValidationPolicy).validateResource;
        const list = Array.isArray(validations) ? validations : validations ? [validations] : [];
        for (const resource of shaped) {
            const args = { ...resource, getConfig, notApplicable } as ResourceValidationArgs;
            for (const validate of list) runGuarded(() => validate(args, (message) => report(message, resource.urn)));
        }
    }
    return violations;
}

function runGuarded(run: () => unknown): void {
    try {
        const result = run();
        if (result && typeof (result as Promise<void>).then === "function") throw new Error("tenancy rules are synchronous; a rule returned a promise");
    } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
    }
}

export function isBlocking(v: Violation): boolean {
    return v.enforcementLevel === "mandatory";
}
