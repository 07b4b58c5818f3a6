// no-shared-namespaces
import { clusterScopedKinds, k8sKind, metadataOf, objectRef } from "../../lib/resources";
import { resourceRule, schema } from "../../lib/rule";

/** Kubernetes types that are not objects in a namespace: packaging and the provider. */
const notObjects = /^kubernetes:(yaml|kustomize|helm\.sh\/v[34]:Chart|pulumi|index)/;

export const noSharedNamespaces = resourceRule({
    name: "no-shared-namespaces",
    description:
        "default, kube-system, kube-public and kube-node-lease belong to the cluster and to every tenant: RBAC, quotas and network policies there are the cluster operators', not Domino's. Every namespaced object goes into one of Domino's own namespaces, named explicitly, never into whatever namespace the provider defaults to.",
    defaults: { sharedNamespaces: ["default", "kube-system", "kube-public", "kube-node-lease"] },
    configSchema: { properties: { sharedNamespaces: { ...schema.strings, description: "namespaces no object may be created in" } } },
    check(r, config) {
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            const ns = String(r.props.namespace ?? "");
            return config.sharedNamespaces.includes(ns) || ns === ""
                ? [`Helm release ${r.name} installs into ${ns ? `shared namespace '${ns}'` : "no explicit namespace"}`]
                : [];
        }
        const kind = k8sKind(r.type);
        if (!kind || clusterScopedKinds.has(kind) || notObjects.test(r.type)) return [];
        const ns = metadataOf(r.props).namespace;
        if (!ns) return [`${kind} ${objectRef(r)} names no namespace: it would land in the provider's default namespace`];
        return config.sharedNamespaces.includes(ns) ? [`${kind} ${objectRef(r)} is in shared namespace '${ns}'`] : [];
    },
});
