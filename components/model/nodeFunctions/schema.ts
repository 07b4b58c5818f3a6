// Who runs each node-level function, and how this program does the ones it owns: the config.

import { z } from "zod";
import { type NodeFunction, nodeFunctionOwners } from "@domino-tenancy/core";
import { pinnedImage } from "../primitives";

/** Each node function's description: what it is, who may own it, and the default. */
const nodeFunctionReference: Record<NodeFunction, string> = {
    logs: "Log shipping (Domino's fluentd). Allowed: domino (Domino's config has no switch for it). Default: domino.",
    nodeMetrics: "Node metrics (node exporter). Allowed: domino (monitoring.prometheus_metrics), cluster. Default: domino.",
    imageCache: "Image cache agent on the pools where runs execute. Allowed: domino (image_caching.enabled), cluster. Default: domino.",
    registryCertificates:
        "Registry certificates on Domino's nodes. Allowed: domino (certificate_management.install from Domino 6.2, .enabled before; one switch with clusterFunctions.certificateManagement), cluster. Default: domino.",
    gpuDevicePlugin:
        "GPU device plugin on GPU pools. Allowed: domino (gpu.enabled), cluster, program (NVIDIA's plugin, scoped to GPU pools). Default: cluster with gcp (GKE runs its own), program with aws and existing.",
    sysctl: "vm.max_map_count on the platform pool, for Elasticsearch. Allowed: cluster, program (plumbing.sysctlMethod). Default: cluster with aws (AL2023 ships 524288, unless plumbing.maxMapCount is higher), program elsewhere.",
};

const owner = (fn: NodeFunction) => z.enum(nodeFunctionOwners).optional().describe(nodeFunctionReference[fn]);

export const plumbingConfig = z
    .strictObject({
        devicePluginImage: pinnedImage.default("nvcr.io/nvidia/k8s-device-plugin:v0.20.0").describe("NVIDIA device plugin image."),
        sysctlMethod: z
            .enum(["auto", "node-config", "daemonset"])
            .default("auto")
            .describe(
                "How this program sets vm.max_map_count on the platform pool when it owns nodeFunctions.sysctl. auto: node-config with gcp, daemonset elsewhere; node-config is gcp only.",
            ),
        maxMapCount: z
            .number()
            .int()
            .min(262144, { error: "must be at least 262144 (Elasticsearch's bootstrap check)" })
            .max(2147483647)
            .default(262144)
            .describe("vm.max_map_count for Domino's Elasticsearch."),
        tunerImages: z
            .strictObject({
                init: pinnedImage.default("busybox:1.37.0").describe("Image of the tuner's init container, which sets the sysctl."),
                pause: pinnedImage.default("registry.k8s.io/pause:3.10").describe("Image that keeps the tuner's pod running."),
            })
            .prefault({})
            .describe("Images of the sysctl tuner DaemonSet (sysctlMethod daemonset)."),
    })
    .prefault({})
    .describe("How this program does the node functions it owns (nodeFunctions: program): the GPU device plugin and vm.max_map_count.");

export const nodeFunctionsConfig = z
    .strictObject({
        logs: owner("logs"),
        nodeMetrics: owner("nodeMetrics"),
        imageCache: owner("imageCache"),
        registryCertificates: owner("registryCertificates"),
        gpuDevicePlugin: owner("gpuDevicePlugin"),
        sysctl: owner("sysctl"),
    } satisfies Record<NodeFunction, unknown>)
    .default({})
    .describe(
        "Who runs each node-level function, exactly one owner each: domino (Domino's own DaemonSet, switched on in the generated Domino config), cluster (the cluster's admins or the cloud; Domino's is switched off), program (this program deploys it).",
    );

export type PlumbingConfig = z.output<typeof plumbingConfig>;
export type NodeFunctionsConfig = z.output<typeof nodeFunctionsConfig>;
