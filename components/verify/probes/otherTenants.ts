// MTB-PL2-CC-TI-2: no access to another tenant's namespaced objects, both ways: Domino's
// service accounts in the other tenant's namespace, the other tenant's in Domino's.
// Secrets in the other tenant's namespace are domino-secrets-isolated's, so one extra
// grant fails exactly one probe.

import { accessChecks, type AccessRow, type Resource } from "../access";
import type { Probe } from "../probe";
import { dominoWorkload, serviceAccount } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

const namespaced: readonly Resource[] = [
    ["pods", ""],
    ["configmaps", ""],
    ["services", ""],
    ["serviceaccounts", ""],
    ["persistentvolumeclaims", ""],
    ["deployments", "apps"],
    ["rolebindings", "rbac.authorization.k8s.io"],
];
const verbs = ["get", "list", "create", "update", "delete"];

export const otherTenants: Probe = {
    id: "mtb-block-access-to-other-tenant-resources",
    benchmark: "MTB-PL2-CC-TI-2",
    title: "Domino's service accounts and the other tenant's cannot touch each other's namespaced objects",
    remediation: "remove the RoleBinding or ClusterRoleBinding that reaches across tenants (kubectl get rolebindings,clusterrolebindings -A -o wide)",
    async run(ctx) {
        const t = ctx.target;
        if (!t.otherTenant) return { skip: "no other tenant's namespace on this cluster (give --other-tenant)" };
        const other = t.otherTenant;
        const theirs = serviceAccount(other.namespace, other.serviceAccount);
        const rows: AccessRow[] = [];
        for (const as of [dominoWorkload(t), serviceAccount(t.namespaces.platform, platformServiceAccount)])
            for (const [resource, group] of namespaced)
                for (const verb of verbs) rows.push({ as, attrs: { verb, resource, group, namespace: other.namespace }, allowed: false });
        for (const namespace of t.namespaces.all)
            for (const [resource, group] of [...namespaced, ["secrets", ""] as const])
                for (const verb of verbs) rows.push({ as: theirs, attrs: { verb, resource, group, namespace }, allowed: false });
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
