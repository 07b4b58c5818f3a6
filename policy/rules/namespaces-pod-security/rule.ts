// namespaces-pod-security
import { podSecurityExceptionAnnotation, podSecurityLevels } from "@domino-tenancy/core";
import { defaultPrivilegedNamespaces, expand, NamespaceException } from "../../lib/exceptions";
import { k8sKind, metadataOf } from "../../lib/resources";
import type { TenancyContext } from "../../lib/context";
import { deploymentRule, schema } from "../../lib/rule";

/** The rule's settings as built in; `settings()` adds what policy config gives. */
export const namespacesPodSecurityDefaults = { allowedPrivilegedNamespaces: defaultPrivilegedNamespaces as NamespaceException[] };

/** The exception that allows `namespace` to enforce privileged, or undefined: the rule's own lookup, shared with the tenancy report. */
export function privilegedNamespaceException(
    namespace: string,
    ctx: Pick<TenancyContext, "name">,
    config: Pick<typeof namespacesPodSecurityDefaults, "allowedPrivilegedNamespaces">,
): NamespaceException | undefined {
    return config.allowedPrivilegedNamespaces.find((e) => expand(e.namespace, ctx.name) === namespace);
}

const enforceLabel = "pod-security.kubernetes.io/enforce";
const levels: readonly string[] = podSecurityLevels;

export const namespacesPodSecurity = deploymentRule({
    name: "namespaces-pod-security",
    description:
        "Pod Security Admission is the cluster's last line against a pod that escapes to its node, and it is set per namespace. Without an enforce label a namespace gets whatever the cluster defaults to, often privileged. Every namespace Domino creates states its level; privileged only for allowlisted namespaces that say why in the domino-tenancy/pod-security-exception annotation.",
    defaults: namespacesPodSecurityDefaults,
    configSchema: {
        properties: {
            allowedPrivilegedNamespaces: schema.list(
                { namespace: schema.string, reason: schema.string },
                ["namespace", "reason"],
                "namespaces allowed to enforce privileged",
            ),
        },
    },
    check(r, ctx, config) {
        if (k8sKind(r.type) !== "Namespace") return [];
        const meta = metadataOf(r.props);
        const level = meta.labels?.[enforceLabel];
        if (!level) return [`Namespace ${meta.name} has no ${enforceLabel} label`];
        if (!levels.includes(level)) return [`Namespace ${meta.name}: ${enforceLabel} is '${level}'; allowed: ${levels.join(", ")}`];
        if (level !== "privileged") return [];
        const out: string[] = [];
        if (!privilegedNamespaceException(String(meta.name), ctx, config)) out.push(`Namespace ${meta.name} enforces privileged but is not allowlisted for it`);
        if (!meta.annotations?.[podSecurityExceptionAnnotation])
            out.push(`Namespace ${meta.name} enforces privileged without a ${podSecurityExceptionAnnotation} annotation saying why`);
        return out;
    },
});
