// Domino's promise: none of Domino's service accounts can read the other tenant's
// Secrets. Every service account that exists in Domino's namespaces is asked (the
// operator's is left to domino-operator-confined), plus the run pods' own.

import { accessChecks, type AccessRow } from "../access";
import type { Probe } from "../probe";
import { serviceAccount } from "../target";

interface List {
    items?: { metadata: { name: string; namespace: string } }[];
}

export const secrets: Probe = {
    id: "domino-secrets-isolated",
    title: "Domino's service accounts cannot read the other tenant's Secrets",
    remediation:
        "find what grants it: kubectl get rolebindings -n <other tenant> -o wide, and the ClusterRoleBindings naming the service account; Domino's accounts need no access outside Domino's namespaces",
    async run(ctx) {
        const t = ctx.target;
        if (!t.otherTenant) return { skip: "no other tenant's namespace on this cluster (give --other-tenant)" };
        // The run pods' account is asked even before anything runs (it exists once the namespace does).
        const accounts = new Set<string>([`${t.namespaces.compute}/default`]);
        for (const ns of t.namespaces.all) {
            const r = await ctx.client.get<List>(`/api/v1/namespaces/${ns}/serviceaccounts`);
            if (r.status === 404) continue;
            if (r.status >= 300) throw new Error(`listing service accounts in ${ns} answered ${r.status}: ${r.message}`);
            for (const sa of r.body.items ?? []) accounts.add(`${ns}/${sa.metadata.name}`);
        }
        if (t.operator) accounts.delete(t.operator.serviceAccount.replace(/^system:serviceaccount:([^:]+):/, "$1/"));
        const rows: AccessRow[] = [...accounts].sort().flatMap((key) => {
            const [ns, name] = key.split("/");
            const as = serviceAccount(ns, name);
            return ["get", "list", "watch"].map((verb) => ({ as, attrs: { verb, resource: "secrets", namespace: t.otherTenant!.namespace }, allowed: false }));
        });
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
