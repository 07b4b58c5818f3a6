// namespaces-default-deny
import { k8sKind, metadataOf } from "../../lib/resources";
import { Finding, stackRule } from "../../lib/rule";

type NetworkPolicySpec = { podSelector?: { matchLabels?: object; matchExpressions?: unknown[] }; policyTypes?: string[]; ingress?: unknown[] };

/** Selects every pod and allows no ingress: the namespace's baseline is closed. */
export function isDefaultDenyIngress(spec: NetworkPolicySpec | undefined): boolean {
    if (!spec) return false;
    const selectsAll = Object.keys(spec.podSelector?.matchLabels ?? {}).length === 0 && (spec.podSelector?.matchExpressions ?? []).length === 0;
    return selectsAll && (spec.policyTypes ?? []).includes("Ingress") && (spec.ingress ?? []).length === 0;
}

export const namespacesDefaultDeny = stackRule({
    name: "namespaces-default-deny",
    description:
        "Kubernetes lets every pod reach every other pod unless a NetworkPolicy says otherwise, so any tenant's compromised pod could reach Domino's services and users' runs. Every namespace Domino creates starts closed with a default-deny ingress policy; what may connect in is then allowed explicitly.",
    defaults: {},
    check(resources) {
        const out: Finding[] = [];
        const denied = new Set(
            resources
                .filter((r) => k8sKind(r.type) === "NetworkPolicy" && isDefaultDenyIngress(r.props.spec as NetworkPolicySpec))
                .map((r) => metadataOf(r.props).namespace),
        );
        for (const r of resources) {
            if (k8sKind(r.type) !== "Namespace") continue;
            const name = metadataOf(r.props).name;
            if (!denied.has(name)) out.push({ urn: r.urn, message: `Namespace ${name} has no default-deny ingress NetworkPolicy` });
        }
        return out;
    },
});
