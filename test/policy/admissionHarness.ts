// Evaluates a rule's admission twin in node, the way the API server applies a
// ValidatingAdmissionPolicy to one request: match the resource, bind `object`,
// `request` and `params`, compute the variables in order, then every validation.
// The CEL evaluator is @marcbachmann/cel-js; what our expressions use (macros,
// has(), `in`, strings split/join/matches/substring) it implements itself, so no
// Kubernetes library needs a shim. JSON integers become CEL ints, as in Kubernetes.

import { evaluate } from "@marcbachmann/cel-js";
import type { AdmissionPolicy, AdmissionTwin, ResourceRule } from "../../policy/admission";
import type { KubeObject } from "../../policy/testing/fixtures";

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

// Which cases replay at admission and with what params: shared with `npm run verify`.
export { objectsOf, paramsOf, previewOnlyCases } from "../../policy/testing/replay";
