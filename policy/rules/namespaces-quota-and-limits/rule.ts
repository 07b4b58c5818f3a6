// namespaces-quota-and-limits
import { k8sKind, metadataOf } from "../../lib/resources";
import { Finding, schema, stackRule } from "../../lib/rule";

export const namespacesQuotaAndLimits = stackRule({
    name: "namespaces-quota-and-limits",
    description:
        "Users' runs are created on demand, in numbers and sizes nobody reviews. Without a ResourceQuota they can claim the whole cluster's capacity; without a LimitRange a pod that states no resources gets none, and the scheduler treats it as free. Every Domino namespace that runs user workloads has both, with the quota bounding CPU and memory.",
    defaults: { userWorkloadNamespaces: ["compute"], requiredQuota: ["requests.cpu", "requests.memory", "limits.memory"] },
    configSchema: {
        properties: {
            userWorkloadNamespaces: { ...schema.strings, description: "namespace roles (from the tenancy model) that run user workloads" },
            requiredQuota: { ...schema.strings, description: "hard quota keys that must be set" },
        },
    },
    check(resources, ctx, config) {
        const out: Finding[] = [];
        for (const role of config.userWorkloadNamespaces) {
            const ns = ctx.namespaces[role];
            if (!ns) {
                out.push({ urn: ctx.modelUrn, message: `the tenancy model has no '${role}' namespace` });
                continue;
            }
            const inNs = (kind: string) => resources.filter((r) => k8sKind(r.type) === kind && metadataOf(r.props).namespace === ns);
            const quotas = inNs("ResourceQuota");
            if (quotas.length === 0) out.push({ urn: ctx.modelUrn, message: `namespace ${ns} runs user workloads but has no ResourceQuota` });
            else {
                const hard = new Set(quotas.flatMap((q) => Object.keys(((q.props.spec as { hard?: object } | undefined)?.hard ?? {}) as object)));
                const missing = config.requiredQuota.filter((k) => !hard.has(k) && !(k.startsWith("requests.") && hard.has(k.slice("requests.".length))));
                if (missing.length > 0) out.push({ urn: quotas[0].urn, message: `ResourceQuota in ${ns} does not bound ${missing.join(", ")}` });
            }
            if (inNs("LimitRange").length === 0) out.push({ urn: ctx.modelUrn, message: `namespace ${ns} runs user workloads but has no LimitRange` });
        }
        return out;
    },
});
