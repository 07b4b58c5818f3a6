// Plans for the policy integration tests: the shipped stacks' plans (computed once per
// test run) and small, named edits that break exactly one thing. The rules' own cases
// build minimal objects instead (policy/testing/fixtures.ts).

import { type Plan, type PlanResource, runPlan } from "../../plan/engine";
import * as yaml from "js-yaml";
import { reviewableConfigAnnotation } from "../../components/kubernetes/dominoResource";

const cache = new Map<string, Promise<Plan>>();

/** A shipped stack's plan; each caller gets its own deep copy to edit. */
export async function shippedPlan(stack: string): Promise<Plan> {
    if (!cache.has(stack)) cache.set(stack, runPlan({ stack, env: {} }));
    return structuredClone(await cache.get(stack)!);
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests edit manifests freely

/** The resource for a Kubernetes object (by kind and name, optionally namespace). */
export function resource(plan: Plan, kind: string, name: string, namespace?: string): PlanResource {
    const found = plan.resources.find(
        (r) =>
            r.type.endsWith(`:${kind}`) &&
            (r.inputs as Obj).metadata?.name === name &&
            (namespace === undefined || (r.inputs as Obj).metadata?.namespace === namespace),
    );
    if (!found) throw new Error(`no ${kind} ${name} in plan ${plan.stack}`);
    return found;
}

/** The inputs of a Kubernetes object, to edit in place. */
export function manifest(plan: Plan, kind: string, name: string, namespace?: string): Obj {
    return resource(plan, kind, name, namespace).inputs as Obj;
}

/** The pod spec of a workload, to edit in place. */
export function podSpec(plan: Plan, kind: string, name: string): Obj {
    const m = manifest(plan, kind, name);
    return kind === "CronJob" ? m.spec.jobTemplate.spec.template.spec : m.spec.template.spec;
}

/** Adds a Kubernetes object as the program would register it. */
export function addObject(plan: Plan, type: string, inputs: Obj): Plan {
    const name = `${inputs.metadata?.namespace ? `${inputs.metadata.namespace}-` : ""}${inputs.metadata?.name}`;
    const root = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    plan.resources.push({
        urn: `urn:pulumi:${plan.stack}::${plan.project}::${type}::${name}`,
        type,
        name,
        parent: root.urn,
        custom: true,
        inputs,
        options: { protect: false, retainOnDelete: false, provider: null, dependsOn: [], ignoreChanges: [] },
    });
    return plan;
}

/**
 * Edits the generated Domino config a plan shows: the `Domino` resource's reviewable copy
 * (its spec.config is secret in every plan), as someone editing the plan would.
 */
export function editDominoConfig(plan: Plan, name: string, edit: (config: Obj) => void): void {
    const annotations = (manifest(plan, "Domino", name).metadata as { annotations: Record<string, string> }).annotations;
    const config = yaml.load(annotations[reviewableConfigAnnotation]) as Obj;
    edit(config);
    annotations[reviewableConfigAnnotation] = yaml.dump(config);
}
