// Who runs each cluster-wide function Domino's config can install itself: the config.

import { z } from "zod";
import { type ClusterFunction, clusterFunctionOwners } from "@domino-tenancy/core";

/** Each cluster function's description: what it is, who may own it, Domino's key, and the default and why. */
const clusterFunctionReference: Record<ClusterFunction, string> = {
    clusterAutoscaler:
        "Cluster autoscaler. Allowed: program and cluster where this program runs one (a created EKS cluster with a pool that can scale; cluster: the admins run their own and the program's is not deployed), domino (release_overrides.cluster-autoscaler.installed omitted) and cluster elsewhere. Default: program where this program runs one, cluster elsewhere (GKE scales its pools; an adopted cluster's admins).",
    metricsServer:
        "metrics-server (the metrics.k8s.io API). Allowed: domino (metrics_server.install), cluster; this program runs none. Default: cluster on every cloud: GKE runs one, an adopted cluster nearly always does, and on EKS the cluster's owner adds EKS's metrics-server add-on. Its APIService exists once per cluster and cannot carry the deployment prefix, so domino needs domino.admission.enabled: false.",
    storageClasses: "Domino's StorageClasses (block and shared). Allowed: program (Domino's storage_classes.block|shared.create stay false). Default: program.",
    certificateManagement:
        "Domino's certificate management. Allowed: domino (certificate_management.install from Domino 6.2, .enabled before), cluster (the cluster runs its own). One switch in Domino's config with nodeFunctions.registryCertificates, so the two must agree. Default: domino where nodeFunctions.registryCertificates is domino, else cluster.",
};

const owner = (fn: ClusterFunction) => z.enum(clusterFunctionOwners).optional().describe(clusterFunctionReference[fn]);

export const clusterFunctionsConfig = z
    .strictObject({
        clusterAutoscaler: owner("clusterAutoscaler"),
        metricsServer: owner("metricsServer"),
        storageClasses: owner("storageClasses"),
        certificateManagement: owner("certificateManagement"),
    } satisfies Record<ClusterFunction, unknown>)
    .default({})
    .describe(
        "Who runs each cluster-wide function Domino's config can install itself, exactly one owner each: domino (Domino's own copy, switched on in the generated Domino config), cluster (the cluster's admins or the cloud; Domino's is switched off), program (this program deploys it).",
    );

export type ClusterFunctionsConfig = z.output<typeof clusterFunctionsConfig>;
