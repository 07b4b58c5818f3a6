// MTB-PL1-CC-CPI-1: tenants get no verb on cluster-scoped resources. Domino's platform
// service account reads nodes and StorageClasses by design (its admin pages show node
// pools and capacity): those reads are a named exception, every other verb is denied.

import { accessChecks, type AccessRow, type Resource } from "../access";
import type { Probe } from "../probe";
import { dominoWorkload, serviceAccount } from "../target";
import { clusterRoleRules, platformServiceAccount } from "../../kubernetes/dominoTenancy";

const clusterScoped: readonly Resource[] = [
    ["nodes", ""],
    ["namespaces", ""],
    ["persistentvolumes", ""],
    ["clusterroles", "rbac.authorization.k8s.io"],
    ["clusterrolebindings", "rbac.authorization.k8s.io"],
    ["priorityclasses", "scheduling.k8s.io"],
    ["storageclasses", "storage.k8s.io"],
    ["customresourcedefinitions", "apiextensions.k8s.io"],
    ["validatingadmissionpolicies", "admissionregistration.k8s.io"],
    ["validatingadmissionpolicybindings", "admissionregistration.k8s.io"],
    ["mutatingadmissionpolicies", "admissionregistration.k8s.io"],
    ["flowschemas", "flowcontrol.apiserver.k8s.io"],
];
const verbs = ["get", "list", "create", "update", "delete"];

/** What the program's node-reader ClusterRole grants the platform service account: reads only. */
function grantedToPlatform(resource: string, group: string, verb: string): boolean {
    return clusterRoleRules["node-reader"].some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

export const clusterResources: Probe = {
    id: "mtb-block-access-to-cluster-resources",
    benchmark: "MTB-PL1-CC-CPI-1",
    title: "tenants get no verb on cluster-scoped resources",
    remediation:
        "find the ClusterRoleBinding that grants it (kubectl get clusterrolebindings -o wide | grep <service account>) and remove it; Domino's service accounts get cluster-wide reads only through <deployment>-node-reader",
    async run(ctx) {
        const t = ctx.target;
        const platform = serviceAccount(t.namespaces.platform, platformServiceAccount);
        const identities = [dominoWorkload(t), platform, ...(t.otherTenant ? [serviceAccount(t.otherTenant.namespace, t.otherTenant.serviceAccount)] : [])];
        const rows: AccessRow[] = [];
        for (const as of identities)
            for (const [resource, group] of clusterScoped)
                for (const verb of verbs) {
                    const granted = as === platform && grantedToPlatform(resource, group, verb);
                    rows.push({
                        as,
                        attrs: { verb, resource, group },
                        allowed: granted,
                        ...(granted ? { exception: `Domino's admin pages read ${resource} (ClusterRole ${t.deploymentName}-node-reader)` } : {}),
                    });
                }
        return { checks: await accessChecks(ctx.client, rows) };
    },
};
