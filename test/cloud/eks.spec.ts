// A cluster the program creates on EKS is ready for Domino: every StorageClass has a
// driver the stack installs, NetworkPolicies are enforced, every pool that can grow
// has an autoscaler allowed to grow only this cluster's groups, the workflows' roles
// reach the API, and the version is one EKS supports. Adopted clusters get none of it.

import { strict as assert } from "assert";
import { clusterAutoscalerImages } from "../../components/cloud/aws";
import { clusterAutoscalerPolicy } from "../../components/cloud/aws/iam";
import { eksKubernetesVersions } from "../../components/cloud/profiles";
import { buildModel } from "../../components/model/model";
import { Plan, PlanResource, runPlan } from "../../plan/engine";
import { baseTenancy, k8sObject, k8sObjects, ofType, podSpecOf, testSecrets, withPatch } from "../helpers/plan";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const inputs = (r: PlanResource): Inputs => r.inputs as Inputs;
const addons = (p: Plan): Map<string, PlanResource> => new Map(ofType(p, "aws:eks/addon:Addon").map((a) => [inputs(a).addonName as string, a]));

/** The add-on that runs each CSI provisioner on EKS. */
const driverAddon: Record<string, string> = { "ebs.csi.aws.com": "aws-ebs-csi-driver", "efs.csi.aws.com": "aws-efs-csi-driver" };

async function awsVariant(patch: Record<string, unknown>): Promise<Plan> {
    return runPlan({ inline: { stack: "variant-aws", tenancy: JSON.parse(JSON.stringify(withPatch(baseTenancy("aws"), patch))), secrets: testSecrets } });
}

describe("EKS clusters the program creates (dev-aws)", function () {
    this.timeout(120000);
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await runPlan({ stack: "dev-aws", env: {} });
        prod = await runPlan({ stack: "prod-aws", env: {} });
    });

    it("installs a driver for every StorageClass provisioner, its controller's role bound through Pod Identity", () => {
        const installed = addons(dev);
        for (const sc of k8sObjects(dev, "StorageClass")) {
            const provisioner = (sc as Inputs).provisioner as string;
            const addon = driverAddon[provisioner];
            assert.ok(addon && installed.has(addon), `StorageClass ${sc.metadata.name}: no add-on installs ${provisioner}`);
        }
        const associations = ofType(dev, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map(
            (a) => `${inputs(a).namespace}/${inputs(a).serviceAccount}`,
        );
        assert.ok(
            associations.includes("kube-system/ebs-csi-controller-sa") && associations.includes("kube-system/efs-csi-controller-sa"),
            associations.join(", "),
        );
        assert.ok(installed.has("eks-pod-identity-agent"), "Pod Identity needs its agent");
    });

    it("enforces NetworkPolicies: vpc-cni with its network policy agent on, before any node joins", () => {
        const cni = addons(dev).get("vpc-cni");
        assert.ok(cni, "no vpc-cni add-on");
        assert.deepEqual(JSON.parse(inputs(cni).configurationValues), { enableNetworkPolicy: "true" });
        for (const group of ofType(dev, "aws:eks/nodeGroup:NodeGroup"))
            assert.ok(group.options.dependsOn.includes(cni.urn), `${group.name} may start before vpc-cni`);
    });

    it("makes an encrypted EFS file system for the shared class, mounted in every subnet, reachable over NFS from the cluster only", () => {
        const [fs] = ofType(dev, "aws:efs/fileSystem:FileSystem");
        assert.equal(inputs(fs).encrypted, true);
        const subnets = inputs(ofType(dev, "aws:eks/cluster:Cluster")[0]).vpcConfig.subnetIds as string[];
        assert.deepEqual(
            ofType(dev, "aws:efs/mountTarget:MountTarget")
                .map((m) => inputs(m).subnetId)
                .sort(),
            [...subnets].sort(),
        );
        const [rule] = ofType(dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepEqual(
            [inputs(rule).ipProtocol, inputs(rule).fromPort, inputs(rule).toPort, inputs(rule).referencedSecurityGroupId],
            ["tcp", 2049, 2049, "sg-plan-cluster"],
        );
        // The mocks give a resource the id `<name>-id`: the class names the file system the stack made.
        const shared = k8sObject(dev, "StorageClass", "domino-dev-shared") as Inputs;
        assert.equal(shared.parameters.fileSystemId, `${fs.name}-id`);
    });

    it("runs the cluster autoscaler when a pool starts at 0, pinned to the cluster's minor, discovering this cluster's groups only", () => {
        const fromZero = ofType(dev, "aws:eks/nodeGroup:NodeGroup").filter((g) => inputs(g).scalingConfig.minSize === 0);
        assert.ok(fromZero.length > 0, "dev-aws has pools that start at 0");
        const deployment = k8sObject(dev, "Deployment", "cluster-autoscaler", "domino-dev-autoscaler");
        const pod = podSpecOf(deployment);
        const [c] = pod.containers;
        const version = inputs(ofType(dev, "aws:eks/cluster:Cluster")[0]).version as string;
        assert.equal(c.image, `registry.k8s.io/autoscaling/cluster-autoscaler:v${version}.${c.image.split(".").pop()}`);
        const args = (c as unknown as { args: string[] }).args;
        assert.ok(args.includes("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/domino-dev"), args.join(" "));
        assert.ok(c.resources?.requests && c.resources.limits, "requests and limits");
        assert.equal(pod.nodeSelector?.["dominodatalab.com/node-pool"], "platform");
        const association = ofType(dev, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => inputs(a).serviceAccount === "cluster-autoscaler");
        assert.equal(association && inputs(association).namespace, "domino-dev-autoscaler");
        assert.equal(k8sObject(dev, "ClusterRole", "domino-dev-cluster-autoscaler").metadata.name, "domino-dev-cluster-autoscaler");
    });

    it("lets the autoscaler resize only autoscaling groups tagged as this cluster's", () => {
        const doc = JSON.parse(clusterAutoscalerPolicy("domino-dev", "arn:aws:eks:us-west-2:123456789012:cluster/domino-dev"));
        const writes = doc.Statement.find((s: Inputs) => s.Action.includes("autoscaling:SetDesiredCapacity"));
        assert.equal(writes.Condition.StringEquals["aws:ResourceTag/k8s.io/cluster-autoscaler/domino-dev"], "owned");
        const describe = doc.Statement.find((s: Inputs) => s.Action.includes("eks:DescribeNodegroup"));
        assert.equal(describe.Resource, "arn:aws:eks:us-west-2:123456789012:nodegroup/domino-dev/*/*");
        for (const s of doc.Statement) if (s.Resource === "*") assert.ok(s.Condition || s.Action.every((a: string) => /:(Describe|Get)/.test(a)), s.Sid);
    });

    it("gives the deploy role cluster admin and the preview role view, through access entries (API authentication)", () => {
        const cluster = inputs(ofType(dev, "aws:eks/cluster:Cluster")[0]);
        assert.equal(cluster.accessConfig.authenticationMode, "API");
        // The deploy role's entry is explicit, so EKS must not add the creator's (the same role) too.
        assert.equal(cluster.accessConfig.bootstrapClusterCreatorAdminPermissions, false);
        const grants = ofType(dev, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [
            inputs(a).principalArn,
            inputs(a).policyArn.split("/").pop(),
        ]);
        assert.deepEqual(grants.sort(), [
            ["arn:aws:iam::123456789012:role/domino-dev-deploy", "AmazonEKSClusterAdminPolicy"],
            ["arn:aws:iam::123456789012:role/domino-dev-preview", "AmazonEKSViewPolicy"],
        ]);
        assert.equal(ofType(dev, "aws:eks/accessEntry:AccessEntry").length, 2);
    });

    it("creates a version EKS supports, and pins an autoscaler release for every one of them", () => {
        assert.ok(eksKubernetesVersions.supported.includes(inputs(ofType(dev, "aws:eks/cluster:Cluster")[0]).version));
        assert.ok(eksKubernetesVersions.supported.includes(eksKubernetesVersions.default));
        for (const v of eksKubernetesVersions.supported) assert.match(clusterAutoscalerImages[v] ?? "", new RegExp(`:v${v.replace(".", "\\.")}\\.[0-9]+$`), v);
    });

    it("creates EKS's default version when the stack pins none, and leaves an adopted cluster's version alone", () => {
        const created = buildModel(baseTenancy("aws"), "t").cluster;
        assert.equal(created.cloud === "aws" && created.kubernetesVersion, eksKubernetesVersions.default);
        const adopted = buildModel(withPatch(baseTenancy("aws"), { cluster: { mode: "adopt" } }), "t").cluster;
        assert.equal(adopted.cloud === "aws" && adopted.kubernetesVersion, undefined);
    });

    it("touches nothing of an adopted cluster (prod-aws): no add-ons, file systems, access entries or autoscaler", () => {
        for (const type of [
            "aws:eks/addon:Addon",
            "aws:efs/fileSystem:FileSystem",
            "aws:eks/accessEntry:AccessEntry",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        ]) {
            assert.equal(ofType(prod, type).length, 0, type);
        }
        assert.equal(k8sObjects(prod, "Deployment").length, 0);
    });

    it("uses the stack's file system when it names one, and makes none", async () => {
        const p = await awsVariant({ domino: { storageClasses: { shared: { parameters: { fileSystemId: "fs-given" } } } } });
        assert.equal(ofType(p, "aws:efs/fileSystem:FileSystem").length, 0);
        assert.equal((k8sObject(p, "StorageClass", "domino-shared") as Inputs).parameters.fileSystemId, "fs-given");
        assert.ok(addons(p).has("aws-efs-csi-driver"), "the class still needs its driver");
    });

    it("runs no autoscaler where no pool can change size, and keeps the creator's admin entry where config names no deploy role", async () => {
        const p = await awsVariant({
            nodePools: [
                { name: "platform", role: "platform", minSize: 2, maxSize: 2 },
                { name: "compute", role: "compute", minSize: 1, maxSize: 1 },
            ],
        });
        assert.equal(k8sObjects(p, "Deployment").length, 0);
        assert.equal(
            ofType(p, "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => inputs(a).serviceAccount === "cluster-autoscaler").length,
            0,
        );
        assert.equal(inputs(ofType(p, "aws:eks/cluster:Cluster")[0]).accessConfig.bootstrapClusterCreatorAdminPermissions, true);
        assert.equal(ofType(p, "aws:eks/accessEntry:AccessEntry").length, 0);
    });
});
