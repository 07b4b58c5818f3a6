// Three shapes of tenancy rule, each turned into a CrossGuard policy object that the
// pack registers and the plan checker runs unchanged:
// - resourceRule: judges one object alone (a DaemonSet's node scope, an image tag).
// - deploymentRule: judges one object, but needs to know the deployment (its prefix,
//   pools, namespaces). A resource policy sees a single resource, and letting the
//   object under review vouch for which deployment it belongs to would defeat the
//   rule, so these run as stack policies that derive the deployment from the whole
//   stack and then check each object.
// - stackRule: judges relations between objects (scheduling, quotas per namespace).

import type { EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { gkeNodePoolType, nodeGroupType, tenancyContext, TenancyContext } from "./context";
import { k8sKind, ResourceView } from "./resources";

export type TenancyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface RuleMeta<C> {
    /** Stable kebab-case name: what users put in --policy-pack-config and what violations print. */
    readonly name: string;
    /** Why the rule exists, in one paragraph: shown with every violation. */
    readonly description: string;
    /** @default mandatory */
    readonly enforcementLevel?: EnforcementLevel;
    /** Settings and their built-in values; see settings() for how user config combines with them. */
    readonly defaults: C;
    /** JSON schema of the settings (the engine validates --policy-pack-config against it). */
    readonly configSchema?: PolicyConfigSchema;
}

export interface Finding {
    readonly message: string;
    readonly urn?: string;
}

/**
 * A rule's settings: the built-in defaults with the user's config applied. Lists
 * (allowlists, exceptions) extend the built-in ones, so adding an exception never
 * silently drops the ones the core program needs; single values replace.
 */
export function settings<C>(getConfig: () => object, defaults: C): C {
    const given = (getConfig() ?? {}) as Record<string, unknown>;
    const out = { ...defaults } as Record<string, unknown>;
    for (const key of Object.keys(out)) {
        const value = given[key];
        if (value === undefined) continue;
        out[key] = Array.isArray(out[key]) && Array.isArray(value) ? [...(out[key] as unknown[]), ...value] : value;
    }
    return out as C;
}

function base<C>(meta: RuleMeta<C>) {
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel ?? ("mandatory" as const),
        ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
    };
}

export function resourceRule<C>(meta: RuleMeta<C> & { check(resource: ResourceView, config: C): string[] }): ResourceValidationPolicy {
    return {
        ...base(meta),
        validateResource: (args, report: ReportViolation) => {
            for (const message of meta.check(
                args,
                settings(() => args.getConfig(), meta.defaults),
            ))
                report(message);
        },
    };
}

/** Reported once when a rule needs the deployment and the stack does not say what it is. */
function contextViolation(problem: string): string {
    return `cannot check: ${problem}`;
}

/** A stack with no Kubernetes object and no node pool has nothing these rules judge. */
function judgesNothing(resources: readonly ResourceView[]): boolean {
    return !resources.some((r) => k8sKind(r.type) !== undefined || r.type === nodeGroupType || r.type === gkeNodePoolType);
}

export function deploymentRule<C>(meta: RuleMeta<C> & { check(resource: ResourceView, context: TenancyContext, config: C): string[] }): StackValidationPolicy {
    return {
        ...base(meta),
        validateStack: (args, report: ReportViolation) => {
            const derived = tenancyContext(args.resources);
            if (!derived.ok) return judgesNothing(args.resources) ? undefined : report(contextViolation(derived.problem));
            const config = settings(() => args.getConfig(), meta.defaults);
            for (const resource of args.resources) {
                for (const message of meta.check(resource, derived.context, config)) report(message, resource.urn);
            }
        },
    };
}

export function stackRule<C>(
    meta: RuleMeta<C> & { check(resources: readonly ResourceView[], context: TenancyContext, config: C): Finding[] },
): StackValidationPolicy {
    return {
        ...base(meta),
        validateStack: (args, report: ReportViolation) => {
            const derived = tenancyContext(args.resources);
            if (!derived.ok) return judgesNothing(args.resources) ? undefined : report(contextViolation(derived.problem));
            for (const f of meta.check(
                args.resources,
                derived.context,
                settings(() => args.getConfig(), meta.defaults),
            ))
                report(f.message, f.urn);
        },
    };
}

/** JSON-schema fragments for settings. */
export const schema = {
    list(item: Record<string, PolicyConfigJSONSchema>, required: string[], description: string): PolicyConfigJSONSchema {
        return { type: "array", description, items: { type: "object", properties: item, required, additionalProperties: false } };
    },
    string: { type: "string" as const },
    boolean: { type: "boolean" as const },
    strings: { type: "array" as const, items: { type: "string" as const } },
    integers: { type: "array" as const, items: { type: "integer" as const } },
};

/** A stack rule that relates objects to each other but needs nothing about the deployment (RBAC bindings to roles). */
export function relationRule<C>(meta: RuleMeta<C> & { check(resources: readonly ResourceView[], config: C): Finding[] }): StackValidationPolicy {
    return {
        ...base(meta),
        validateStack: (args, report: ReportViolation) => {
            for (const f of meta.check(
                args.resources,
                settings(() => args.getConfig(), meta.defaults),
            ))
                report(f.message, f.urn);
        },
    };
}
