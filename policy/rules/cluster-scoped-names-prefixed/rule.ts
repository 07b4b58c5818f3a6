// cluster-scoped-names-prefixed
import { deploymentRule, schema } from "../../lib/rule";
import { isOperatorOwnObject } from "@domino-tenancy/core";
import { fromOperatorChart } from "../../lib/exceptions";
import { isClusterScoped, k8sKind, metadataOf } from "../../lib/resources";

/** Built-in settings, shared with the admission twin's params (policy/admission/params.ts). */
export const clusterScopedDefaults = { ownedApiGroups: ["dominodatalab.com"] as string[] };

export const clusterScopedNamesPrefixed = deploymentRule({
    name: "cluster-scoped-names-prefixed",
    description:
        "Cluster-scoped objects (namespaces, ClusterRoles and bindings, priority and storage classes, volumes, webhooks, admission policies...) exist once for every tenant. Prefixing each with the deployment name says whose it is, keeps two deployments from colliding, and stops Domino from overwriting another tenant's object of the same name. CRDs cannot be renamed, so they must be in an API group the deployment owns. One named exception (platform-operator-chart): the unprefixed objects Domino's Platform Operator chart fixes by name, accepted by kind and name only when they come from that chart.",
    defaults: clusterScopedDefaults,
    configSchema: {
        properties: { ownedApiGroups: { ...schema.strings, description: "API groups (and their subdomains) whose CRDs the deployment may create" } },
    },
    check(r, ctx, config) {
        if (!isClusterScoped(r)) return [];
        const kind = k8sKind(r.type);
        const name = metadataOf(r.props).name ?? "";
        // The exception is by kind, name and origin; with operator shared, the installing stack owns them.
        if (ctx.model.operator && isOperatorOwnObject(kind, name) && fromOperatorChart(r)) return [];
        if (kind === "CustomResourceDefinition") {
            const group = String((r.props.spec as { group?: unknown } | undefined)?.group ?? "");
            // The install's own groups come from the tenancy model, so a configured Domino group needs no policy config.
            const groups = [...config.ownedApiGroups, ...(ctx.model.installApiGroups ?? [])];
            const owned = groups.some((g) => group === g || group.endsWith(`.${g}`));
            return owned
                ? []
                : [`CustomResourceDefinition ${name} is in API group '${group}', which the deployment does not own (owned: ${groups.join(", ")})`];
        }
        return name.startsWith(ctx.prefix) ? [] : [`${kind} '${name}' is cluster-scoped but not prefixed '${ctx.prefix}'`];
    },
});
