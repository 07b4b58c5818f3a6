// Domino's promise: each admission twin is live. For every twin of a policy, the rule's
// own failing cases (policy/rules/<rule>/cases.ts) are dry-run created in Domino's
// namespaces, in order, until one is refused by that twin naming its rule; cases Pod
// Security or another rule refuses first, or the placement policy repairs (the pack then
// accepts what was admitted), are passed over. An admitted object the pack still refuses
// fails the probe. The refused case, moved to the other tenant's namespace (or created by
// the other tenant's account, for cluster-scoped objects), must draw no word from Domino's
// policies. One probe per policy, so a deleted binding fails exactly its own.
// Only cases whose params, where the twin reads them, equal the live ones replay.

import type { PlanResourceLike } from "domino-tenancy-policy/lib/check";
import { checkPlan } from "domino-tenancy-policy/lib/check";
import { admissionPolicies, allTwins, paramsName, type AdmissionPolicy, type AdmissionTwin } from "domino-tenancy-policy/admission";
import { allRules } from "domino-tenancy-policy/rules";
import { planOf, type KubeObject, type RuleCase } from "domino-tenancy-policy/testing/fixtures";
import { casesOf, objectsOf, paramsOf, previewOnlyCases } from "domino-tenancy-policy/testing/replay";
import type { Answer } from "../client";
import type { Check, Probe, ProbeContext } from "../probe";
import { causeOf, describeCause, dominoSpoke } from "../refusal";
import { tenantAdmin, type NamedIdentity } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

/** `NetworkPolicy` -> `networkpolicies`, `Ingress` -> `ingresses`: the plural the API path names. */
export function pluralOf(kind: string): string {
    const k = kind.toLowerCase();
    if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
    if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
    return `${k}s`;
}

export function pathOf(o: KubeObject, namespace?: string): string {
    const api = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    return `${api}${namespace ? `/namespaces/${namespace}` : ""}/${pluralOf(o.kind)}`;
}

function withNamespace(o: KubeObject, namespace: string | undefined): KubeObject {
    return { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
}

/** The case with the admitted object in place of the one sent, for the pack to judge again. */
function repairedCase(c: RuleCase, sent: KubeObject, admitted: KubeObject): RuleCase {
    if (c.object) return { ...c, object: admitted };
    const resources: PlanResourceLike[] = (c.resources ?? []).map((r) =>
        r.inputs === (sent as unknown) ? { ...r, inputs: admitted as unknown as Record<string, unknown> } : r,
    );
    return { ...c, resources };
}

interface Replayed {
    readonly check?: Check;
    /** Why the case told nothing about the twin, when it did not. */
    readonly passedOver?: string;
    readonly refused?: { readonly object: KubeObject };
}

async function replayCase(ctx: ProbeContext, twin: AdmissionTwin, c: RuleCase, o: KubeObject): Promise<Replayed> {
    const t = ctx.target;
    const ns = o.metadata.namespace;
    const as: NamedIdentity = ns ? tenantAdmin(ns, "default") : tenantAdmin(t.namespaces.platform, platformServiceAccount);
    const a: Answer<KubeObject> = await ctx.client.dryRunCreate<KubeObject>(pathOf(o, ns), o, as);
    const cause = causeOf(a, t.deploymentName);
    const request = `dry-run create ${o.kind} ${o.metadata.name}${ns ? ` in ${ns}` : ""} (case "${c.name}")`;
    const policy = `${t.deploymentName}-${twin.policy}`;
    if (cause.by === "domino-policy" && cause.rule === twin.rule && cause.policy === policy) {
        return {
            refused: { object: o },
            check: { identity: as.label, request, expected: `refused by ${policy}, rule ${twin.rule}`, actual: describeCause(cause), holds: true },
        };
    }
    if (cause.by === "admitted") {
        const rule = allRules.find((r) => r.name === twin.rule)!;
        if (checkPlan(planOf(repairedCase(c, o, a.body)), {}, [rule]).length > 0)
            return {
                check: {
                    identity: as.label,
                    request,
                    expected: `refused by ${twin.rule}`,
                    actual: "admitted, and the pack refuses what was admitted",
                    holds: false,
                },
            };
        return { passedOver: `"${c.name}" admitted as repaired at admission` };
    }
    if (cause.by === "other" && /already exists/.test(cause.text)) return { passedOver: `"${c.name}": an object of that name exists` };
    return { passedOver: `"${c.name}" ${describeCause(cause)}` };
}

async function otherTenantSide(ctx: ProbeContext, o: KubeObject): Promise<Check | undefined> {
    const t = ctx.target;
    if (!t.otherTenant) return undefined;
    const other = t.otherTenant;
    const theirs = withNamespace(o, o.metadata.namespace ? other.namespace : undefined);
    const as = tenantAdmin(other.namespace, other.serviceAccount);
    const a = await ctx.client.dryRunCreate(pathOf(theirs, theirs.metadata.namespace), theirs, as);
    return {
        identity: as.label,
        request: `dry-run create ${o.kind} ${o.metadata.name}${theirs.metadata.namespace ? ` in ${theirs.metadata.namespace}` : ""}`,
        expected: "no Domino admission policy speaks",
        actual: describeCause(causeOf(a, t.deploymentName)),
        holds: !dominoSpoke(a, t.deploymentName),
    };
}

async function liveParams(ctx: ProbeContext): Promise<Record<string, string> | undefined> {
    const t = ctx.target;
    const r = await ctx.client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${t.namespaces.system}/configmaps/${paramsName(t.deploymentName)}`);
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw new Error(`reading the admission params answered ${r.status}: ${r.message}`);
    return r.body.data ?? {};
}

/** The params keys a twin's CEL reads (`params.data.<key>` or `params.data['<key>']`). */
export function paramsReadBy(twin: AdmissionTwin): string[] {
    const text = JSON.stringify([twin.variables, twin.validations]);
    return [...new Set([...text.matchAll(/params\.data(?:\.([A-Za-z0-9_]+)|\['([^']+)'\])/g)].map((m) => m[1] ?? m[2]))].sort();
}

/**
 * A case replays when every params key its twin reads has the live value, so the twin
 * judges it as the pack did. A comma-separated list may hold more entries live (the
 * operator's API group, say) when the case's objects mention none of the extra ones.
 */
export function sameParams(keys: readonly string[], live: Record<string, string>, theirs: Record<string, string>, objects: readonly KubeObject[]): boolean {
    const text = JSON.stringify(objects);
    return keys.every((k) => {
        if (live[k] === theirs[k]) return true;
        if (live[k] === undefined || theirs[k] === undefined) return false;
        const [l, f] = [live[k].split(","), theirs[k].split(",")];
        const extra = l.filter((x) => !f.includes(x));
        return f.every((x) => l.includes(x)) && extra.every((x) => x !== "" && !text.includes(x));
    });
}

/** The policy and its binding as the API server serves them, the binding denying. */
async function servedAndDenying(ctx: ProbeContext, policyName: string, rule: string): Promise<Check> {
    const name = `${ctx.target.deploymentName}-${policyName}`;
    const base = "/apis/admissionregistration.k8s.io/v1";
    const served = await ctx.client.get<unknown>(`${base}/validatingadmissionpolicies/${name}`);
    const binding = await ctx.client.get<{ spec?: { validationActions?: string[] } }>(`${base}/validatingadmissionpolicybindings/${name}`);
    const actions = binding.status < 300 ? (binding.body.spec?.validationActions ?? []) : [];
    const holds = served.status < 300 && actions.includes("Deny");
    return {
        identity: "the verifier (read)",
        request: `GET validatingadmissionpolicy and binding ${name} (none of ${rule}'s failing cases applies to this deployment's params, so none can be replayed)`,
        expected: "both served, the binding with validationActions Deny",
        actual: holds
            ? `served, binding denies (${actions.join(", ")})`
            : `policy ${served.status < 300 ? "served" : `answered ${served.status}`}, binding ${binding.status < 300 ? `actions [${actions.join(", ")}]` : `answered ${binding.status}`}`,
        holds,
    };
}

function policyProbe(policy: AdmissionPolicy, twins: readonly AdmissionTwin[]): Probe {
    return {
        id: `domino-admission-${policy.name}`,
        title: `the ${policy.name} admission policy refuses its rules' failing cases in Domino's namespaces, and is silent in the other tenant's`,
        remediation: `restore the <deployment>-${policy.name} ValidatingAdmissionPolicy, its binding and the <deployment>-admission-params ConfigMap (\`pulumi up\`); the API server must serve admissionregistration.k8s.io/v1 (1.30+)`,
        async run(ctx) {
            const t = ctx.target;
            if (!t.admission) return { skip: "domino.admission.enabled is false: the stack registers no admission twins" };
            const params = await liveParams(ctx);
            const checks: Check[] = [];
            if (!params) {
                checks.push({
                    identity: "the verifier (read)",
                    request: `GET configmap ${paramsName(t.deploymentName)} in ${t.namespaces.system}`,
                    expected: "the twins' params",
                    actual: "not found",
                    holds: false,
                });
                return { checks };
            }
            const existing = new Set(t.namespaces.all);
            for (const twin of twins) {
                const keys = paramsReadBy(twin);
                const candidates = casesOf(twin.rule).filter(
                    (c) =>
                        c.expect !== null &&
                        !c.config &&
                        !(previewOnlyCases[twin.rule] ?? []).includes(c.name) &&
                        sameParams(keys, params, paramsOf(c), objectsOf(c)),
                );
                const passedOver: string[] = [];
                let decided: Replayed | undefined;
                for (const c of candidates) {
                    const objects = objectsOf(c).filter((o) => (o.metadata.namespace ? existing.has(o.metadata.namespace) : twin.reach !== "namespaced"));
                    for (const o of objects) {
                        const r = await replayCase(ctx, twin, c, o);
                        if (r.check) {
                            decided = r;
                            break;
                        }
                        passedOver.push(r.passedOver!);
                    }
                    if (decided) break;
                }
                const repaired = passedOver.filter((x) => x.endsWith("repaired at admission"));
                if (!decided && candidates.length > 0 && repaired.length === passedOver.length && passedOver.length > 0) {
                    // Under dedicated isolation the placement policy repairs these before the twin sees them; the pack accepts the result.
                    checks.push({
                        identity: "Domino's tenant admins",
                        request: `replay ${twin.rule}'s failing cases (${candidates.length} decided by the live params)`,
                        expected: `refused by ${twin.rule}, or repaired at admission into what the rule accepts`,
                        actual: `all ${repaired.length} repaired at admission (the dedicated-placement policy runs first) and accepted by the rule`,
                        holds: true,
                    });
                    continue;
                }
                if (!decided && candidates.length === 0) {
                    // Nothing this rule would refuse here (priority-classes-never-preempt refuses nothing
                    // under dedicated isolation, say): no dry run can show the twin live, so its policy and
                    // binding must at least be served, the binding denying.
                    checks.push(await servedAndDenying(ctx, policy.name, twin.rule));
                    continue;
                }
                if (!decided) {
                    checks.push({
                        identity: "Domino's tenant admins",
                        request: `replay ${twin.rule}'s failing cases (${candidates.length} decided by the live params)`,
                        expected: `one refused by ${twin.rule}`,
                        actual: `none: ${passedOver.slice(0, 4).join("; ")}${passedOver.length > 4 ? "; ..." : ""}`,
                        holds: false,
                    });
                    continue;
                }
                checks.push(decided.check!);
                if (decided.refused) {
                    const theirs = await otherTenantSide(ctx, decided.refused.object);
                    if (theirs) checks.push(theirs);
                }
            }
            return { checks };
        },
    };
}

/** One probe per admission policy the program registers, in the pack's order. */
export function admissionTwinProbes(): Probe[] {
    const twins = allTwins();
    return admissionPolicies(twins).map((p) =>
        policyProbe(
            p,
            twins.filter((tw) => tw.policy === p.name),
        ),
    );
}
