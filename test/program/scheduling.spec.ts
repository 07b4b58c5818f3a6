// The static scheduling analysis, case by case, against kube-scheduler's rules:
// node selector AND one of the required terms, every hard taint tolerated.

import { strict as assert } from "assert";
import { canLandOutsideDomino, landingPools, NodeShape, PodScheduling, type Taint, tolerates, TolerationLike } from "@domino-tenancy/core";

const gpuTaint: Taint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };
const dedicated: Taint = { key: "dominodatalab.com/dedicated", value: "domino", effect: "NoSchedule" };
const pools: NodeShape[] = [
    { name: "platform", labels: { "dominodatalab.com/node-pool": "platform", "dominodatalab.com/domino-node": "true" }, taints: [dedicated] },
    { name: "compute", labels: { "dominodatalab.com/node-pool": "default", "dominodatalab.com/domino-node": "true" }, taints: [dedicated] },
    {
        name: "gpu",
        labels: { "dominodatalab.com/node-pool": "default-gpu", "dominodatalab.com/domino-node": "true", "nvidia.com/gpu": "true" },
        taints: [gpuTaint, dedicated],
    },
];
const tolerateDedicated: TolerationLike = { key: dedicated.key, operator: "Equal", value: "domino", effect: "NoSchedule" };
const affinity = (...terms: { key: string; operator: string; values?: string[] }[][]) => ({
    affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) } },
    },
});

describe("static scheduling analysis", () => {
    const landing: { behaviour: string; spec: PodScheduling; pools: string[] }[] = [
        {
            behaviour: "a pod that tolerates nothing lands on no dedicated pool",
            spec: { nodeSelector: { "dominodatalab.com/domino-node": "true" } },
            pools: [],
        },
        {
            behaviour: "the Domino-node selector with the dedicated toleration lands on the untainted-for-GPU pools",
            spec: { nodeSelector: { "dominodatalab.com/domino-node": "true" }, tolerations: [tolerateDedicated] },
            pools: ["platform", "compute"],
        },
        {
            behaviour: "adding the GPU toleration reaches the GPU pool too",
            spec: {
                nodeSelector: { "dominodatalab.com/domino-node": "true" },
                tolerations: [tolerateDedicated, { key: "nvidia.com/gpu", operator: "Exists" }],
            },
            pools: ["platform", "compute", "gpu"],
        },
        {
            behaviour: "an empty-key Exists toleration tolerates every taint",
            spec: { nodeSelector: { "dominodatalab.com/node-pool": "default-gpu" }, tolerations: [{ operator: "Exists" }] },
            pools: ["gpu"],
        },
        {
            behaviour: "required affinity terms are ORed",
            spec: {
                tolerations: [{ operator: "Exists" }],
                ...affinity([{ key: "dominodatalab.com/node-pool", operator: "In", values: ["platform"] }], [{ key: "nvidia.com/gpu", operator: "Exists" }]),
            },
            pools: ["platform", "gpu"],
        },
        {
            behaviour: "expressions within a term are ANDed, NotIn and DoesNotExist included",
            spec: {
                tolerations: [{ operator: "Exists" }],
                ...affinity([
                    { key: "dominodatalab.com/domino-node", operator: "In", values: ["true"] },
                    { key: "dominodatalab.com/node-pool", operator: "NotIn", values: ["platform"] },
                    { key: "nvidia.com/gpu", operator: "DoesNotExist" },
                ]),
            },
            pools: ["compute"],
        },
        {
            behaviour: "node selector and affinity must both hold",
            spec: {
                nodeSelector: { "dominodatalab.com/node-pool": "platform" },
                tolerations: [tolerateDedicated],
                ...affinity([{ key: "dominodatalab.com/node-pool", operator: "In", values: ["default"] }]),
            },
            pools: [],
        },
        {
            behaviour: "labels every node gets from its kubelet are assumed present",
            spec: { nodeSelector: { "kubernetes.io/os": "linux", "dominodatalab.com/node-pool": "default" }, tolerations: [tolerateDedicated] },
            pools: ["compute"],
        },
        { behaviour: "a label no pool declares matches no pool", spec: { nodeSelector: { team: "ml" }, tolerations: [{ operator: "Exists" }] }, pools: [] },
        {
            behaviour: "a toleration for another effect does not count",
            spec: { nodeSelector: { "dominodatalab.com/node-pool": "default" }, tolerations: [{ ...tolerateDedicated, effect: "NoExecute" }] },
            pools: [],
        },
    ];
    for (const c of landing) {
        it(c.behaviour, () =>
            assert.deepEqual(
                landingPools(c.spec, pools).map((p) => p.name),
                c.pools,
            ),
        );
    }

    it("ignores PreferNoSchedule taints, which only discourage", () => {
        const soft: NodeShape = { name: "soft", labels: { a: "b" }, taints: [{ key: "x", effect: "PreferNoSchedule" }] };
        assert.deepEqual(
            landingPools({ nodeSelector: { a: "b" } }, [soft]).map((p) => p.name),
            ["soft"],
        );
    });

    it("matches a taint's value only under Equal", () => {
        assert.ok(tolerates({ key: "k", operator: "Exists" }, { key: "k", value: "v", effect: "NoSchedule" }));
        assert.ok(!tolerates({ key: "k", operator: "Equal", value: "w" }, { key: "k", value: "v", effect: "NoSchedule" }));
        assert.ok(!tolerates({ key: "other", operator: "Exists" }, { key: "k", value: "v", effect: "NoSchedule" }));
    });

    const spill: { behaviour: string; spec: PodScheduling; spills: boolean }[] = [
        { behaviour: "no selector reaches any node", spec: {}, spills: true },
        {
            behaviour: "a Domino label in the selector keeps a pod on Domino's nodes",
            spec: { nodeSelector: { "dominodatalab.com/domino-node": "true" } },
            spills: false,
        },
        { behaviour: "nvidia.com/gpu alone also matches other tenants' GPU nodes", spec: { nodeSelector: { "nvidia.com/gpu": "true" } }, spills: true },
        {
            behaviour: "one term without a Domino label is a way out",
            spec: affinity(
                [{ key: "dominodatalab.com/node-pool", operator: "In", values: ["default"] }],
                [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }],
            ),
            spills: true,
        },
        {
            behaviour: "NotIn on a Domino label is satisfied by nodes without it",
            spec: affinity([{ key: "dominodatalab.com/node-pool", operator: "NotIn", values: ["platform"] }]),
            spills: true,
        },
        { behaviour: "Exists on a Domino label keeps a pod in", spec: affinity([{ key: "dominodatalab.com/node-pool", operator: "Exists" }]), spills: false },
    ];
    for (const c of spill) {
        it(`other tenants' nodes: ${c.behaviour}`, () => assert.equal(canLandOutsideDomino(c.spec), c.spills));
    }
});
