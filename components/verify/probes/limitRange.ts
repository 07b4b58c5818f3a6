// The compute namespace's LimitRange gives every container a default request and limit
// and a ceiling, so a run that states none cannot take a node (and the quota can count it).

import type { Probe } from "../probe";

interface LimitRangeList {
    items?: {
        metadata: { name: string };
        spec?: { limits?: { type?: string; default?: Record<string, string>; defaultRequest?: Record<string, string>; max?: Record<string, string> }[] };
    }[];
}

export const limitRange: Probe = {
    id: "domino-limit-range",
    title: "the compute namespace gives every container default requests, limits and a ceiling",
    remediation: "run `pulumi up` to restore the program's compute-limits LimitRange (domino.computeLimits sizes it)",
    async run(ctx) {
        const ns = ctx.target.namespaces.compute;
        const r = await ctx.client.get<LimitRangeList>(`/api/v1/namespaces/${ns}/limitranges`);
        if (r.status >= 300) throw new Error(`listing LimitRanges in ${ns} answered ${r.status}: ${r.message}`);
        const container = (r.body.items ?? []).flatMap((l) =>
            (l.spec?.limits ?? []).filter((x) => x.type === "Container").map((x) => ({ ...x, name: l.metadata.name })),
        );
        const checks = (["default", "defaultRequest", "max"] as const).flatMap((field) =>
            ["cpu", "memory"].map((resource) => {
                const found = container.find((c) => c[field]?.[resource] !== undefined);
                return {
                    identity: "the verifier (read)",
                    request: `GET limitranges in ${ns}: Container ${field}.${resource}`,
                    expected: "set",
                    actual: found ? `${found[field]![resource]} (${found.name})` : "not set",
                    holds: found !== undefined,
                };
            }),
        );
        return { checks };
    },
};
