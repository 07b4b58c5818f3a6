// Domino's promise (issue 16, made real by issue 20): the platform operator's service
// account cannot read the other tenant's Secrets. Skipped, saying why, where the stack
// installs no operator of its own.

import { accessChecks } from "../access";
import type { Probe } from "../probe";

export const operatorConfined: Probe = {
    id: "domino-operator-confined",
    title: "the platform operator's service account cannot read the other tenant's Secrets",
    remediation:
        "bind the operator's ClusterRoles to Domino's namespaces only (RoleBindings), not cluster-wide: Domino's chart binds a cluster-admin-like role (docs/verify.md)",
    async run(ctx) {
        const t = ctx.target;
        if (!t.operator) return { skip: "the stack installs no operator (domino.install: the operator is shared or the install is the agent's)" };
        if (!t.otherTenant) return { skip: "no other tenant's namespace on this cluster (give --other-tenant)" };
        const as = { user: t.operator.serviceAccount, label: t.operator.serviceAccount };
        const rows = ["get", "list"].map((verb) => ({ as, attrs: { verb, resource: "secrets", namespace: t.otherTenant!.namespace }, allowed: false }));
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
