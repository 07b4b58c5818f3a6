// namespaces-pod-security: a minimal Domino namespace enforcing baseline, one label or
// annotation changed per case; an allowlisted namespace enforcing privileged.
import { podSecurityExceptionAnnotation, podSecurityLabels } from "@domino-tenancy/core";
import { inTenancy, type KubeObject, namespace, namespaces, type RuleCase, tweak } from "../../testing/fixtures";

const enforce = "pod-security.kubernetes.io/enforce";
const platform = namespace(namespaces.platform, podSecurityLabels("baseline", "restricted"));
const nodeTuning = namespace(namespaces.nodeTuning, podSecurityLabels("privileged", "privileged"), {
    [podSecurityExceptionAnnotation]: "the tuner's init container is privileged",
});
const labels = (ns: KubeObject) => (ns.metadata.labels ??= {});

export const cases: readonly RuleCase[] = [
    { name: "accepts a namespace enforcing baseline", ...inTenancy(platform), expect: null },
    { name: "accepts an allowlisted namespace enforcing privileged that says why", ...inTenancy(nodeTuning), expect: null },
    {
        name: "rejects a namespace without an enforce label",
        ...inTenancy(tweak(platform, (ns) => delete labels(ns)[enforce])),
        expect: /Namespace domino-platform has no pod-security.kubernetes.io\/enforce label/,
    },
    {
        name: "rejects privileged on a namespace that is not allowlisted, even with a reason",
        ...inTenancy(
            tweak(platform, (ns) => {
                labels(ns)[enforce] = "privileged";
                ns.metadata.annotations = { [podSecurityExceptionAnnotation]: "users need it" };
            }),
        ),
        expect: /Namespace domino-platform enforces privileged but is not allowlisted/,
    },
    {
        name: "rejects an allowlisted privileged namespace that does not say why",
        ...inTenancy(tweak(nodeTuning, (ns) => delete ns.metadata.annotations)),
        expect: /domino-node-tuning enforces privileged without a domino-tenancy\/pod-security-exception annotation/,
    },
    {
        name: "rejects an enforce level that Pod Security does not know",
        ...inTenancy(tweak(platform, (ns) => (labels(ns)[enforce] = "strict"))),
        expect: /is 'strict'; allowed: privileged, baseline, restricted/,
    },
    {
        name: "accepts privileged on a namespace that policy config allowlists",
        ...inTenancy(tweak(nodeTuning, (ns) => (ns.metadata.name = "domino-gpu-tools"))),
        config: { "namespaces-pod-security": { allowedPrivilegedNamespaces: [{ namespace: "{name}-gpu-tools", reason: "vendor tooling" }] } },
        expect: null,
    },
];
