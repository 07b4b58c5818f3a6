// EKS: the cluster (created, or adopted by name), its IAM roles, and one managed
// node group per Domino pool with the pool's labels and taints. Labels and taints
// are mirrored into the autoscaling group's node-template tags so the cluster
// autoscaler can scale a pool up from zero knowing what the node will look like.

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsClusterModel } from "../model/model";
import { type NodePool, recommendedLabels } from "@domino-tenancy/core";
import { eksKubeconfig } from "./kubeconfig";
import { cloudTaints } from "./taints";
import type { ClusterHandle } from "./handle";

const autoscalerTagPrefix = "k8s.io/cluster-autoscaler/node-template/";

/** Cluster-autoscaler node-template tags for a pool: one per label and per taint. */
export function autoscalerTemplateTags(pool: NodePool): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(pool.labels)) tags[`${autoscalerTagPrefix}label/${key}`] = value;
    for (const t of pool.taints) tags[`${autoscalerTagPrefix}taint/${t.key}`] = `${t.value ?? ""}:${t.effect}`;
    return tags;
}

function assumeRole(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export interface AwsClusterArgs {
    /** The EKS cluster and its sized pools. */
    readonly cluster: AwsClusterModel;
    /** Domino's deployment name: tags every AWS resource. */
    readonly deploymentName: string;
    /** Refuse deletion of the cluster and its node groups (prod). */
    readonly protect: boolean;
}

export class AwsCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly clusterName: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:aws:EksCluster", name, {}, opts);
        const { cluster: c, protect } = args;
        const region = c.region;
        const tags = { ...recommendedLabels(args.deploymentName, "cluster"), "domino-tenancy/deployment": args.deploymentName };
        const provider = new aws.Provider(`${name}-aws`, { region: region as aws.Region, defaultTags: { tags } }, { parent: this });
        const child = { parent: this, provider };

        let endpoint: pulumi.Output<string>;
        let caData: pulumi.Output<string>;
        let subnetIds: pulumi.Output<string[]>;
        if (c.mode === "create") {
            const clusterRole = new aws.iam.Role(`${name}-cluster-role`, { assumeRolePolicy: assumeRole("eks.amazonaws.com"), tags }, child);
            const attachment = new aws.iam.RolePolicyAttachment(
                `${name}-cluster-policy`,
                { role: clusterRole.name, policyArn: managedPolicy("AmazonEKSClusterPolicy") },
                child,
            );
            const cluster = new aws.eks.Cluster(
                `${name}-eks`,
                {
                    name: c.name,
                    roleArn: clusterRole.arn,
                    version: c.kubernetesVersion,
                    vpcConfig: { subnetIds: [...c.subnetIds], endpointPrivateAccess: true, endpointPublicAccess: true },
                    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                    tags,
                },
                { ...child, dependsOn: [attachment], protect },
            );
            this.clusterName = cluster.name;
            endpoint = cluster.endpoint;
            caData = cluster.certificateAuthority.apply((ca) => ca.data);
            subnetIds = pulumi.output([...c.subnetIds]);
        } else {
            const existing = aws.eks.getClusterOutput({ name: c.name }, { parent: this, provider });
            this.clusterName = existing.name;
            endpoint = existing.endpoint;
            caData = existing.certificateAuthorities.apply((cas) => cas[0]?.data ?? "");
            subnetIds = c.subnetIds.length > 0 ? pulumi.output([...c.subnetIds]) : existing.vpcConfig.apply((v) => v.subnetIds);
        }

        const nodeRole = new aws.iam.Role(`${name}-node-role`, { assumeRolePolicy: assumeRole("ec2.amazonaws.com"), tags }, child);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
            (policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(policy) }, child),
        );

        this.ready = c.pools.map((pool) => {
            const group = new aws.eks.NodeGroup(
                `${name}-${pool.name}`,
                {
                    clusterName: this.clusterName,
                    nodeGroupName: `${c.name}-${pool.name}`,
                    nodeRoleArn: nodeRole.arn,
                    subnetIds,
                    instanceTypes: [pool.machineType],
                    amiType: pool.role === "gpu" ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD",
                    diskSize: pool.diskSizeGb,
                    scalingConfig: { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.minSize },
                    labels: { ...pool.labels },
                    taints: cloudTaints(pool),
                    tags: { ...tags, ...autoscalerTemplateTags(pool) },
                },
                // The autoscaler owns the desired size once the group exists.
                { ...child, dependsOn: nodePolicies, protect, ignoreChanges: ["scalingConfig.desiredSize"] },
            );
            // Managed node groups do not copy their tags to the autoscaling group, so tag it directly.
            const asgName = group.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? "");
            for (const [key, value] of Object.entries(autoscalerTemplateTags(pool))) {
                const tagName = `${name}-${pool.name}-${key.slice(autoscalerTagPrefix.length).replace(/[^A-Za-z0-9.-]/g, "-")}`;
                new aws.autoscaling.Tag(tagName, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } }, { ...child, parent: group });
            }
            return group;
        });

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([this.clusterName, endpoint, caData])
                .apply(([clusterName, ep, ca]) => eksKubeconfig({ name: clusterName, endpoint: ep, caData: ca }, region)),
        );
        this.registerOutputs({ clusterName: this.clusterName });
    }
}
