// namespaces-default-deny: a minimal Domino namespace with its default-deny ingress
// policy, the policy changed or removed per case.
import { type KubeObject, namespace, namespaces, type RuleCase, tenancy, tweak } from "../../testing/fixtures";

const platform = namespace(namespaces.platform);
const denyAll: KubeObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny-ingress", namespace: namespaces.platform },
    spec: { podSelector: {}, policyTypes: ["Ingress"] },
};
type Spec = { podSelector: object; policyTypes: string[]; ingress?: unknown[] };
const withSpec = (edit: (spec: Spec) => void) => tweak(denyAll, (p) => edit(p.spec as Spec));

export const cases: readonly RuleCase[] = [
    { name: "accepts a namespace that starts closed", resources: tenancy(platform, denyAll), expect: null },
    {
        name: "accepts a default-deny policy with an empty ingress list",
        resources: tenancy(
            platform,
            withSpec((s) => (s.ingress = [])),
        ),
        expect: null,
    },
    {
        name: "rejects a namespace without a default-deny ingress policy",
        resources: tenancy(platform),
        expect: /Namespace domino-platform has no default-deny ingress NetworkPolicy/,
    },
    {
        name: "does not count a policy in another namespace",
        resources: tenancy(
            platform,
            tweak(denyAll, (p) => (p.metadata.namespace = namespaces.system)),
        ),
        expect: /Namespace domino-platform has no default-deny/,
    },
    {
        name: "does not count a policy that selects only some pods as default-deny",
        resources: tenancy(
            platform,
            withSpec((s) => (s.podSelector = { matchLabels: { app: "x" } })),
        ),
        expect: /Namespace domino-platform has no default-deny/,
    },
    {
        name: "does not count a policy that allows some ingress",
        resources: tenancy(
            platform,
            withSpec((s) => (s.ingress = [{ from: [{ podSelector: {} }] }])),
        ),
        expect: /has no default-deny/,
    },
    {
        name: "does not count an egress-only policy",
        resources: tenancy(
            platform,
            withSpec((s) => (s.policyTypes = ["Egress"])),
        ),
        expect: /has no default-deny/,
    },
];
