// MTB-PL1-BC-HI-1 (NodePort half): a tenant cannot open a port on every node. In
// Domino's compute namespace the refusal must come from the no-nodeport-loadbalancer rule
// or from the quota's services.nodeports = 0, nothing else; in the other tenant's
// namespace Domino's policies stay silent.

import type { Probe } from "../probe";
import { probeLabels } from "../pods";
import { causeOf, describeCause, dominoSpoke } from "../refusal";
import { tenantAdmin, workloadServiceAccountName } from "../target";

function service(name: string, namespace: string) {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace, labels: { ...probeLabels } },
        spec: { type: "NodePort", selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
    };
}

export const nodePort: Probe = {
    id: "mtb-block-nodeport-services",
    benchmark: "MTB-PL1-BC-HI-1",
    title: "a tenant cannot create a NodePort Service",
    remediation: "restore the no-nodeport-loadbalancer admission binding, or services.nodeports: 0 in the compute quota (`pulumi up`)",
    async run(ctx) {
        const t = ctx.target;
        const ns = t.namespaces.compute;
        const as = tenantAdmin(ns, workloadServiceAccountName);
        const a = await ctx.client.dryRunCreate(`/api/v1/namespaces/${ns}/services`, service(ctx.probeName("nodeport"), ns), as);
        const cause = causeOf(a, t.deploymentName);
        const checks = [
            {
                identity: as.label,
                request: `dry-run create Service type NodePort in ${ns}`,
                expected: "refused by no-nodeport-loadbalancer or by quota services.nodeports",
                actual: describeCause(cause),
                holds:
                    (cause.by === "domino-policy" && cause.rule === "no-nodeport-loadbalancer") ||
                    (cause.by === "quota" && /services\.nodeports/.test(cause.text)),
            },
        ];
        if (t.otherTenant) {
            const o = t.otherTenant;
            const them = tenantAdmin(o.namespace, o.serviceAccount);
            const b = await ctx.client.dryRunCreate(`/api/v1/namespaces/${o.namespace}/services`, service(ctx.probeName("nodeport"), o.namespace), them);
            checks.push({
                identity: them.label,
                request: `dry-run create Service type NodePort in ${o.namespace}`,
                expected: `no Domino admission policy speaks; ${o.namespace}'s own rules decide`,
                actual: describeCause(causeOf(b, t.deploymentName)),
                holds: !dominoSpoke(b, t.deploymentName),
            });
        }
        return { checks };
    },
};
