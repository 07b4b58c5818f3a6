// MTB-PL1-CC-TI-1: tenants cannot change the ResourceQuota set in their namespace.

import { accessChecks, type AccessRow } from "../access";
import type { Probe } from "../probe";
import { dominoWorkload, serviceAccount } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

export const quotaModification: Probe = {
    id: "mtb-block-modification-of-resource-quotas",
    benchmark: "MTB-PL1-CC-TI-1",
    title: "tenants cannot create, change or delete their namespace's quota or limits",
    remediation: "remove the Role or ClusterRole rule granting resourcequotas/limitranges writes to the tenant's service account",
    async run(ctx) {
        const t = ctx.target;
        const ns = t.namespaces.compute;
        const tenants = [
            { as: dominoWorkload(t), ns },
            { as: serviceAccount(t.namespaces.platform, platformServiceAccount), ns },
            ...(t.otherTenant ? [{ as: serviceAccount(t.otherTenant.namespace, t.otherTenant.serviceAccount), ns: t.otherTenant.namespace }] : []),
        ];
        const rows: AccessRow[] = tenants.flatMap(({ as, ns: namespace }) =>
            ["resourcequotas", "limitranges"].flatMap((resource) =>
                ["create", "update", "patch", "delete"].map((verb) => ({ as, attrs: { verb, resource, namespace }, allowed: false })),
            ),
        );
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
