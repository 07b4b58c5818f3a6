// hostpath-allowlisted
import { defaultHostPaths, HostPathException, matchesWorkload } from "../../lib/exceptions";
import { containersOf, podTemplateOf } from "../../lib/resources";
import type { TenancyContext } from "../../lib/context";
import { deploymentRule, schema } from "../../lib/rule";

/** The rule's settings as built in; `settings()` adds what policy config gives. */
export const hostpathAllowlistedDefaults = { allowedHostPaths: defaultHostPaths as HostPathException[] };

/** A hostPath as the rule compares it: trailing slashes dropped, the root stays "/". */
export function normalHostPath(path: string): string {
    return String(path).replace(/\/+$/, "") || "/";
}

/** The exception that allows `workload` to mount `volumePath`, or undefined: the rule's own lookup, shared with the tenancy report. */
export function hostPathException(
    volumePath: string,
    workload: string,
    ctx: Pick<TenancyContext, "name">,
    config: Pick<typeof hostpathAllowlistedDefaults, "allowedHostPaths">,
): HostPathException | undefined {
    const path = normalHostPath(volumePath);
    return config.allowedHostPaths.find((e) => matchesWorkload(e.workload, ctx.name, workload) && e.path === path);
}

export const hostpathAllowlisted = deploymentRule({
    name: "hostpath-allowlisted",
    description:
        "A hostPath volume reaches past the container into the node every tenant shares: it can read other tenants' logs and secrets or change the node itself. Only the host folders Domino's node agents need are allowed, each for its own workload, and read-only unless writing is the point.",
    defaults: hostpathAllowlistedDefaults,
    configSchema: {
        properties: {
            allowedHostPaths: schema.list(
                { workload: schema.string, path: schema.string, readOnly: schema.boolean, reason: schema.string },
                ["workload", "path", "readOnly", "reason"],
                "hostPath mounts allowed per workload (<namespace>/<name>, {name} = deployment name)",
            ),
        },
    },
    check(r, ctx, config) {
        const pod = podTemplateOf(r);
        if (!pod) return [];
        const out: string[] = [];
        const volumes = (pod.spec.volumes ?? []) as { name: string; hostPath?: { path: string } }[];
        for (const volume of volumes) {
            if (!volume.hostPath) continue;
            const path = normalHostPath(volume.hostPath.path);
            const allowed = hostPathException(path, pod.workload, ctx, config);
            if (!allowed) {
                out.push(`${pod.kind} ${pod.workload} mounts hostPath ${path} (volume '${volume.name}'), which is not allowlisted for it`);
                continue;
            }
            if (!allowed.readOnly) continue;
            for (const c of containersOf(pod.spec)) {
                for (const m of (c.container.volumeMounts ?? []) as { name: string; readOnly?: boolean }[]) {
                    if (m.name === volume.name && m.readOnly !== true) {
                        out.push(
                            `${pod.kind} ${pod.workload}: container '${String(c.container.name)}' mounts hostPath ${path} writable; it is allowlisted read-only`,
                        );
                    }
                }
            }
        }
        return out;
    },
});
