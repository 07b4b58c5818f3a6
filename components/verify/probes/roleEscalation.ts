// MTB-PL2-CC-TI-1: no `escalate` on roles, no `bind` of cluster-admin, no impersonation:
// the three ways RBAC lets an account grant itself more than it has.

import { accessChecks, type AccessRow } from "../access";
import type { Probe } from "../probe";
import { dominoWorkload, serviceAccount } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

const rbac = "rbac.authorization.k8s.io";

export const roleEscalation: Probe = {
    id: "mtb-block-role-privilege-escalation",
    benchmark: "MTB-PL2-CC-TI-1",
    title: "tenants cannot escalate roles, bind cluster-admin or impersonate",
    remediation:
        "remove escalate, bind and impersonate from the roles bound to the service account (the rbac-least-privilege rule refuses them in Domino's own roles)",
    async run(ctx) {
        const t = ctx.target;
        const tenants = [
            { as: dominoWorkload(t), ns: t.namespaces.compute },
            { as: serviceAccount(t.namespaces.platform, platformServiceAccount), ns: t.namespaces.compute },
            ...(t.otherTenant ? [{ as: serviceAccount(t.otherTenant.namespace, t.otherTenant.serviceAccount), ns: t.otherTenant.namespace }] : []),
        ];
        const rows: AccessRow[] = tenants.flatMap(({ as, ns }) => [
            { as, attrs: { verb: "escalate", resource: "roles", group: rbac, namespace: ns }, allowed: false },
            { as, attrs: { verb: "escalate", resource: "clusterroles", group: rbac }, allowed: false },
            { as, attrs: { verb: "bind", resource: "clusterroles", group: rbac, name: "cluster-admin", namespace: ns }, allowed: false },
            { as, attrs: { verb: "bind", resource: "clusterroles", group: rbac, name: "admin", namespace: ns }, allowed: false },
            { as, attrs: { verb: "impersonate", resource: "users" }, allowed: false },
            { as, attrs: { verb: "impersonate", resource: "serviceaccounts", namespace: ns }, allowed: false },
            { as, attrs: { verb: "impersonate", resource: "groups" }, allowed: false },
        ]);
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
