import { strict as assert } from "assert";
import { dedicatedTaint, NodePool, placeOn, poolLabels, poolTaints, tolerationsFor } from "@domino-tenancy/core";

const pool = (name: string, role: NodePool["role"], nodePoolLabel: string, taints: NodePool["taints"] = []): NodePool => ({
    name,
    role,
    nodePoolLabel,
    labels: poolLabels({ role, nodePoolLabel }),
    taints,
});

describe("node pool model", () => {
    describe("labels", () => {
        const cases: { role: NodePool["role"]; label: string; expected: Record<string, string> }[] = [
            { role: "platform", label: "platform", expected: { "dominodatalab.com/node-pool": "platform", "dominodatalab.com/domino-node": "true" } },
            {
                role: "compute",
                label: "default",
                expected: { "dominodatalab.com/node-pool": "default", "dominodatalab.com/domino-node": "true", "dominodatalab.com/build-node": "true" },
            },
            {
                role: "gpu",
                label: "default-gpu",
                expected: { "dominodatalab.com/node-pool": "default-gpu", "dominodatalab.com/domino-node": "true", "nvidia.com/gpu": "true" },
            },
        ];
        for (const c of cases) {
            it(`gives a ${c.role} pool Domino's labels for that role`, () => {
                assert.deepEqual(poolLabels({ role: c.role, nodePoolLabel: c.label }), c.expected);
            });
        }

        it("adds the stack's extra labels after Domino's", () => {
            assert.equal(poolLabels({ role: "platform", nodePoolLabel: "platform", extraLabels: { team: "ds" } }).team, "ds");
        });
    });

    describe("taints", () => {
        it("taints only GPU pools with the GPU taint, with the cloud's effect", () => {
            assert.deepEqual(poolTaints({ role: "gpu", gpuTaintEffect: "NoExecute" }), [{ key: "nvidia.com/gpu", value: "true", effect: "NoExecute" }]);
            assert.deepEqual(poolTaints({ role: "compute", gpuTaintEffect: "NoExecute" }), []);
        });

        it("adds the deployment's dedicated taint in dedicated isolation", () => {
            assert.deepEqual(poolTaints({ role: "platform", gpuTaintEffect: "NoSchedule", dedicated: dedicatedTaint("dom") }), [
                { key: "dominodatalab.com/dedicated", value: "dom", effect: "NoSchedule" },
            ]);
        });
    });

    describe("tolerations", () => {
        it("tolerates each taint exactly, once", () => {
            const t = { key: "a", value: "b", effect: "NoSchedule" } as const;
            assert.deepEqual(tolerationsFor([t, t]), [{ key: "a", operator: "Equal", value: "b", effect: "NoSchedule" }]);
        });

        it("tolerates a valueless taint with Exists", () => {
            assert.deepEqual(tolerationsFor([{ key: "a", effect: "NoExecute" }]), [{ key: "a", operator: "Exists", effect: "NoExecute" }]);
        });
    });

    describe("placement", () => {
        const dedicated = dedicatedTaint("dom");
        const gpuTaint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;
        const platform = pool("platform", "platform", "platform", [dedicated]);
        const compute = pool("compute", "compute", "default", [dedicated]);
        const gpu = pool("gpu", "gpu", "default-gpu", [gpuTaint, dedicated]);
        const all = [platform, compute, gpu];

        it("selects every Domino node by the domino-node label when placed on all pools", () => {
            const p = placeOn(all, all);
            assert.deepEqual(p.nodeSelector, { "dominodatalab.com/domino-node": "true" });
            assert.equal(p.requiredNodeAffinity, undefined);
            assert.deepEqual(p.tolerations.map((t) => t.key).sort(), ["dominodatalab.com/dedicated", "nvidia.com/gpu"]);
        });

        it("selects one pool by its node-pool label and tolerates only its taints", () => {
            const p = placeOn([platform], all);
            assert.deepEqual(p.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
            assert.deepEqual(p.tolerations, [{ key: "dominodatalab.com/dedicated", operator: "Equal", value: "dom", effect: "NoSchedule" }]);
        });

        it("names several pools with required affinity on the node-pool label", () => {
            const p = placeOn([compute, gpu], all);
            assert.deepEqual(p.requiredNodeAffinity, [{ key: "dominodatalab.com/node-pool", operator: "In", values: ["default", "default-gpu"] }]);
            assert.deepEqual(p.nodeSelector, { "dominodatalab.com/domino-node": "true" });
        });

        it("refuses to place a workload on no pool at all", () => {
            assert.throws(() => placeOn([], all), /never schedule/);
        });
    });
});
