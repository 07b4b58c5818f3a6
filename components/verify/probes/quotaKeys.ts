// MTB-PL1-CC-FNS-1 and -2: the compute namespace's quota bounds what all of Domino's
// runs take together (cpu, memory, ephemeral storage) and how many objects of each
// kind they create. Read from the live ResourceQuotas, whoever wrote them.

import type { Probe } from "../probe";

interface QuotaList {
    items?: { metadata: { name: string }; spec?: { hard?: Record<string, string> } }[];
}

/** Each benchmark key and the quota keys that count as covering it. */
const computeKeys: Readonly<Record<string, readonly string[]>> = {
    cpu: ["requests.cpu", "limits.cpu", "cpu"],
    memory: ["requests.memory", "limits.memory", "memory"],
    "ephemeral-storage": ["requests.ephemeral-storage", "limits.ephemeral-storage", "ephemeral-storage"],
};
const objectKeys: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
    [
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    ].map((k) => [k, [k, `count/${k}`]]),
);

function quotaProbe(id: string, benchmark: string, title: string, wanted: Readonly<Record<string, readonly string[]>>, remediation: string): Probe {
    return {
        id,
        benchmark,
        title,
        remediation,
        async run(ctx) {
            const ns = ctx.target.namespaces.compute;
            const r = await ctx.client.get<QuotaList>(`/api/v1/namespaces/${ns}/resourcequotas`);
            if (r.status >= 300) throw new Error(`listing ResourceQuotas in ${ns} answered ${r.status}: ${r.message}`);
            const hard = new Map<string, string>();
            for (const q of r.body.items ?? []) for (const [k, v] of Object.entries(q.spec?.hard ?? {})) hard.set(k, `${v} (${q.metadata.name})`);
            return {
                checks: Object.entries(wanted).map(([key, accepted]) => {
                    const found = accepted.find((k) => hard.has(k));
                    return {
                        identity: "the verifier (read)",
                        request: `GET resourcequotas in ${ns}: a hard limit on ${key}`,
                        expected: `one of ${accepted.join(", ")}`,
                        actual: found ? `${found} = ${hard.get(found)}` : `none (keys: ${[...hard.keys()].join(", ") || "no quota"})`,
                        holds: found !== undefined,
                    };
                }),
            };
        },
    };
}

export const resourceQuota = quotaProbe(
    "mtb-configure-ns-quotas",
    "MTB-PL1-CC-FNS-1",
    "the compute namespace's quota bounds cpu, memory and ephemeral storage",
    computeKeys,
    "run `pulumi up` to restore the program's compute-quota (domino.computeQuota sizes it); if it is there, someone removed keys from it",
);

export const objectQuota = quotaProbe(
    "mtb-configure-ns-object-quota",
    "MTB-PL1-CC-FNS-2",
    "the compute namespace's quota bounds the count of every object kind the benchmark names",
    objectKeys,
    "run `pulumi up` to restore the program's compute-quota (domino.computeQuota.objects sizes the counts)",
);
