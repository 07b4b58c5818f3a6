// no-host-namespaces
import { defaultHostNamespaces, HostNamespaceException, matchesWorkload } from "../../lib/exceptions";
import { containersOf, podTemplateOf } from "../../lib/resources";
import type { TenancyContext } from "../../lib/context";
import { deploymentRule, schema } from "../../lib/rule";

/** The rule's settings as built in; `settings()` adds what policy config gives. */
export const noHostNamespacesDefaults = { allowedHostNamespaces: defaultHostNamespaces as HostNamespaceException[] };

/** The exception that names `workload` for the node's namespaces and ports, or undefined: the rule's own lookup, shared with the tenancy report. */
export function hostNamespaceException(
    workload: string,
    ctx: Pick<TenancyContext, "name">,
    config: Pick<typeof noHostNamespacesDefaults, "allowedHostNamespaces">,
): HostNamespaceException | undefined {
    return config.allowedHostNamespaces.find((e) => matchesWorkload(e.workload, ctx.name, workload));
}

export const noHostNamespaces = deploymentRule({
    name: "no-host-namespaces",
    description:
        "A pod in the node's network, PID or IPC namespace sees and can reach every other tenant's processes and connections on that node, and a hostPort takes a port on the node from everyone. None of them is allowed, except for named workloads that exist to observe the node.",
    defaults: noHostNamespacesDefaults,
    configSchema: {
        properties: {
            allowedHostNamespaces: schema.list(
                {
                    workload: schema.string,
                    hostNetwork: schema.boolean,
                    hostPID: schema.boolean,
                    hostIPC: schema.boolean,
                    hostPorts: schema.integers,
                    reason: schema.string,
                },
                ["workload", "reason"],
                "workloads allowed to use the node's namespaces or ports",
            ),
        },
    },
    check(r, ctx, config) {
        const pod = podTemplateOf(r);
        if (!pod) return [];
        const allowed = hostNamespaceException(pod.workload, ctx, config);
        const spec = pod.spec as { hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean };
        const out: string[] = [];
        for (const ns of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (spec[ns] === true && allowed?.[ns] !== true) out.push(`${pod.kind} ${pod.workload} uses ${ns}`);
        }
        for (const c of containersOf(pod.spec)) {
            const ports = (c.container.ports ?? []) as { containerPort?: number; hostPort?: number }[];
            for (const p of ports) {
                // With hostNetwork, every container port is a port on the node.
                const hostPort = p.hostPort ?? (spec.hostNetwork === true ? p.containerPort : undefined);
                if (hostPort && !(allowed?.hostPorts ?? []).includes(hostPort))
                    out.push(`${pod.kind} ${pod.workload}: container '${String(c.container.name)}' takes host port ${hostPort}`);
            }
        }
        return out;
    },
});
