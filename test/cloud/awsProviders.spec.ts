// The EKS component uses the AWS provider its caller passes in (an assume-role
// provider, say) for every AWS child, and builds its own default-tagged provider only
// when none is given. Checked on the provider reference of every registration.

import { strict as assert } from "assert";
import * as aws from "../../components/cloud/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterAutoscalerFor } from "../../components/cloud";
import { AwsCluster } from "../../components/cloud/aws";
import { buildModel, type AwsClusterModel } from "../../components/model/model";
import { planMocks } from "../../plan/mocks";
import { baseTenancy, withPatch } from "../helpers/plan";

// Internal to the SDK (absent from its typings): the wait for in-flight registrations, as plan/engine.ts uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly provider?: string;
}

/** Registers a created EKS cluster (EFS, add-ons, access entries, autoscaler role: every kind of child) under recording mocks. */
async function register(opts: (injected: aws.Provider) => pulumi.ComponentResourceOptions): Promise<{ registered: Registered[]; injectedUrn: string }> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered.push({ type: args.type, name: args.name, provider: args.provider });
                return planMocks.newResource(args);
            },
            call: (args) => planMocks.call(args),
        },
        "domino-tenancy",
        "providers",
        false,
    );
    // JSON drops the undefined fileSystemId, as a stack file without one would.
    const tenancy = JSON.parse(
        JSON.stringify(
            withPatch(baseTenancy("aws"), {
                cluster: { access: { deployRoleArns: ["arn:aws:iam::123456789012:role/deploy"], previewRoleArns: ["arn:aws:iam::123456789012:role/preview"] } },
                domino: { storageClasses: { shared: { parameters: { fileSystemId: undefined } } } },
            }),
        ),
    );
    const model = buildModel(tenancy, "providers");
    const injected = new aws.Provider("injected", { region: "us-west-2" });
    const cluster = new AwsCluster(
        "cluster",
        {
            cluster: model.cluster as AwsClusterModel,
            deploymentName: model.name,
            protect: false,
            storageClasses: model.storageClasses,
            autoscaler: clusterAutoscalerFor(model),
        },
        opts(injected),
    );
    await new Promise((resolve) => cluster.kubeconfig.apply(resolve));
    await waitForRPCs();
    const injectedUrn = await new Promise<string>((resolve) => injected.urn.apply(resolve));
    return { registered, injectedUrn };
}

const awsChildren = (registered: Registered[]) => registered.filter((r) => r.type.startsWith("aws:"));

describe("the EKS component's AWS provider", function () {
    this.timeout(60000);

    for (const [how, opts] of [
        ["providers: { aws }", (p: aws.Provider): pulumi.ComponentResourceOptions => ({ providers: { aws: p } })],
        ["provider", (p: aws.Provider): pulumi.ComponentResourceOptions => ({ provider: p })],
    ] as const) {
        it(`uses an injected provider (${how}) for every AWS child and builds none of its own`, async () => {
            const { registered, injectedUrn } = await register(opts);
            const children = awsChildren(registered);
            // Every kind the created cluster makes is among them, so none can slip past on the ambient provider.
            for (const type of [
                "aws:eks/cluster:Cluster",
                "aws:eks/addon:Addon",
                "aws:efs/fileSystem:FileSystem",
                "aws:eks/accessEntry:AccessEntry",
                "aws:iam/rolePolicy:RolePolicy",
            ]) {
                assert.ok(
                    children.some((c) => c.type === type),
                    `no ${type} registered`,
                );
            }
            for (const c of children) assert.ok(c.provider?.startsWith(`${injectedUrn}::`), `${c.type} ${c.name} uses ${c.provider ?? "the default provider"}`);
            assert.deepEqual(
                registered.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.name),
                ["injected"],
            );
        });
    }

    it("builds its own provider, with the deployment's default tags, when none is injected", async () => {
        const { registered } = await register(() => ({}));
        const own = registered.filter((r) => r.type === "pulumi:providers:aws" && r.name === "cluster-aws");
        assert.equal(own.length, 1);
        for (const c of awsChildren(registered)) assert.match(c.provider ?? "", /pulumi:providers:aws::cluster-aws::/, `${c.type} ${c.name}`);
    });
});
