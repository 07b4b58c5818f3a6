// node-pools-labeled-tainted: minimal GKE node pools and EKS node groups with the
// model's labels and taints, one pool changed per case; an adopted cluster's pools
// from the tenancy model.
import { labelKeys, systemPoolLabel, taintKeys } from "@domino-tenancy/core";
import { eksNodeGroup, gkeNodePool, type PoolShape, poolShape, type RuleCase, tenancy, tenancyModel, tweak, withModel } from "../../testing/fixtures";

const gke = (edit: Partial<Record<"platform" | "compute" | "gpu", (shape: PoolShape) => void>> = {}) =>
    (["platform", "compute", "gpu"] as const).map((role) => gkeNodePool(`cluster-${role}`, tweak(poolShape(role), edit[role] ?? (() => undefined))));
const sharedModel = tweak(tenancyModel(), (m) => Object.assign(m, { isolation: "shared", dedicatedTaint: null }));
const eks = (edit: Partial<Record<"platform" | "compute" | "gpu", (shape: PoolShape) => void>> = {}) =>
    (["platform", "compute", "gpu"] as const).map((role) => eksNodeGroup(`cluster-${role}`, tweak(poolShape(role, "shared"), edit[role] ?? (() => undefined))));

export const cases: readonly RuleCase[] = [
    { name: "accepts GKE pools with labels, GPU taint and dedicated taint", resources: tenancy(...gke()), expect: null },
    { name: "accepts EKS node groups in shared isolation, without a dedicated taint", resources: withModel(sharedModel, ...eks()), expect: null },
    { name: "accepts an adopted cluster's pools as the tenancy model declares them", resources: tenancy(), expect: null },
    {
        name: "accepts a created cluster's own system pool beside Domino's: untainted, no Domino label, not Domino's",
        resources: tenancy(...gke(), gkeNodePool("cluster-system", { labels: { [systemPoolLabel.key]: systemPoolLabel.value }, taints: [], minSize: 2 })),
        expect: null,
    },
    {
        name: "still judges a pool marked as the system pool that carries Domino's labels",
        resources: tenancy(...gke({ compute: (s) => Object.assign(s, { labels: { ...s.labels, [systemPoolLabel.key]: systemPoolLabel.value }, taints: [] }) })),
        expect: /'cluster-compute' .* lacks the dedicated taint dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        name: "rejects a GKE GPU pool without the GPU taint",
        resources: tenancy(...gke({ gpu: (s) => (s.taints = s.taints.filter((t) => t.key !== taintKeys.gpu)) })),
        expect: /node pool 'cluster-gpu' \(node-pool resources\) is a GPU pool without the nvidia.com\/gpu taint/,
    },
    {
        name: "does not count a PreferNoSchedule GPU taint, which ordinary pods ignore when they must",
        resources: tenancy(...gke({ gpu: (s) => (s.taints = s.taints.map((t) => (t.key === taintKeys.gpu ? { ...t, effect: "PreferNoSchedule" } : t))) })),
        expect: /'cluster-gpu' .* is a GPU pool without the nvidia.com\/gpu taint/,
    },
    {
        name: "rejects a pool without the dedicated taint in dedicated isolation",
        resources: tenancy(...gke({ compute: (s) => (s.taints = []) })),
        expect: /'cluster-compute' .* lacks the dedicated taint dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        name: "rejects an EKS node group without Domino's labels",
        resources: withModel(sharedModel, ...eks({ compute: (s) => (s.labels = {}) })),
        expect: /'cluster-compute' .* has no dominodatalab.com\/node-pool label/,
    },
    {
        name: "rejects a pool whose nodes do not carry dominodatalab.com/domino-node=true",
        resources: withModel(sharedModel, ...eks({ platform: (s) => delete s.labels[labelKeys.dominoNode] })),
        expect: /'cluster-platform' .* does not carry dominodatalab.com\/domino-node=true/,
    },
    {
        name: "rejects a platform pool whose minimum is below the configured floor",
        resources: tenancy(...gke({ platform: (s) => (s.minSize = 3) })),
        config: { "node-pools-labeled-tainted": { minPlatformNodes: 4 } },
        expect: /'cluster-platform' .* is the platform pool with minimum size 3, below 4/,
    },
    {
        name: "checks the declared pools of an adopted cluster from the tenancy model",
        resources: withModel(
            tweak(tenancyModel(), (m) =>
                Object.assign(
                    m.pools.find((p) => p.role === "gpu")!,
                    { taints: [] },
                ),
            ),
        ),
        expect: /node pool 'gpu' \(tenancy model\) is a GPU pool without the nvidia.com\/gpu taint/,
    },
    {
        name: "rejects a model that says dedicated isolation but names no dedicated taint",
        resources: withModel(tweak(tenancyModel(), (m) => Object.assign(m, { dedicatedTaint: null }))),
        expect: /says dedicated isolation but names no dedicated taint/,
    },
];
