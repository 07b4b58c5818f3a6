// Domino's promise under dedicated isolation: the other tenant's pods cannot land on
// Domino's nodes. Read from the real nodes (each node of a Domino pool carries the pool's
// taints) and from the real admission chain (the other tenant's plain pod, dry-run
// created, comes back without a toleration or placement that reaches Domino's nodes:
// no webhook or policy rewrites it to).

import { whyNotOn, type PodScheduling, type Taint } from "@domino-tenancy/core";
import type { Check, Probe } from "../probe";
import { compliantPod, podsPath } from "../pods";
import { causeOf, describeCause } from "../refusal";
import { tenantAdmin } from "../target";

interface NodeList {
    items?: { metadata: { name: string; labels?: Record<string, string> }; spec?: { taints?: Taint[] } }[];
}

const show = (t: Taint) => `${t.key}=${t.value ?? ""}:${t.effect}`;

export const dedicatedNodes: Probe = {
    id: "domino-dedicated-nodes",
    title: "the other tenant's pods cannot land on Domino's nodes: every Domino node carries its pool's taints",
    remediation:
        "re-apply the pool's taints (the node group or node pool's taint config; `kubectl taint node <node> <key>=<value>:<effect>` until the next node update), and remove any webhook that adds tolerations to other tenants' pods",
    async run(ctx) {
        const t = ctx.target;
        if (t.isolation !== "dedicated" || !t.dedicatedTaint) return { skip: "isolation is shared: other tenants' pods may share Domino's nodes by design" };
        const r = await ctx.client.get<NodeList>("/api/v1/nodes");
        if (r.status >= 300) throw new Error(`listing nodes answered ${r.status}: ${r.message}`);
        const nodes = r.body.items ?? [];
        const checks: Check[] = [];
        const dominoNodes: { name: string; labels: Record<string, string>; taints: Taint[] }[] = [];
        for (const pool of t.pools) {
            const members = nodes.filter((n) => Object.entries(pool.labels).every(([k, v]) => n.metadata.labels?.[k] === v));
            if (members.length === 0) {
                checks.push({
                    identity: "the verifier (read)",
                    request: `GET nodes labelled ${JSON.stringify(pool.labels)}`,
                    expected: `nodes of pool ${pool.name}`,
                    actual: "none (npm run preflight says why)",
                    holds: false,
                });
                continue;
            }
            for (const n of members) {
                const taints = n.spec?.taints ?? [];
                dominoNodes.push({ name: n.metadata.name, labels: n.metadata.labels ?? {}, taints });
                const missing = pool.taints.filter(
                    (want) => !taints.some((x) => x.key === want.key && (x.value ?? "") === (want.value ?? "") && x.effect === want.effect),
                );
                checks.push({
                    identity: "the verifier (read)",
                    request: `GET node ${n.metadata.name} (pool ${pool.name}): taints`,
                    expected: pool.taints.map(show).join(", "),
                    actual: taints.length ? taints.map(show).join(", ") : "no taints",
                    holds: missing.length === 0,
                });
            }
        }
        if (t.otherTenant) {
            const o = t.otherTenant;
            const as = tenantAdmin(o.namespace, o.serviceAccount);
            const a = await ctx.client.dryRunCreate<{ spec?: PodScheduling }>(podsPath(o.namespace), compliantPod(t, o.namespace, ctx.probeName("tenant")), as);
            const reach = a.status < 300 ? dominoNodes.filter((n) => whyNotOn(a.body.spec ?? {}, n) === undefined).map((n) => n.name) : [];
            checks.push({
                identity: as.label,
                request: `dry-run create a plain Pod in ${o.namespace}; can the admitted pod land on a Domino node?`,
                expected: "admitted, and it reaches no Domino node",
                actual:
                    a.status >= 300
                        ? describeCause(causeOf(a, t.deploymentName))
                        : reach.length
                          ? `it can land on ${reach.join(", ")} (tolerations ${JSON.stringify(a.body.spec?.tolerations ?? [])})`
                          : "it reaches no Domino node",
                holds: a.status < 300 && reach.length === 0,
            });
        }
        return { checks };
    },
};
