// no-nodeport-loadbalancer: a minimal ClusterIP Service in a Domino namespace, its type
// changed per case, with and without the ingress allowlisted.
import { inTenancy, type KubeObject, namespaces, type RuleCase, tweak } from "../../testing/fixtures";

const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "ingress", namespace: namespaces.platform },
    spec: { type: "ClusterIP", ports: [{ port: 443 }], selector: { app: "ingress" } },
};
const ofType = (type?: string) => tweak(service, (s) => ((s.spec as { type?: string }).type = type));
const ingressAllowed = (types: string[]) => ({
    "no-nodeport-loadbalancer": { allowedServices: [{ service: "{name}-platform/ingress", types, reason: "the one entry point" }] },
});

export const cases: readonly RuleCase[] = [
    { name: "accepts a ClusterIP service", ...inTenancy(service), expect: null },
    { name: "accepts a service that states no type, which is ClusterIP", ...inTenancy(ofType(undefined)), expect: null },
    { name: "rejects a NodePort service", ...inTenancy(ofType("NodePort")), expect: /Service domino-platform\/ingress is of type NodePort/ },
    {
        name: "rejects a LoadBalancer service",
        ...inTenancy(ofType("LoadBalancer")),
        expect: /Service domino-platform\/ingress is of type LoadBalancer; only the configured ingress may be/,
    },
    { name: "accepts the configured ingress service", ...inTenancy(ofType("LoadBalancer")), config: ingressAllowed(["LoadBalancer"]), expect: null },
    {
        name: "rejects a LoadBalancer when the ingress is allowlisted only as NodePort",
        ...inTenancy(ofType("LoadBalancer")),
        config: ingressAllowed(["NodePort"]),
        expect: /is of type LoadBalancer/,
    },
];
