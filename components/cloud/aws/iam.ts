// IAM documents for a created EKS cluster, as pure functions: trust policies for the
// cluster, its nodes and Pod Identity, and the cluster autoscaler's permissions scoped
// to this cluster's node groups.

/** A trust policy letting an AWS service assume the role. */
export function serviceTrust(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

/**
 * The trust policy of a role handed to pods through EKS Pod Identity: the Pod Identity
 * agent assumes it (and tags the session with the pod's cluster, namespace and service
 * account), so no OIDC provider is needed.
 */
export function podIdentityTrust(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });
}

export const managedPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

/** The tag EKS puts on every managed node group's autoscaling group, naming its cluster. */
export const autoscalerClusterTag = (clusterName: string): string => `k8s.io/cluster-autoscaler/${clusterName}`;
export const autoscalerEnabledTag = "k8s.io/cluster-autoscaler/enabled";

/**
 * The cluster autoscaler's permissions: it may resize or shrink only autoscaling groups
 * tagged as this cluster's (managed node groups carry `k8s.io/cluster-autoscaler/<cluster>=owned`),
 * and describe this cluster's node groups; the Describe calls AWS cannot scope take `*`.
 */
export function clusterAutoscalerPolicy(clusterName: string, clusterArn: string): string {
    // arn:aws:eks:<region>:<account>:cluster/<name> -> arn:aws:eks:<region>:<account>:nodegroup/<name>/*/*
    const nodegroups = `${clusterArn.replace(/:cluster\/[^/]+$/, ":nodegroup/")}${clusterName}/*/*`;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ScaleThisClustersGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        [`aws:ResourceTag/${autoscalerClusterTag(clusterName)}`]: "owned",
                        [`aws:ResourceTag/${autoscalerEnabledTag}`]: "true",
                    },
                },
            },
            { Sid: "DescribeThisClustersNodeGroups", Effect: "Allow", Action: ["eks:DescribeNodegroup"], Resource: nodegroups },
            {
                Sid: "DiscoverGroupsAndInstanceTypes",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
        ],
    });
}
