// MTB-PL1-BC-CPI-2: what the program puts in Domino's namespaces to guard them (the
// quota, the LimitRange, the default-deny NetworkPolicies, the RoleBindings; labelled
// app.kubernetes.io/managed-by=domino-tenancy) cannot be deleted by a tenant admin of
// that namespace. The refusal must be the guards-stay admission policy's: RBAC cannot
// tell the program's objects from the tenant's own.

import { managedByLabel, programName } from "@domino-tenancy/core";
import type { Check, Probe } from "../probe";
import { causeOf, describeCause } from "../refusal";
import { tenantAdmin } from "../target";

export const guardsStayRule = "guards-stay";

/** The kinds the guard protects, as API paths. */
export const guardedResources: readonly (readonly [path: string, resource: string])[] = [
    ["/api/v1", "resourcequotas"],
    ["/api/v1", "limitranges"],
    ["/apis/networking.k8s.io/v1", "networkpolicies"],
    ["/apis/rbac.authorization.k8s.io/v1", "rolebindings"],
    ["/apis/rbac.authorization.k8s.io/v1", "roles"],
];

interface List {
    items?: { metadata: { name: string } }[];
}

export const guardsStay: Probe = {
    id: "mtb-block-multitenant-resources",
    benchmark: "MTB-PL1-BC-CPI-2",
    title: "a tenant admin cannot delete the guards the program put in Domino's namespaces",
    remediation: `restore the ${guardsStayRule} admission policy and binding (\`pulumi up\`); check domino.admission.deployIdentities names only the deploy identity`,
    async run(ctx) {
        const t = ctx.target;
        const selector = encodeURIComponent(`${managedByLabel}=${programName}`);
        const checks: Check[] = [];
        for (const ns of t.namespaces.all) {
            const as = tenantAdmin(ns, "default");
            for (const [api, resource] of guardedResources) {
                const r = await ctx.client.get<List>(`${api}/namespaces/${ns}/${resource}?labelSelector=${selector}`);
                if (r.status === 404) continue;
                if (r.status >= 300) throw new Error(`listing ${resource} in ${ns} answered ${r.status}: ${r.message}`);
                for (const item of r.body.items ?? []) {
                    const a = await ctx.client.dryRunDelete(`${api}/namespaces/${ns}/${resource}/${item.metadata.name}`, as);
                    const cause = causeOf(a, t.deploymentName);
                    checks.push({
                        identity: as.label,
                        request: `dry-run delete ${resource} ${item.metadata.name} in ${ns}`,
                        expected: `refused by ${t.deploymentName}-${guardsStayRule}`,
                        actual: describeCause(cause),
                        holds: cause.by === "domino-policy" && cause.rule === guardsStayRule,
                    });
                }
            }
        }
        if (checks.length === 0)
            checks.push({
                identity: "the verifier (read)",
                request: `list ${guardedResources.map(([, r]) => r).join(", ")} labelled ${managedByLabel}=${programName} in ${t.namespaces.all.join(", ")}`,
                expected: "the program's guards are there",
                actual: "none found",
                holds: false,
            });
        return { checks };
    },
};
