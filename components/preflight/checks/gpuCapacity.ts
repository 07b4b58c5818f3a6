// gpu-capacity: GPU pools' nodes advertise nvidia.com/gpu.
import type { Finding, PreflightCheck } from "../check";
import { labelKeys } from "@domino-tenancy/core";

export const gpuResource = "nvidia.com/gpu";

export const gpuCapacity: PreflightCheck = {
    name: "gpu-capacity",
    why: "A GPU node that advertises no nvidia.com/gpu has no working device plugin or driver: GPU runs would wait for it forever.",
    passes: "every GPU node advertises nvidia.com/gpu",
    run(expect, cluster) {
        const out: Finding[] = [];
        for (const pool of expect.pools.filter((p) => p.role === "gpu")) {
            for (const node of cluster.nodes.filter((n) => n.labels[labelKeys.nodePool] === pool.nodePoolLabel)) {
                const count = Number.parseInt(node.allocatable[gpuResource] ?? "0", 10);
                if (count > 0) continue;
                out.push({
                    check: this.name,
                    severity: "warning",
                    message: `pool ${pool.name}: node ${node.name} advertises no ${gpuResource}`,
                    fix: "check that exactly one device plugin runs on the node (tenancy.nodeFunctions.gpuDevicePlugin says whose) and the NVIDIA driver is installed",
                });
            }
        }
        return out;
    },
};
