// The one set of mocks for the offline plan and the tests. Resources echo their
// inputs back as state (what a provider would accept), plus the few computed
// outputs the program reads, so every apply in the program runs.

import * as pulumi from "@pulumi/pulumi";

const fakeCa = Buffer.from("-----BEGIN CERTIFICATE-----\nplan-only\n-----END CERTIFICATE-----\n").toString("base64");

/** Outputs a provider computes that the program reads, by type token. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "aws:eks/cluster:Cluster":
            return {
                endpoint: `https://${inputs.name ?? name}.eks.plan.invalid`,
                certificateAuthority: { data: fakeCa },
                arn: `arn:aws:eks:plan:000000000000:cluster/${inputs.name ?? name}`,
                // What the EFS security group reads: the VPC and the cluster security group EKS makes.
                vpcConfig: { ...(inputs.vpcConfig as object), vpcId: "vpc-plan", clusterSecurityGroupId: "sg-plan-cluster" },
            };
        case "aws:eks/nodeGroup:NodeGroup":
            return {
                resources: [{ autoscalingGroups: [{ name: `eks-${inputs.nodeGroupName ?? name}-asg` }] }],
                arn: `arn:aws:eks:plan:000000000000:nodegroup/${name}`,
            };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::000000000000:role/${name}`, name };
        case "gcp:container/cluster:Cluster":
            return { endpoint: "203.0.113.10", masterAuth: { clusterCaCertificate: fakeCa } };
        default:
            return {};
    }
}

/**
 * The mocks, with the outputs a StackReference reads: the rename guard reads the stack's own last
 * outputs that way. Plans pass none (a stack never deployed); specs pass a previous deployment.
 */
export function planMocksWith(stackReferenceOutputs: Record<string, unknown>): pulumi.runtime.Mocks {
    return {
        ...planMocks,
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
            if (args.type === "pulumi:pulumi:StackReference") return { id: args.id ?? args.name, state: { ...args.inputs, outputs: stackReferenceOutputs } };
            return planMocks.newResource(args) as { id: string; state: Record<string, unknown> };
        },
    };
}

export const planMocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        // A stack that has no outputs yet, so the rename guard lets it pass.
        if (args.type === "pulumi:pulumi:StackReference") return { id: args.id ?? args.name, state: { ...args.inputs, outputs: {} } };
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) } };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:eks/getCluster:getCluster":
                return {
                    ...args.inputs,
                    endpoint: `https://${args.inputs.name}.eks.plan.invalid`,
                    certificateAuthorities: [{ data: fakeCa }],
                    vpcConfig: { subnetIds: ["subnet-plan-a", "subnet-plan-b"] },
                };
            case "gcp:container/getCluster:getCluster":
                return { ...args.inputs, endpoint: "203.0.113.10", masterAuths: [{ clusterCaCertificate: fakeCa }] };
            default:
                return args.inputs;
        }
    },
};
