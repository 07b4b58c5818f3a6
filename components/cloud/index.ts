// The cloud seam: the one place that turns a cloud's name into its cluster backend.
// Everything after this point sees only a ClusterHandle.

import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/model";
import { AwsCluster, awsClusterAutoscaler } from "./aws";
import { ExistingCluster, KubeconfigSource } from "./existing";
import { GcpCluster } from "./gcp";
import type { ClusterAutoscalerNeeds, ClusterHandle } from "./handle";

export type { ClusterAutoscalerNeeds, ClusterHandle, SharedFileSystem, StorageParameters } from "./handle";

/** The cluster autoscaler this program runs, exactly where it owns clusterFunctions.clusterAutoscaler; else undefined. */
export function clusterAutoscalerFor(model: DeploymentModel): ClusterAutoscalerNeeds | undefined {
    if (model.clusterFunctions.clusterAutoscaler.owner !== "program") return undefined;
    // The model allows program only where the cloud needs one (EKS); the other clouds have none to build.
    return model.cluster.cloud === "aws" ? awsClusterAutoscaler(model.cluster, model.name) : undefined;
}

/** `kubeconfig` is resolved up front (see kubeconfigSource) and used only by adopted clusters. */
export function clusterFor(
    name: string,
    model: DeploymentModel,
    kubeconfig: KubeconfigSource | undefined,
    opts?: pulumi.ComponentResourceOptions,
): ClusterHandle {
    const cluster = model.cluster;
    switch (cluster.cloud) {
        case "aws":
            return new AwsCluster(
                name,
                { cluster, deploymentName: model.name, protect: model.protect, storageClasses: model.storageClasses, autoscaler: clusterAutoscalerFor(model) },
                opts,
            );
        case "gcp":
            return new GcpCluster(
                name,
                {
                    cluster,
                    deploymentName: model.name,
                    protect: model.protect,
                    sysctl: model.sysctl,
                    storageProvisioners: [model.storageClasses.block.provisioner, model.storageClasses.shared.provisioner],
                },
                opts,
            );
        case "existing":
            if (!kubeconfig) throw new Error("clusterFor: an existing cluster needs its kubeconfig source");
            return new ExistingCluster(name, { cluster, kubeconfig }, opts);
    }
}
