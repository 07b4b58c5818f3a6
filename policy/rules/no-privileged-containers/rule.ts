// no-privileged-containers
import { defaultPrivileged, matchesWorkload, PrivilegedException } from "../../lib/exceptions";
import { containersOf, describeContainer, podTemplateOf } from "../../lib/resources";
import type { TenancyContext } from "../../lib/context";
import { deploymentRule, schema } from "../../lib/rule";

/** The rule's settings as built in; `settings()` adds what policy config gives. */
export const noPrivilegedContainersDefaults = { allowedPrivileged: defaultPrivileged as PrivilegedException[] };

/** The exception that allows `container` of `workload` to run privileged, or undefined: the rule's own lookup, shared with the tenancy report. */
export function privilegedException(
    workload: string,
    container: string,
    ctx: Pick<TenancyContext, "name">,
    config: Pick<typeof noPrivilegedContainersDefaults, "allowedPrivileged">,
): PrivilegedException | undefined {
    return config.allowedPrivileged.find((e) => matchesWorkload(e.workload, ctx.name, workload) && e.container === container);
}

export const noPrivilegedContainers = deploymentRule({
    name: "no-privileged-containers",
    description:
        "A privileged container, an added capability or a process allowed to gain privileges can take over the node, and with it every other tenant's pods on it. Containers run unprivileged, add no capability and set allowPrivilegeEscalation to false; the only exceptions are named containers whose job is a node-level change.",
    defaults: noPrivilegedContainersDefaults,
    configSchema: {
        properties: {
            allowedPrivileged: schema.list(
                { workload: schema.string, container: schema.string, reason: schema.string },
                ["workload", "container", "reason"],
                "containers allowed to run privileged",
            ),
        },
    },
    check(r, ctx, config) {
        const pod = podTemplateOf(r);
        if (!pod) return [];
        const out: string[] = [];
        for (const c of containersOf(pod.spec)) {
            const name = String(c.container.name);
            if (privilegedException(pod.workload, name, ctx, config)) continue;
            const sc = (c.container.securityContext ?? {}) as { privileged?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { add?: string[] } };
            const where = `${pod.kind} ${pod.workload}: ${describeContainer(c)}`;
            if (sc.privileged === true) out.push(`${where} is privileged`);
            if ((sc.capabilities?.add ?? []).length > 0) out.push(`${where} adds capabilities ${sc.capabilities?.add?.join(", ")}`);
            if (sc.allowPrivilegeEscalation !== false) out.push(`${where} does not set allowPrivilegeEscalation: false`);
        }
        return out;
    },
});
