// Evaluates a rule's admission twin in node, the way the API server applies a
// ValidatingAdmissionPolicy to one request: match the resource, bind `object`,
// `request` and `params`, compute the variables in order, then every validation.
// The CEL evaluator is @marcbachmann/cel-js; what our expressions use (macros,
// has(), `in`, strings split/join/matches/substring) it implements itself, so no
// Kubernetes library needs a shim. JSON integers become CEL ints, as in Kubernetes.

import { evaluate } from "@marcbachmann/cel-js";
import {
    asPlacementAdmits,
    dedicatedPlacementName,
    type PodScheduling,
    tenancyModelKey,
    tenancyModelLabel,
    type TenancyModelDocument,
} from "@domino-tenancy/core";
import type { PackConfig, PlanResourceLike } from "../../policy/lib/check";
import { type AdmissionPolicy, type AdmissionTwin, admissionParams, type ResourceRule } from "../../policy/admission";
import { type KubeObject, type RuleCase, tenancyModel, tweakPod, workloadKinds, type WorkloadKind } from "../../policy/testing/fixtures";

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };

function toCel(v: unknown): Json {
    if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
    if (Array.isArray(v)) return v.map(toCel);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
    return v as Json;
}

/** `PersistentVolumeClaim` -> `persistentvolumeclaims`, the resource a rule names. */
export function resourceOf(kind: string): string {
    const lower = kind.toLowerCase();
    return lower.endsWith("s") ? `${lower}es` : lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

function ruleMatches(r: ResourceRule, obj: KubeObject, operation: string): boolean {
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
    const namespaced = obj.metadata.namespace !== undefined;
    const any = (list: readonly string[], x: string) => list.includes("*") || list.includes(x);
    const scope = r.scope ?? "*";
    return (
        any(r.apiGroups, group) &&
        any(r.apiVersions, version) &&
        any(r.resources, resourceOf(obj.kind)) &&
        any(r.operations, operation) &&
        (scope === "*" || (scope === "Namespaced") === namespaced)
    );
}

type Judged = Pick<AdmissionTwin, "reach" | "resourceRules" | "excludeResourceRules" | "variables" | "validations">;

/** Whether a twin's (or policy's) matchConstraints (and reach) take this object at all. */
export function twinMatches(twin: Judged, obj: KubeObject, operation = "CREATE"): boolean {
    const namespaced = obj.metadata.namespace !== undefined;
    if (twin.reach === "namespaced" && !namespaced) return false;
    if (twin.reach === "cluster" && namespaced) return false;
    if ((twin.excludeResourceRules ?? []).some((r) => ruleMatches(r, obj, operation))) return false;
    return twin.resourceRules.some((r) => ruleMatches(r, obj, operation));
}

export interface Request {
    readonly username?: string;
    readonly operation?: "CREATE" | "UPDATE" | "DELETE";
}

/**
 * The refusals a twin, or a policy of several twins, gives one object (empty when
 * admitted), every failing check's message in order; the API server reports the
 * first. A CEL error throws: failurePolicy Fail would refuse.
 */
export function judge(twin: AdmissionTwin | AdmissionPolicy, obj: KubeObject, params: Record<string, string>, req: Request = {}): string[] {
    const label = "rule" in twin ? twin.rule : `policy ${twin.name}`;
    const operation = req.operation ?? "CREATE";
    if (!twinMatches(twin, obj, operation)) return [];
    const variables: Record<string, Json> = {};
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
    const ctx = {
        // A delete carries the object as oldObject, and no object.
        object: operation === "DELETE" ? null : toCel(obj),
        oldObject: operation === "DELETE" ? toCel(obj) : null,
        params: { data: params },
        request: {
            // As the API server sends it: a cluster-scoped request has no namespace key at all.
            ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
            kind: { group, version, kind: obj.kind },
            name: obj.metadata.name ?? "",
            operation,
            userInfo: { username: req.username ?? "system:serviceaccount:domino-platform:domino-operator" },
        },
        variables,
    };
    const run = (expression: string, what: string): unknown => {
        try {
            return evaluate(expression, ctx);
        } catch (e) {
            throw new Error(`${label}: ${what} failed on ${obj.kind} ${obj.metadata.name}: ${(e as Error).message}\n${expression}`, { cause: e });
        }
    };
    // Lazily, as the API server does: a variable no check reads is never evaluated.
    for (const v of twin.variables) {
        let value: Json | undefined;
        Object.defineProperty(variables, v.name, { enumerable: true, get: () => (value ??= run(v.expression, `variable ${v.name}`) as Json) });
    }
    const out: string[] = [];
    for (const [i, v] of twin.validations.entries()) {
        const ok = run(v.expression, `validation ${i}`);
        if (ok === true) continue;
        if (ok !== false) throw new Error(`${label}: validation ${i} returned ${String(ok)}, not a bool`);
        out.push(v.messageExpression ? String(run(v.messageExpression, `message ${i}`)) : v.message);
    }
    return out;
}

/** Cases whose verdict needs more than the object under review: preview-only by design, admitted at runtime. */
export const previewOnlyCases: Readonly<Record<string, readonly string[]>> = {
    "rbac-least-privilege": ["rejects a ClusterRoleBinding that grants secrets in every namespace"],
    "sysctls-safe": ["rejects the allowlisted writer writing a sysctl it is not allowlisted for"],
};

const isModel = (r: PlanResourceLike) => ((r.inputs.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {})[tenancyModelLabel] === "true";

/**
 * The Kubernetes objects a case hands the rule, without the tenancy model and cloud node
 * pools, as the validating policies get them: mutation runs first, so where the case's
 * stack declares the dedicated-placement policy, the pod templates in Domino's namespaces
 * arrive with what it adds (core's asPlacementAdmits states the policy's additions).
 */
export function objectsOf(c: RuleCase): KubeObject[] {
    if (c.object) return [c.object];
    const objects = (c.resources ?? []).filter((r) => r.type.startsWith("kubernetes:") && !isModel(r)).map((r) => r.inputs as unknown as KubeObject);
    const modelResource = (c.resources ?? []).find(isModel);
    const doc = modelResource ? (JSON.parse((modelResource.inputs.data as Record<string, string>)[tenancyModelKey]) as TenancyModelDocument) : tenancyModel();
    const placement = objects.some((o) => o.kind === "MutatingAdmissionPolicy" && o.metadata.name === dedicatedPlacementName(doc.deploymentName));
    const taint = doc.dedicatedTaint;
    if (!placement || !taint) return objects;
    const bound = new Set(Object.values(doc.namespaces));
    return objects.map((o) => {
        if (!workloadKinds.includes(o.kind as WorkloadKind) || !bound.has(o.metadata.namespace ?? "")) return o;
        return tweakPod(o, (pod) =>
            Object.assign(
                pod,
                asPlacementAdmits(pod as PodScheduling, {
                    dedicatedTaint: taint,
                    pools: doc.pools,
                    computeNamespace: doc.namespaces.compute,
                    namespace: o.metadata.namespace!,
                    daemonSet: o.kind === "DaemonSet",
                }),
            ),
        );
    });
}

/** The params the stack would generate for a case: its own tenancy model (or the default one) and its pack config. */
export function paramsOf(c: RuleCase): Record<string, string> {
    const model = (c.resources ?? []).find(isModel);
    const doc = model ? (JSON.parse((model.inputs.data as Record<string, string>)[tenancyModelKey]) as TenancyModelDocument) : tenancyModel();
    return admissionParams(doc, (c.config ?? {}) as PackConfig);
}
