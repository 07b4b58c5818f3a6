// Synthetic plans for the policy-cost part: a real plan's Kubernetes objects
// replicated, each copy with its own resource name, URN and object name, until the
// plan holds N resources. Everything else (the stack, the cluster component, the
// providers) appears once, and so does the tenancy-model ConfigMap, since a stack
// declares exactly one.

import type { Plan, PlanResource } from "../../plan/engine";

/** The tenancy model's ConfigMap: named tenancy-model and labelled domino-tenancy/model=true (components/tenancyModel.ts). */
function tenancyModelNames(): { configMap: string; label: string } {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const m = require("@domino-tenancy/core") as { tenancyModelConfigMap?: string; tenancyModelLabel?: string };
        return { configMap: m.tenancyModelConfigMap ?? "tenancy-model", label: m.tenancyModelLabel ?? "domino-tenancy/model" };
    } catch {
        return { configMap: "tenancy-model", label: "domino-tenancy/model" };
    }
}

type Meta = { name?: string; labels?: Record<string, string> };

export function isTenancyModel(r: PlanResource): boolean {
    const { configMap, label } = tenancyModelNames();
    const meta = (r.inputs.metadata ?? {}) as Meta;
    return r.type === "kubernetes:core/v1:ConfigMap" && (meta.name === configMap || meta.labels?.[label] === "true");
}

function isReplicable(r: PlanResource): boolean {
    return r.type.startsWith("kubernetes:") && !isTenancyModel(r);
}

/** Copy number `copy` of a resource: name, URN, parent kept, object name suffixed; inputs deep-copied. */
function replica(r: PlanResource, copy: number): PlanResource {
    const suffix = `-r${copy}`;
    const inputs = structuredClone(r.inputs);
    const meta = inputs.metadata as Meta | undefined;
    if (meta && typeof meta.name === "string") meta.name = `${meta.name}${suffix}`;
    return { ...r, name: `${r.name}${suffix}`, urn: `${r.urn}${suffix}`, inputs, options: structuredClone(r.options) };
}

export interface SyntheticPlan {
    readonly plan: { readonly resources: PlanResource[] };
    /** Kubernetes objects of the base plan that were replicated. */
    readonly templates: number;
    /** How many copies of the whole set of templates (the last one may be partial). */
    readonly copies: number;
}

/** A plan of exactly `size` resources built from `base`. */
export function syntheticPlan(base: Plan, size: number): SyntheticPlan {
    const fixed = base.resources.filter((r) => !isReplicable(r));
    const templates = base.resources.filter(isReplicable);
    if (fixed.filter(isTenancyModel).length !== 1) throw new Error(`plan ${base.stack} has no single tenancy-model ConfigMap`);
    if (templates.length === 0 || size < fixed.length) throw new Error(`cannot build ${size} resources from plan ${base.stack}`);
    const resources = [...fixed];
    let copy = 0;
    while (resources.length < size) {
        for (const t of templates) {
            if (resources.length >= size) break;
            resources.push(copy === 0 ? t : replica(t, copy));
        }
        copy++;
    }
    return { plan: { resources }, templates: templates.length, copies: copy };
}
