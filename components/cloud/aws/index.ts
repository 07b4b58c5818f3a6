// EKS: the cluster (created, or adopted by name), its IAM roles, and one managed
// node group per Domino pool with the pool's labels and taints. Labels and taints
// are mirrored into the autoscaling group's node-template tags so the cluster
// autoscaler can scale a pool up from zero knowing what the node will look like.
//
// A created cluster is made ready for Domino: the vpc-cni add-on with network policy
// enforcement, the EBS and EFS CSI drivers, an EFS file system for the shared class
// when the stack names none, access entries for the deploy and preview roles, and the
// autoscaler's IAM. Add-on and autoscaler IAM goes through EKS Pod Identity, not IRSA:
// no OIDC provider to create and trust, and a role's trust policy names no cluster.
//
// Every AWS child uses the provider passed in (`providers: { aws }` or `provider`), so
// a caller can hand over an assume-role provider; only without one does the component
// build its own, with the deployment's default tags.

import * as aws from "../sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsClusterModel, DeploymentModel } from "../../model/model";
import { type NodePool, recommendedLabels, systemPoolLabel } from "@domino-tenancy/core";
import { eksKubeconfig } from "../kubeconfig";
import { cloudTaints } from "../taints";
import type { ClusterAutoscalerNeeds, ClusterHandle, SharedFileSystem, StorageParameters } from "../handle";
import { clusterAutoscalerPolicy, managedPolicy, podIdentityTrust, serviceTrust } from "./iam";

export { awsClusterAutoscaler, clusterAutoscalerImages } from "./autoscaler";

const autoscalerTagPrefix = "k8s.io/cluster-autoscaler/node-template/";

/** Cluster-autoscaler node-template tags for a pool: one per label and per taint. */
export function autoscalerTemplateTags(pool: NodePool): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(pool.labels)) tags[`${autoscalerTagPrefix}label/${key}`] = value;
    for (const t of pool.taints) tags[`${autoscalerTagPrefix}taint/${t.key}`] = `${t.value ?? ""}:${t.effect}`;
    return tags;
}

/** The CSI drivers EKS runs as add-ons, by provisioner name. */
export const ebsProvisioner = "ebs.csi.aws.com";
export const efsProvisioner = "efs.csi.aws.com";

/** EKS access policies: deploy roles administer the cluster, preview roles only read it. */
export const accessPolicies = {
    // `pulumi up` creates cluster-scoped objects (ClusterRoles, admission policies, priority
    // classes) and binds roles: only cluster admin allows all of that.
    deploy: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    // Previews read; view excludes Secrets, and preview roles never change the cluster.
    preview: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
} as const;

/** Add-ons whose controllers need AWS credentials, with the service account and managed policy. */
const csiAddons = {
    [ebsProvisioner]: {
        addon: "aws-ebs-csi-driver",
        serviceAccount: "ebs-csi-controller-sa",
        policy: "service-role/AmazonEBSCSIDriverPolicy",
        role: "ebs-csi",
    },
    [efsProvisioner]: {
        addon: "aws-efs-csi-driver",
        serviceAccount: "efs-csi-controller-sa",
        policy: "service-role/AmazonEFSCSIDriverPolicy",
        role: "efs-csi",
    },
} as const;

/** Whether the shared class needs a file system the cluster makes: EFS, and the stack gives no fileSystemId. */
export function needsEfsFileSystem(storageClasses: DeploymentModel["storageClasses"]): boolean {
    return storageClasses.shared.provisioner === efsProvisioner && !("fileSystemId" in storageClasses.shared.parameters);
}

export interface AwsClusterArgs {
    /** The EKS cluster and its sized pools. */
    readonly cluster: AwsClusterModel;
    /** Domino's deployment name: tags every AWS resource. */
    readonly deploymentName: string;
    /** Refuse deletion of the cluster and its node groups (prod). */
    readonly protect: boolean;
    /** Domino's StorageClasses: which CSI drivers a created cluster installs, and whether it makes an EFS file system. */
    readonly storageClasses: DeploymentModel["storageClasses"];
    /** The autoscaler the stack runs on a created cluster: its service account gets the scaling role. */
    readonly autoscaler?: ClusterAutoscalerNeeds;
}

export class AwsCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly clusterName: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly ready: pulumi.Resource[];
    readonly storageParameters?: StorageParameters;
    readonly sharedFileSystem?: SharedFileSystem;

    constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:aws:EksCluster", name, {}, opts);
        const { cluster: c, protect } = args;
        const region = c.region;
        const tags = { ...recommendedLabels(args.deploymentName, "cluster"), "domino-tenancy/deployment": args.deploymentName };
        // The caller's provider (an assume-role one, say) wins; our own only when none is given.
        const provider =
            (this.getProvider("aws::") as aws.Provider | undefined) ??
            new aws.Provider(`${name}-aws`, { region: region as aws.Region, defaultTags: { tags } }, { parent: this });
        const child = { parent: this, provider };

        let endpoint: pulumi.Output<string>;
        let caData: pulumi.Output<string>;
        let subnetIds: pulumi.Output<string[]>;
        let created: aws.eks.Cluster | undefined;
        if (c.mode === "create") {
            const clusterRole = new aws.iam.Role(`${name}-cluster-role`, { assumeRolePolicy: serviceTrust("eks.amazonaws.com"), tags }, child);
            const attachment = new aws.iam.RolePolicyAttachment(
                `${name}-cluster-policy`,
                { role: clusterRole.name, policyArn: managedPolicy("AmazonEKSClusterPolicy") },
                child,
            );
            const explicitAccess = c.access.deployRoleArns.length > 0;
            created = new aws.eks.Cluster(
                `${name}-eks`,
                {
                    name: c.name,
                    roleArn: clusterRole.arn,
                    version: c.kubernetesVersion,
                    vpcConfig: { subnetIds: [...c.subnetIds], endpointPrivateAccess: true, endpointPublicAccess: true },
                    // Access entries only, no aws-auth ConfigMap. With deploy roles named, their entries are
                    // explicit below (an implicit creator entry for the same role would collide with them).
                    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: !explicitAccess },
                    tags,
                },
                { ...child, dependsOn: [attachment], protect },
            );
            this.clusterName = created.name;
            endpoint = created.endpoint;
            caData = created.certificateAuthority.apply((ca) => ca.data);
            subnetIds = pulumi.output([...c.subnetIds]);
        } else {
            const existing = aws.eks.getClusterOutput({ name: c.name }, { parent: this, provider });
            this.clusterName = existing.name;
            endpoint = existing.endpoint;
            caData = existing.certificateAuthorities.apply((cas) => cas[0]?.data ?? "");
            subnetIds = c.subnetIds.length > 0 ? pulumi.output([...c.subnetIds]) : existing.vpcConfig.apply((v) => v.subnetIds);
        }

        // Network policy is enforced from the first node on: the add-on exists before any node group.
        const networkAddons = created ? this.networkAddons(name, created, child) : [];

        const nodeRole = new aws.iam.Role(`${name}-node-role`, { assumeRolePolicy: serviceTrust("ec2.amazonaws.com"), tags }, child);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
            (policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(policy) }, child),
        );

        const groups = c.pools.map((pool) => {
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
                { ...child, dependsOn: [...nodePolicies, ...networkAddons], protect, ignoreChanges: ["scalingConfig.desiredSize"] },
            );
            // Managed node groups do not copy their tags to the autoscaling group, so tag it directly.
            const asgName = group.resources.apply((r) => r?.[0]?.autoscalingGroups?.[0]?.name ?? "");
            for (const [key, value] of Object.entries(autoscalerTemplateTags(pool))) {
                const tagName = `${name}-${pool.name}-${key.slice(autoscalerTagPrefix.length).replace(/[^A-Za-z0-9.-]/g, "-")}`;
                new aws.autoscaling.Tag(tagName, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } }, { ...child, parent: group });
            }
            return group;
        });

        // The cluster's own pool, untainted and without Domino's labels: CoreDNS and the CSI
        // controllers tolerate none of Domino's taints. A fixed size the autoscaler keeps.
        const systemGroup =
            created && c.systemPool
                ? new aws.eks.NodeGroup(
                      `${name}-system`,
                      {
                          clusterName: this.clusterName,
                          nodeGroupName: `${c.name}-system`,
                          nodeRoleArn: nodeRole.arn,
                          subnetIds,
                          instanceTypes: [c.systemPool.machineType],
                          amiType: "AL2023_x86_64_STANDARD",
                          scalingConfig: { minSize: c.systemPool.nodes, maxSize: c.systemPool.nodes, desiredSize: c.systemPool.nodes },
                          labels: { [systemPoolLabel.key]: systemPoolLabel.value },
                          tags,
                      },
                      { ...child, dependsOn: [...nodePolicies, ...networkAddons], protect },
                  )
                : undefined;
        const allGroups = systemGroup ? [...groups, systemGroup] : groups;

        const extras: pulumi.Resource[] = [];
        if (created) {
            extras.push(...this.accessEntries(name, created, c, child));
            const fileSystem = needsEfsFileSystem(args.storageClasses) ? this.efsFileSystem(name, created, c, tags, child) : undefined;
            if (fileSystem) {
                this.storageParameters = { shared: { fileSystemId: fileSystem.id } };
                this.sharedFileSystem = { type: "efs", fileSystemId: fileSystem.id, region };
            }
            extras.push(...this.csiAddons(name, created, args.storageClasses, tags, allGroups, child));
            if (args.autoscaler) extras.push(this.autoscalerIdentity(name, created, args.autoscaler, tags, child));
        }
        this.ready = [...allGroups, ...extras];

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([this.clusterName, endpoint, caData])
                .apply(([clusterName, ep, ca]) => eksKubeconfig({ name: clusterName, endpoint: ep, caData: ca }, region)),
        );
        this.registerOutputs({ clusterName: this.clusterName });
    }

    /** vpc-cni with its network policy agent on (NetworkPolicies are otherwise ignored), and the Pod Identity agent. */
    private networkAddons(name: string, cluster: aws.eks.Cluster, child: pulumi.CustomResourceOptions): aws.eks.Addon[] {
        return [
            new aws.eks.Addon(
                `${name}-vpc-cni`,
                {
                    clusterName: cluster.name,
                    addonName: "vpc-cni",
                    configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
                    // EKS installs vpc-cni unmanaged with every cluster: take it over with our settings.
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                },
                child,
            ),
            new aws.eks.Addon(
                `${name}-pod-identity-agent`,
                {
                    clusterName: cluster.name,
                    addonName: "eks-pod-identity-agent",
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                },
                child,
            ),
        ];
    }

    /** An access entry per named role: deploy roles get cluster admin, preview roles view. */
    private accessEntries(name: string, cluster: aws.eks.Cluster, c: AwsClusterModel, child: pulumi.CustomResourceOptions): pulumi.Resource[] {
        const out: pulumi.Resource[] = [];
        const grants = [
            ...c.access.deployRoleArns.map((arn) => ({ arn, policy: accessPolicies.deploy, kind: "deploy" })),
            ...c.access.previewRoleArns.map((arn) => ({ arn, policy: accessPolicies.preview, kind: "preview" })),
        ];
        for (const g of grants) {
            const role = g.arn.slice(g.arn.lastIndexOf("/") + 1);
            const entry = new aws.eks.AccessEntry(
                `${name}-access-${g.kind}-${role}`,
                { clusterName: cluster.name, principalArn: g.arn, type: "STANDARD" },
                child,
            );
            out.push(
                new aws.eks.AccessPolicyAssociation(
                    `${name}-access-${g.kind}-${role}`,
                    { clusterName: cluster.name, principalArn: entry.principalArn, policyArn: g.policy, accessScope: { type: "cluster" } },
                    child,
                ),
            );
        }
        return out;
    }

    /** An encrypted EFS file system with a mount target per subnet, reachable over NFS from the cluster's nodes only. */
    private efsFileSystem(
        name: string,
        cluster: aws.eks.Cluster,
        c: AwsClusterModel,
        tags: Record<string, string>,
        child: pulumi.CustomResourceOptions,
    ): aws.efs.FileSystem {
        const fileSystem = new aws.efs.FileSystem(
            `${name}-efs`,
            { encrypted: true, performanceMode: "generalPurpose", throughputMode: "elastic", tags: { ...tags, Name: `${c.name}-shared` } },
            child,
        );
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-efs-nfs`,
            { vpcId: cluster.vpcConfig.vpcId, description: `NFS to ${c.name}'s EFS file system from the cluster`, tags },
            child,
        );
        // Managed node groups run in the cluster security group.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-efs-nfs-from-cluster`,
            {
                securityGroupId: securityGroup.id,
                referencedSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 2049,
                toPort: 2049,
                description: "NFS from the cluster's nodes",
            },
            child,
        );
        c.subnetIds.forEach(
            (subnetId, i) =>
                new aws.efs.MountTarget(
                    `${name}-efs-${i}`,
                    { fileSystemId: fileSystem.id, subnetId, securityGroups: [securityGroup.id] },
                    { ...child, parent: fileSystem },
                ),
        );
        return fileSystem;
    }

    /** The EBS driver always (EKS has no in-tree EBS provisioning), the EFS driver when a class uses it; each with its role through Pod Identity. */
    private csiAddons(
        name: string,
        cluster: aws.eks.Cluster,
        storageClasses: DeploymentModel["storageClasses"],
        tags: Record<string, string>,
        groups: readonly aws.eks.NodeGroup[],
        child: pulumi.CustomResourceOptions,
    ): aws.eks.Addon[] {
        const provisioners = new Set<string>([ebsProvisioner, storageClasses.block.provisioner, storageClasses.shared.provisioner]);
        return [...provisioners]
            .filter((p): p is keyof typeof csiAddons => p in csiAddons)
            .map((p) => {
                const a = csiAddons[p];
                const role = new aws.iam.Role(`${name}-${a.role}-role`, { assumeRolePolicy: podIdentityTrust(), tags }, child);
                const attachment = new aws.iam.RolePolicyAttachment(`${name}-${a.role}-policy`, { role: role.name, policyArn: managedPolicy(a.policy) }, child);
                const association = new aws.eks.PodIdentityAssociation(
                    `${name}-${a.role}`,
                    { clusterName: cluster.name, namespace: "kube-system", serviceAccount: a.serviceAccount, roleArn: role.arn, tags },
                    child,
                );
                // The controllers run as Deployments: they need nodes, and their credentials must exist when they start.
                return new aws.eks.Addon(
                    `${name}-${a.addon}`,
                    { clusterName: cluster.name, addonName: a.addon, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE" },
                    { ...child, dependsOn: [...groups, attachment, association] },
                );
            });
    }

    /** The autoscaler's role, allowed to scale this cluster's groups only, bound to its service account through Pod Identity. */
    private autoscalerIdentity(
        name: string,
        cluster: aws.eks.Cluster,
        autoscaler: ClusterAutoscalerNeeds,
        tags: Record<string, string>,
        child: pulumi.CustomResourceOptions,
    ): aws.eks.PodIdentityAssociation {
        const role = new aws.iam.Role(`${name}-cluster-autoscaler-role`, { assumeRolePolicy: podIdentityTrust(), tags }, child);
        const policy = new aws.iam.RolePolicy(
            `${name}-cluster-autoscaler-policy`,
            { role: role.name, policy: pulumi.all([cluster.name, cluster.arn]).apply(([n, arn]) => clusterAutoscalerPolicy(n, arn)) },
            child,
        );
        return new aws.eks.PodIdentityAssociation(
            `${name}-cluster-autoscaler`,
            { clusterName: cluster.name, namespace: autoscaler.namespace, serviceAccount: autoscaler.serviceAccountName, roleArn: role.arn, tags },
            { ...child, dependsOn: [policy] },
        );
    }
}
