// Node pools' config: each pool's role, labels, taints, size and GPU settings.

import { z } from "zod";
import { dnsLabel, labels, labelKey, labelValue } from "../primitives";

const taint = z.strictObject({
    key: labelKey.describe("Taint key."),
    value: labelValue.optional().describe("Taint value; without one, Domino's tolerations match the key alone."),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).describe("Taint effect."),
});

const gpuSettings = z.strictObject({
    type: z.string().min(1).optional().describe("GKE accelerator type such as nvidia-l4 (gcp); on EKS the machine type implies the GPU. Default: the cloud's."),
    count: z.number().int().min(1).max(16).default(1).describe("GPUs per node."),
    driver: z.enum(["DEFAULT", "LATEST", "INSTALLATION_DISABLED"]).default("DEFAULT").describe("Which NVIDIA driver GKE installs on the pool's nodes."),
});

/** A GPU pool's settings when the stack gives none: the schema's own field defaults. */
export const defaultGpuSettings: z.output<typeof gpuSettings> = gpuSettings.parse({});

const nodePool = z.strictObject({
    /** Pool name: the cloud node group's name suffix. */
    name: dnsLabel
        .max(32, { error: "must be at most 32 characters (cloud node group names are short)" })
        .describe("Pool name, unique: the cloud node group's name suffix."),
    role: z.enum(["platform", "compute", "gpu"]).describe("What runs on the pool: Domino's platform services, user runs (compute), or GPU runs."),
    /** Value of dominodatalab.com/node-pool; @default platform | default | default-gpu by role. */
    nodePoolLabel: labelValue
        .min(1)
        .optional()
        .describe("Value of the dominodatalab.com/node-pool label, unique per pool. Default by role: platform, default, default-gpu."),
    machineType: z.string().min(1).optional().describe("Instance or machine type (aws, gcp). Default: the cloud's for the role."),
    minSize: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .optional()
        .describe("Fewest nodes (aws, gcp); a platform pool needs at least 1. Default: the cloud's for the role."),
    maxSize: z.number().int().min(1).max(1000).optional().describe("Most nodes (aws, gcp); at least minSize. Default: the cloud's for the role."),
    diskSizeGb: z.number().int().min(20).max(16384).optional().describe("Node disk size in GB (aws, gcp). Default: the cloud's for the role."),
    gpu: gpuSettings.optional().describe("GPU settings; only on pools with role gpu."),
    labels: labels.default({}).describe("Extra node labels. The role's labels are set for you and reserved."),
    taints: z
        .array(taint)
        .default([])
        .describe("Extra node taints; Domino's pods on the pool tolerate them. The role's and isolation's taints are set for you and reserved."),
});

export const nodePoolsConfig = z
    .array(nodePool)
    .min(1)
    .optional()
    .describe("Domino's node pools: exactly one platform pool and at least one compute pool. Default: pools named platform, compute and gpu, one per role.");

export type NodePoolConfig = z.output<typeof nodePool>;
