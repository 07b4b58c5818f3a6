// sysctls-safe
import { landingPools } from "@domino-tenancy/core";
import { defaultSysctlWriters, matchesWorkload, safeSysctls, SysctlWriterException } from "../../lib/exceptions";
import { containersOf, podTemplateOf } from "../../lib/resources";
import type { TenancyContext } from "../../lib/context";
import { Finding, schema, stackRule } from "../../lib/rule";

/** Node-level sysctls a container's command writes (`sysctl -w k=v`, or a write under /proc/sys). */
export function sysctlsWritten(command: readonly string[]): string[] {
    const text = command.join(" ");
    const found = new Set<string>();
    for (const m of text.matchAll(/sysctl\s+(?:-\w+\s+)*-w\s+([a-z0-9_.\-/]+)=/g)) found.add(m[1]);
    for (const m of text.matchAll(/\/proc\/sys\/([a-z0-9_/]+)/g)) found.add(m[1].replace(/\//g, "."));
    return [...found];
}

/** The rule's settings as built in; `settings()` adds what policy config gives. */
export const sysctlsSafeDefaults = { safeSysctls: safeSysctls as string[], nodeSysctlWriters: defaultSysctlWriters as SysctlWriterException[] };

/** The exception that allows `container` of `workload` to write node-level sysctls, or undefined: the rule's own lookup, shared with the tenancy report. */
export function sysctlWriterException(
    workload: string,
    container: string,
    ctx: Pick<TenancyContext, "name">,
    config: Pick<typeof sysctlsSafeDefaults, "nodeSysctlWriters">,
): SysctlWriterException | undefined {
    return config.nodeSysctlWriters.find((e) => matchesWorkload(e.workload, ctx.name, workload) && e.container === container);
}

export const sysctlsSafe = stackRule({
    name: "sysctls-safe",
    description:
        "Most kernel settings are per node, not per pod: a pod that sets one changes it for every tenant on the node. Pods may only set the namespaced sysctls Pod Security counts as safe. A node-level setting (vm.max_map_count for Elasticsearch) may only be written by an allowlisted DaemonSet that is confined to Domino's platform pool.",
    defaults: sysctlsSafeDefaults,
    configSchema: {
        properties: {
            safeSysctls: { ...schema.strings, description: "pod-level sysctls allowed" },
            nodeSysctlWriters: schema.list(
                { workload: schema.string, container: schema.string, sysctls: schema.strings, reason: schema.string },
                ["workload", "container", "sysctls", "reason"],
                "containers allowed to write node-level sysctls",
            ),
        },
    },
    check(resources, ctx, config) {
        const out: Finding[] = [];
        const platform = ctx.pools.filter((p) => p.role === "platform");
        for (const r of resources) {
            const pod = podTemplateOf(r);
            if (!pod) continue;
            const podSysctls = ((pod.spec.securityContext as { sysctls?: { name: string }[] } | undefined)?.sysctls ?? []).map((s) => s.name);
            for (const name of podSysctls.filter((s) => !config.safeSysctls.includes(s)))
                out.push({ urn: r.urn, message: `${pod.kind} ${pod.workload} sets sysctl ${name}, which is not in the safe set` });
            for (const c of containersOf(pod.spec)) {
                const written = sysctlsWritten([...((c.container.command ?? []) as string[]), ...((c.container.args ?? []) as string[])]);
                if (written.length === 0) continue;
                const name = String(c.container.name);
                const allowed = sysctlWriterException(pod.workload, name, ctx, config);
                const where = `${pod.kind} ${pod.workload}: container '${name}'`;
                if (!allowed) {
                    out.push({ urn: r.urn, message: `${where} writes node-level sysctl ${written.join(", ")} and is not an allowlisted writer` });
                    continue;
                }
                const extra = written.filter((s) => !allowed.sysctls.includes(s));
                if (extra.length > 0)
                    out.push({ urn: r.urn, message: `${where} writes ${extra.join(", ")}; it is allowlisted for ${allowed.sysctls.join(", ")} only` });
                if (pod.kind !== "DaemonSet")
                    out.push({
                        urn: r.urn,
                        message: `${where} writes a node-level sysctl from a ${pod.kind}; only a DaemonSet scoped to the platform pool may`,
                    });
                const lands = landingPools(pod.spec, ctx.pools);
                const off = lands.filter((p) => !platform.includes(p));
                if (off.length > 0)
                    out.push({
                        urn: r.urn,
                        message: `${where} writes a node-level sysctl and can land on pool(s) ${off.map((p) => p.name).join(", ")}, not only the platform pool`,
                    });
            }
        }
        return out;
    },
});
