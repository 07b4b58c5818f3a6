// GPU tolerations follow each cloud's real GPU taint, through the cloud profile: on GKE
// the nodes also carry GKE's own nvidia.com/gpu=present:NoSchedule, so GPU-pool
// workloads tolerate the GPU key with Exists; elsewhere the toleration stays exact.

import { strict as assert } from "assert";
import { placeOn, poolsWithRole, poolTolerations } from "@domino-tenancy/core";
import { cloudProfiles } from "../../components/cloud/profiles";
import { buildModel } from "../../components/model/model";
import { readStackConfig, stackFile } from "../../plan/engine";

const gkeTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

/** Whether a toleration list tolerates a taint, by the scheduler's rules. */
const tolerates = (ts: ReturnType<typeof poolTolerations>, taint: { key: string; value?: string; effect: string }) =>
    ts.some(
        (t) =>
            (t.effect === undefined || t.effect === taint.effect) &&
            ((t.key === undefined && t.operator === "Exists") || (t.key === taint.key && (t.operator === "Exists" || t.value === taint.value))),
    );

function modelOf(stack: string) {
    const { config } = readStackConfig(stackFile(stack), "domino-tenancy");
    return buildModel(JSON.parse(config["domino-tenancy:tenancy"]), stack);
}

describe("GPU tolerations per cloud", () => {
    it("on GKE, GPU-pool workloads tolerate GKE's own GPU taint as well as ours", () => {
        assert.equal(cloudProfiles.gcp.cloudTaintsGpuNodes, true);
        const model = modelOf("prod-gcp");
        const pools = model.cluster.pools;
        const gpu = placeOn(poolsWithRole(pools, "gpu"), pools);
        assert.ok(tolerates(gpu.tolerations, gkeTaint), JSON.stringify(gpu.tolerations));
        for (const taint of poolsWithRole(pools, "gpu").flatMap((p) => p.taints)) assert.ok(tolerates(gpu.tolerations, taint), taint.key);
        const everywhere = placeOn(pools, pools);
        assert.ok(tolerates(everywhere.tolerations, gkeTaint), "node agents on every pool reach GKE's GPU nodes");
    });

    it("on GKE, non-GPU workloads still do not tolerate the GPU taint", () => {
        const pools = modelOf("prod-gcp").cluster.pools;
        const compute = placeOn(poolsWithRole(pools, "compute"), pools);
        assert.ok(!tolerates(compute.tolerations, gkeTaint));
    });

    it("where the cloud adds no GPU taint (EKS, adopted clusters), the GPU toleration stays exact", () => {
        assert.equal(cloudProfiles.aws.cloudTaintsGpuNodes, false);
        assert.equal(cloudProfiles.existing.cloudTaintsGpuNodes, false);
        const pools = modelOf("prod-aws").cluster.pools;
        const gpu = placeOn(poolsWithRole(pools, "gpu"), pools);
        assert.ok(!tolerates(gpu.tolerations, gkeTaint));
        assert.ok(gpu.tolerations.every((t) => t.operator === "Equal"));
    });

    it("keeps every non-GPU taint's toleration exact when the GPU key is tolerated by Exists", () => {
        const dedicated = { key: "dominodatalab.com/dedicated", value: "dom", effect: "NoSchedule" } as const;
        assert.deepEqual(poolTolerations([{ key: "nvidia.com/gpu", value: "true", effect: "NoExecute" }, dedicated], true), [
            { key: "nvidia.com/gpu", operator: "Exists" },
            { key: "dominodatalab.com/dedicated", operator: "Equal", value: "dom", effect: "NoSchedule" },
        ]);
    });
});
