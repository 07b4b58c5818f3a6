// When a created EKS cluster needs the cluster autoscaler, and how it finds this
// cluster's node groups. Cluster Autoscaler rather than Karpenter: the pools are EKS
// managed node groups with fixed instance types and Domino's labels and taints, which
// the autoscaler scales as they are (from zero, through the node-template tags);
// Karpenter would replace the node groups with its own NodePools, CRDs and controller
// webhooks, a second way to define Domino's pools.

import { prefixed } from "@domino-tenancy/core";
import type { AwsClusterModel } from "../../model/model";
import type { ClusterAutoscalerNeeds } from "../handle";
import { autoscalerClusterTag, autoscalerEnabledTag } from "./iam";

/**
 * Cluster Autoscaler's release per Kubernetes minor: the autoscaler is built against one
 * minor and supports that one only (kubernetes/autoscaler releases; registry.k8s.io).
 */
export const clusterAutoscalerImages: Readonly<Record<string, string>> = {
    "1.32": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.5",
    "1.33": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.5",
    "1.34": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.4",
    "1.35": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.1",
    "1.36": "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1",
};

/** The autoscaler's service account; its IAM role is bound to it through EKS Pod Identity. */
export const clusterAutoscalerServiceAccount = "cluster-autoscaler";

/**
 * The autoscaler of a created EKS cluster. Whether it runs at all is the model's
 * clusterFunctions.clusterAutoscaler (program only on a created cluster with a pool that
 * can scale: programRunsAutoscaler); clusterAutoscalerFor asks it.
 */
export function awsClusterAutoscaler(cluster: AwsClusterModel, deploymentName: string): ClusterAutoscalerNeeds {
    const version = cluster.kubernetesVersion ?? "";
    const image = clusterAutoscalerImages[version];
    if (!image) throw new Error(`no cluster-autoscaler release is pinned for Kubernetes ${version}; add one to clusterAutoscalerImages`);
    const namespace = prefixed(deploymentName, "autoscaler");
    return {
        namespace,
        serviceAccountName: clusterAutoscalerServiceAccount,
        image,
        args: [
            "--cloud-provider=aws",
            // Only groups tagged as this cluster's: EKS tags every managed node group's ASG with both.
            `--node-group-auto-discovery=asg:tag=${autoscalerEnabledTag},${autoscalerClusterTag(cluster.name)}`,
            // Status ConfigMap and leader-election lease in its own namespace, not kube-system.
            `--namespace=${namespace}`,
            "--balance-similar-node-groups",
            "--expander=least-waste",
        ],
        env: { AWS_REGION: cluster.region },
    };
}
