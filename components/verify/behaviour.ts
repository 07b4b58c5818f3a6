// The multi-tenancy benchmarks' behavioural checks: a tenant admin dry-run creates a pod
// that does one forbidden thing. In Domino's compute namespace the refusal must come from
// the right cause (Pod Security at the level that forbids it, matched by its message, or
// Domino's rule that forbids it, by name), never from just any error, as kubectl-mtb
// would accept. Where the namespace's level allows it by design, the check reports the
// named exception instead. In the other tenant's namespace Domino's policies must stay silent:
// that tenant's own Pod Security level decides.

import type { PodSecurityLevel } from "@domino-tenancy/core";
import type { Answer } from "./client";
import { compliantPod, podsPath, type PodObject } from "./pods";
import type { Check, Probe, ProbeContext } from "./probe";
import { causeOf, describeCause, dominoSpoke } from "./refusal";
import { tenantAdmin, workloadServiceAccountName, type NamedIdentity } from "./target";

const strictness: Readonly<Record<PodSecurityLevel, number>> = { privileged: 0, baseline: 1, restricted: 2 };

export interface Behaviour {
    readonly id: string;
    readonly benchmark: string;
    readonly title: string;
    /** What the object does, as the report's request column says it. */
    readonly does: string;
    /** The least strict Pod Security level that refuses it. */
    readonly level: Exclude<PodSecurityLevel, "privileged">;
    /** Pod Security's words for it. */
    readonly podSecurity: RegExp;
    /** Domino's rules that refuse it too (their twins answer when Pod Security does not). */
    readonly rules: readonly string[];
    readonly remediation: string;
    /** The one change to a compliant pod. */
    readonly tweak: (pod: PodObject) => void;
}

/** The verdict on one refusal: the right cause, or why not. */
export function rightCause(answer: Answer, deploymentName: string, b: Pick<Behaviour, "podSecurity" | "rules">): boolean {
    const cause = causeOf(answer, deploymentName);
    if (cause.by === "pod-security") return b.podSecurity.test(cause.text);
    if (cause.by === "domino-policy") return b.rules.includes(cause.rule);
    return false;
}

async function create(ctx: ProbeContext, pod: PodObject, as: NamedIdentity): Promise<Answer> {
    return ctx.client.dryRunCreate(podsPath(pod.metadata.namespace), pod, as);
}

export function behaviourProbe(b: Behaviour): Probe {
    return {
        id: b.id,
        title: b.title,
        benchmark: b.benchmark,
        remediation: b.remediation,
        async run(ctx) {
            const t = ctx.target;
            const checks: Check[] = [];
            // The compute namespace, where tenants' workloads run (kubectl-mtb's), and the system namespace, Domino's strictest.
            for (const ns of [...new Set([t.namespaces.compute, t.namespaces.system])]) {
                const pod = compliantPod(t, ns, ctx.probeName(b.id));
                b.tweak(pod);
                const as = tenantAdmin(ns, workloadServiceAccountName);
                const answer = await create(ctx, pod, as);
                const level = t.podSecurity[ns]?.enforce ?? "privileged";
                const request = `dry-run create Pod in ${ns}: ${b.does}`;
                const actual = describeCause(causeOf(answer, t.deploymentName));
                const expected = `refused by Pod Security ${b.level} (${b.podSecurity.source})${b.rules.length ? ` or by ${b.rules.join(", ")}` : ""}`;
                // A Domino rule may refuse what the namespace's Pod Security level admits (no-privileged-containers
                // requires allowPrivilegeEscalation: false): the right cause holds whatever the level.
                if (strictness[level] >= strictness[b.level] || rightCause(answer, t.deploymentName, b)) {
                    checks.push({ identity: as.label, request, expected, actual, holds: rightCause(answer, t.deploymentName, b) });
                } else {
                    const why = `${ns} enforces Pod Security ${level}, which admits this; ${b.level} would refuse it (docs/verify.md)`;
                    checks.push({ identity: as.label, request, expected: `admitted by design: ${why}`, actual, holds: false, exception: why });
                }
            }
            if (t.otherTenant) {
                const other = t.otherTenant;
                const theirs = compliantPod(t, other.namespace, ctx.probeName(b.id));
                b.tweak(theirs);
                const them = tenantAdmin(other.namespace, other.serviceAccount);
                const a = await create(ctx, theirs, them);
                checks.push({
                    identity: them.label,
                    request: `dry-run create Pod in ${other.namespace}: ${b.does}`,
                    expected: `no Domino admission policy speaks; ${other.namespace}'s own Pod Security level decides`,
                    actual: describeCause(causeOf(a, t.deploymentName)),
                    holds: !dominoSpoke(a, t.deploymentName),
                });
            }
            return { checks };
        },
    };
}
