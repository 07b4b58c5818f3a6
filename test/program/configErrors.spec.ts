import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../components/model/schema";
import { buildModel } from "../../components/model/model";
import { PlanConfigError, runPlan } from "../../plan/engine";
import { baseTenancy, withPatch } from "../helpers/plan";

interface BadCase {
    readonly title: string;
    readonly tenancy: unknown;
    /** Every path the error must name, each with a fragment of what is allowed. */
    readonly expect: readonly [path: string, message: RegExp][];
}

const existing = baseTenancy("existing");
const aws = baseTenancy("aws");
const gcp = baseTenancy("gcp");

const badCases: BadCase[] = [
    {
        title: "the agent method for Domino 6, which only the Platform Operator installs",
        tenancy: withPatch(existing, { domino: { install: { method: "agent", chart: undefined } } }),
        expect: [["tenancy.domino.install.method", /only supported path; allowed: operator/]],
    },
    {
        title: "the operator method for Domino 5, which the operator does not manage",
        tenancy: withPatch(existing, { domino: { version: "5.11.1", install: { method: "operator" } } }),
        expect: [["tenancy.domino.install.method", /manages 6.0.0 and later; allowed: agent/]],
    },
    {
        title: "an agent tag in the old v<version> form, showing the expected form",
        tenancy: withPatch(existing, { domino: { install: { agentVersion: "v6.1.0" } } }),
        expect: [
            [
                "tenancy.domino.install.agentVersion",
                /'v6.1.0' is not a fleetcommand-agent tag; expected 6.2.2.catalog-<commit hex>, for example 6.2.2.catalog-34a6626/,
            ],
        ],
    },
    {
        title: "an agent tag of another release than domino.version",
        tenancy: withPatch(existing, { domino: { install: { agentVersion: "6.2.0.catalog-5074e48" } } }),
        expect: [["tenancy.domino.install.agentVersion", /is the agent of Domino 6.2.0, not domino.version 6.2.2; expected 6.2.2.catalog-<commit hex>/]],
    },
    {
        title: "a version this program has no tag for, with no tag given",
        tenancy: withPatch(existing, { domino: { version: "6.3.0" } }),
        expect: [["tenancy.domino.install.agentVersion", /is required for Domino 6.3.0.*6.3.0.catalog-<commit hex>/]],
    },
    {
        title: "a Domino minor whose config schema no known page gives, without install.configSchema",
        tenancy: withPatch(existing, { domino: { version: "6.1.4" } }),
        expect: [
            [
                "tenancy.domino.install.configSchema",
                /is required for Domino 6.1.4: no configuration reference page of 6.1 .*known: 5.8: 1.5, 5.11: 1.9, 6.2: 1.16/,
            ],
        ],
    },
    {
        title: "a config schema that is not <major>.<minor>",
        tenancy: withPatch(existing, { domino: { install: { configSchema: "1.16.0" } } }),
        expect: [["tenancy.domino.install.configSchema", /must be a config schema version such as 1.16/]],
    },
    {
        title: "a reconcile interval that is not a Go duration",
        tenancy: withPatch(existing, { domino: { install: { interval: "6 hours" } } }),
        expect: [["tenancy.domino.install.interval", /must be a Go duration such as 6h0m0s/]],
    },
    {
        title: "the retired customResourceApiVersion guess (the group is known: operator.domino.ai/v1beta1)",
        tenancy: withPatch(existing, { domino: { install: { customResourceApiVersion: "platform.dominodatalab.com/v1alpha1" } } }),
        expect: [["tenancy.domino.install.customResourceApiVersion", /unknown key; allowed here: .*configSchema/]],
    },
    {
        title: "a 5.x legacy tag on the operator path",
        tenancy: withPatch(existing, { domino: { install: { agentVersion: "v66" } } }),
        expect: [["tenancy.domino.install.agentVersion", /'v66' is not a fleetcommand-agent tag/]],
    },
    {
        title: "no registry user name",
        tenancy: withPatch(existing, { domino: { install: { registry: { username: undefined } } } }),
        expect: [["tenancy.domino.install.registry.username", /is required: the quay.io user name.*'registryPassword'/]],
    },
    {
        title: "no chart source for the operator it installs",
        tenancy: withPatch(existing, { domino: { install: { chart: undefined } } }),
        expect: [["tenancy.domino.install.chart", /is required with operator 'install': a chart repository \(repo, name, version\) or Domino's chart archive/]],
    },
    {
        title: "a chart repository without a pinned version",
        tenancy: withPatch(existing, { domino: { install: { chart: { archive: undefined, repo: "https://charts.example.com" } } } }),
        expect: [["tenancy.domino.install.chart.version", /is required: give repo, name and a pinned version, or archive/]],
    },
    {
        title: "a chart beside a shared operator",
        tenancy: withPatch(existing, { domino: { install: { operator: "shared" } } }),
        expect: [["tenancy.domino.install.chart", /not used with operator 'shared'/]],
    },
    {
        title: "the chart's grant asked for by a stack that shares another stack's operator",
        tenancy: withPatch(existing, { domino: { install: { operator: "shared", chart: undefined, operatorRbac: "chart" } } }),
        expect: [["tenancy.domino.install.operatorRbac", /not used with operator 'shared': the stack that installs the operator decides its grant/]],
    },
    {
        title: "the operator's grant on the 5.x agent path, which runs no operator",
        tenancy: withPatch(existing, { domino: { version: "5.11.1", install: { chart: undefined, operatorRbac: "chart" } } }),
        expect: [["tenancy.domino.install.operatorRbac", /is only used with method 'operator'/]],
    },
    { title: "a missing tenancy object", tenancy: undefined, expect: [["tenancy", /is missing/]] },
    {
        title: "an unknown cloud",
        tenancy: withPatch(existing, { cloud: "azure" }),
        expect: [["tenancy.cloud", /^must be one of: aws, gcp, existing \(got "azure"\)$/]],
    },
    {
        title: "an unknown key, listing the allowed ones",
        tenancy: withPatch(existing, { colud: "aws" }),
        expect: [["tenancy.colud", /unknown key; allowed here: cloud, environment/]],
    },
    {
        title: "an unknown nested key",
        tenancy: withPatch(existing, { domino: { hostnmae: "x" } }),
        expect: [["tenancy.domino.hostnmae", /allowed here: .*hostname/]],
    },
    {
        title: "a deployment name that is not a DNS label",
        tenancy: withPatch(existing, { domino: { name: "Domino_1" } }),
        expect: [["tenancy.domino.name", /DNS-1123 label/]],
    },
    {
        title: "a deployment name too long for its derived namespaces",
        tenancy: withPatch(existing, { domino: { name: "d".repeat(50) } }),
        expect: [["tenancy.domino.name", /at most 49/]],
    },
    {
        title: "a pool size given as a word, in the config's own words rather than zod's",
        tenancy: withPatch(baseTenancy("aws"), { nodePools: [{ name: "platform", role: "platform", minSize: "lots" }] }),
        expect: [["tenancy.nodePools[0].minSize", /^must be a whole number from 0 to 1000 \(got "lots"\)$/]],
    },
    {
        title: "a pool size below its bound",
        tenancy: withPatch(baseTenancy("aws"), { nodePools: [{ name: "platform", role: "platform", maxSize: 0 }] }),
        expect: [["tenancy.nodePools[0].maxSize", /^must be ≥ 1 \(got 0\)$/]],
    },
    { title: "a missing hostname", tenancy: { cloud: "existing", domino: {} }, expect: [["tenancy.domino.hostname", /^is missing; must be a string$/]] },
    {
        title: "min above max on a pool",
        tenancy: withPatch(aws, {
            nodePools: [
                { name: "platform", role: "platform" },
                { name: "compute", role: "compute", minSize: 5, maxSize: 2 },
            ],
        }),
        expect: [["tenancy.nodePools[1].minSize", /above maxSize 2/]],
    },
    {
        title: "no platform pool and no compute pool",
        tenancy: withPatch(aws, { nodePools: [{ name: "gpu", role: "gpu" }] }),
        expect: [
            ["tenancy.nodePools", /exactly one pool with role platform/],
            ["tenancy.nodePools", /at least one pool with role compute/],
        ],
    },
    {
        title: "two pools with the same node-pool label",
        tenancy: withPatch(aws, {
            nodePools: [
                { name: "platform", role: "platform" },
                { name: "a", role: "compute" },
                { name: "b", role: "compute" },
            ],
        }),
        expect: [["tenancy.nodePools[2].nodePoolLabel", /already used by nodePools\[1\]/]],
    },
    {
        title: "a pool that overrides a label the role owns",
        tenancy: withPatch(existing, {
            nodePools: [
                { name: "platform", role: "platform", labels: { "dominodatalab.com/node-pool": "x" } },
                { name: "c", role: "compute" },
            ],
        }),
        expect: [["tenancy.nodePools[0].labels.dominodatalab.com/node-pool", /reserved/]],
    },
    {
        title: "machine sizes on an adopted cluster, where they would do nothing",
        tenancy: withPatch(existing, {
            nodePools: [
                { name: "platform", role: "platform", maxSize: 3 },
                { name: "c", role: "compute" },
            ],
        }),
        expect: [["tenancy.nodePools[0].maxSize", /not used with cloud 'existing'/]],
    },
    {
        title: "GPU settings on a non-GPU pool",
        tenancy: withPatch(gcp, {
            nodePools: [
                { name: "platform", role: "platform", gpu: {} },
                { name: "c", role: "compute" },
            ],
        }),
        expect: [["tenancy.nodePools[0].gpu", /only allowed on pools with role gpu/]],
    },
    {
        title: "an EKS cluster without region or enough subnets",
        tenancy: withPatch(aws, { cluster: { region: undefined, subnetIds: ["s"] } }),
        expect: [
            ["tenancy.cluster.region", /required/],
            ["tenancy.cluster.subnetIds", /at least two subnets/],
        ],
    },
    {
        title: "a GKE cluster with AWS settings",
        tenancy: withPatch(gcp, { cluster: { region: "us-east-1" } }),
        expect: [["tenancy.cluster.region", /AWS setting/]],
    },
    {
        title: "node-config sysctls where the cloud has none",
        tenancy: withPatch(aws, { nodeFunctions: { sysctl: "program" }, plumbing: { sysctlMethod: "node-config" } }),
        expect: [["tenancy.plumbing.sysctlMethod", /node-config is not available on cloud 'aws'; allowed: auto, daemonset/]],
    },
    {
        title: "a log shipper owned by anyone but Domino, whose config cannot switch it off",
        tenancy: withPatch(existing, { nodeFunctions: { logs: "cluster" } }),
        expect: [["tenancy.nodeFunctions.logs", /'cluster' is not allowed for logs: .*no switch.*; allowed: domino$/]],
    },
    {
        title: "a node function the program has no implementation of",
        tenancy: withPatch(existing, { nodeFunctions: { nodeMetrics: "program", imageCache: "program", registryCertificates: "program" } }),
        expect: [
            ["tenancy.nodeFunctions.nodeMetrics", /'program' is not allowed for nodeMetrics: this program has no node exporter.*; allowed: domino, cluster/],
            ["tenancy.nodeFunctions.imageCache", /'program' is not allowed for imageCache.*; allowed: domino, cluster/],
            ["tenancy.nodeFunctions.registryCertificates", /'program' is not allowed for registryCertificates.*; allowed: domino, cluster/],
        ],
    },
    {
        title: "the sysctl owned by Domino, whose config has no switch for it",
        tenancy: withPatch(gcp, { nodeFunctions: { sysctl: "domino" } }),
        expect: [["tenancy.nodeFunctions.sysctl", /'domino' is not allowed for sysctl: Domino's config has no switch for it; allowed: cluster, program/]],
    },
    {
        title: "Domino's cluster-autoscaler beside the one this program runs on the EKS cluster it creates",
        tenancy: withPatch(aws, { clusterFunctions: { clusterAutoscaler: "domino" } }),
        expect: [
            [
                "tenancy.clusterFunctions.clusterAutoscaler",
                /^'domino' is not allowed for clusterAutoscaler: it would be a second owner beside program: this program runs its own cluster-autoscaler.*; allowed: program, cluster$/,
            ],
        ],
    },
    {
        title: "the program's cluster-autoscaler where the program runs none (GKE scales its own pools)",
        tenancy: withPatch(gcp, { clusterFunctions: { clusterAutoscaler: "program" } }),
        expect: [
            [
                "tenancy.clusterFunctions.clusterAutoscaler",
                /^'program' is not allowed for clusterAutoscaler: this program runs no cluster-autoscaler here .*the owner is cluster: GKE scales its node pools itself; allowed: domino, cluster$/,
            ],
        ],
    },
    {
        title: "cluster functions the program has no copy of, and storage classes left to anyone but the program",
        tenancy: withPatch(existing, { clusterFunctions: { metricsServer: "program", certificateManagement: "program", storageClasses: "domino" } }),
        expect: [
            [
                "tenancy.clusterFunctions.metricsServer",
                /^'program' is not allowed for metricsServer: this program runs no metrics-server of its own; allowed: domino, cluster$/,
            ],
            [
                "tenancy.clusterFunctions.storageClasses",
                /^'domino' is not allowed for storageClasses: this program creates Domino's StorageClasses .*; allowed: program$/,
            ],
            ["tenancy.clusterFunctions.certificateManagement", /^'program' is not allowed for certificateManagement: .*; allowed: domino, cluster$/],
        ],
    },
    {
        title: "Domino's certificate management beside the admins' registry certificates, which Domino switches with the same key",
        tenancy: withPatch(existing, { nodeFunctions: { registryCertificates: "cluster" }, clusterFunctions: { certificateManagement: "domino" } }),
        expect: [
            [
                "tenancy.clusterFunctions.certificateManagement",
                /^is domino, but nodeFunctions.registryCertificates is cluster: Domino's config has one certificate_management switch for both.*allowed here: cluster$/,
            ],
        ],
    },
    {
        title: "Domino's metrics-server under the admission policies, which refuse its unprefixed APIService",
        tenancy: withPatch(existing, { clusterFunctions: { metricsServer: "domino" } }),
        expect: [
            [
                "tenancy.clusterFunctions.metricsServer",
                /v1beta1.metrics.k8s.io cannot carry the deployment prefix.*allowed: cluster, or domino with domino.admission.enabled: false/,
            ],
        ],
    },
    {
        title: "an owner that is not one of the three",
        tenancy: withPatch(existing, { nodeFunctions: { gpuDevicePlugin: "on" } }),
        expect: [["tenancy.nodeFunctions.gpuDevicePlugin", /^must be one of: domino, cluster, program \(got "on"\)$/]],
    },
    {
        title: "the pre-ownership switches, each pointing to where it moved",
        tenancy: withPatch(existing, {
            plumbing: { gpuDevicePlugin: "off", sysctl: "daemonset" },
            domino: { prometheusMetrics: false, imageCaching: true, certificateManagement: false },
        }),
        expect: [
            ["tenancy.plumbing.gpuDevicePlugin", /moved: set tenancy.nodeFunctions.gpuDevicePlugin to program \(was on\), cluster \(was off\)/],
            ["tenancy.plumbing.sysctl", /moved: set tenancy.nodeFunctions.sysctl .*tenancy.plumbing.sysctlMethod/],
            ["tenancy.domino.prometheusMetrics", /moved: set tenancy.nodeFunctions.nodeMetrics/],
            ["tenancy.domino.imageCaching", /moved: set tenancy.nodeFunctions.imageCache/],
            ["tenancy.domino.certificateManagement", /moved: set tenancy.nodeFunctions.registryCertificates/],
        ],
    },
    {
        title: "a max_map_count below Elasticsearch's minimum",
        tenancy: withPatch(existing, { plumbing: { maxMapCount: 65530 } }),
        expect: [["tenancy.plumbing.maxMapCount", /at least 262144/]],
    },
    {
        title: "an unpinned image",
        tenancy: withPatch(existing, { plumbing: { devicePluginImage: "nvcr.io/nvidia/k8s-device-plugin:latest" } }),
        expect: [["tenancy.plumbing.devicePluginImage", /pinned/]],
    },
    {
        title: "a privileged namespace without a stated exception",
        tenancy: withPatch(existing, { domino: { podSecurity: { compute: { enforce: "privileged" } } } }),
        expect: [["tenancy.domino.podSecurity.compute.exception", /required when enforce is privileged/]],
    },
    {
        title: "a Domino namespace in kube-system",
        tenancy: withPatch(existing, { domino: { namespaces: { system: "kube-system" } } }),
        expect: [["tenancy.domino.namespaces.system", /shared by every tenant/]],
    },
    {
        title: "a storage class without the deployment prefix",
        tenancy: withPatch(existing, { domino: { storageClasses: { block: { name: "fast" } } } }),
        expect: [["tenancy.domino.storageClasses.block.name", /must start with 'domino-'/]],
    },
    {
        title: "an adopted cluster without storage provisioners",
        tenancy: { cloud: "existing", cluster: { kubeconfigPath: "/dev/null" }, domino: { hostname: "d.example.com" } },
        expect: [
            ["tenancy.domino.storageClasses.block.provisioner", /required/],
            ["tenancy.domino.storageClasses.shared.provisioner", /required/],
        ],
    },
    {
        // A created cluster makes its own file system; an adopted one cannot guess which to use.
        title: "an EFS class without its file system on an adopted EKS cluster",
        tenancy: withPatch(aws, { cluster: { mode: "adopt" }, domino: { storageClasses: { shared: { parameters: { fileSystemId: undefined } } } } }),
        expect: [["tenancy.domino.storageClasses.shared.parameters.fileSystemId", /required by efs.csi.aws.com/]],
    },
    {
        title: "an EKS version EKS no longer supports",
        tenancy: withPatch(aws, { cluster: { kubernetesVersion: "1.31" } }),
        expect: [["tenancy.cluster.kubernetesVersion", /'1\.31' is not a version EKS supports .*allowed: 1\.32, 1\.33, 1\.34, 1\.35, 1\.36/]],
    },
    {
        title: "access entries on an adopted EKS cluster",
        tenancy: withPatch(aws, { cluster: { mode: "adopt", access: { deployRoleArns: ["arn:aws:iam::123456789012:role/d"] } } }),
        expect: [["tenancy.cluster.access", /only used when the program creates the cluster/]],
    },
    {
        title: "access entries on a GKE cluster",
        tenancy: withPatch(baseTenancy("gcp"), { cluster: { access: { previewRoleArns: ["arn:aws:iam::123456789012:role/p"] } } }),
        expect: [["tenancy.cluster.access", /is an AWS setting/]],
    },
    {
        title: "an access entry for something other than an IAM role",
        tenancy: withPatch(aws, { cluster: { access: { deployRoleArns: ["arn:aws:sts::123456789012:assumed-role/d/session"] } } }),
        expect: [["tenancy.cluster.access.deployRoleArns[0]", /must be an IAM role ARN/]],
    },
];

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
    try {
        fn();
    } catch (err) {
        if (err instanceof ConfigError) return [...err.issues];
        throw err;
    }
    assert.fail("expected a ConfigError");
}

describe("config errors", () => {
    for (const c of badCases) {
        it(`rejects ${c.title}, naming the path and what is allowed`, () => {
            const issues = issuesOf(() => buildModel(JSON.parse(JSON.stringify(c.tenancy ?? null)), "t"));
            for (const [p, message] of c.expect) {
                assert.ok(
                    issues.some((i) => i.path === p && message.test(i.message)),
                    `expected an issue at ${p} matching ${message}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
                );
            }
        });
    }

    it("reports every shape problem at once rather than the first", () => {
        const issues = issuesOf(() => buildModel(withPatch(aws, { isolation: "x", plumbing: { maxMapCount: 1 }, domino: { name: "X" } }), "t"));
        assert.deepEqual(issues.map((i) => i.path).sort(), ["tenancy.domino.name", "tenancy.isolation", "tenancy.plumbing.maxMapCount"]);
    });

    it("reports every cross-field problem at once rather than the first", () => {
        const issues = issuesOf(() =>
            buildModel(
                withPatch(aws, {
                    cluster: { region: undefined, subnetIds: [] },
                    plumbing: { sysctlMethod: "node-config" },
                    nodeFunctions: { logs: "program" },
                }),
                "t",
            ),
        );
        assert.deepEqual(issues.map((i) => i.path).sort(), [
            "tenancy.cluster.region",
            "tenancy.cluster.subnetIds",
            "tenancy.nodeFunctions.logs",
            "tenancy.plumbing.sysctlMethod",
        ]);
    });

    it("registers no resource at all for any rejected config", async () => {
        for (const c of badCases.filter((b) => b.tenancy !== undefined)) {
            await assert.rejects(runPlan({ inline: { stack: "bad", tenancy: c.tenancy } }), (err: unknown) => {
                assert.ok(err instanceof PlanConfigError, `${c.title}: ${String(err)}`);
                assert.equal(err.registered, 0, c.title);
                return true;
            });
        }
    });

    it("names the stack file and the path when a stack file is invalid", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenancy-"));
        const file = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(file, "config:\n  domino-tenancy:tenancy:\n    cloud: existing\n    isolation: partial\n");
        await assert.rejects(runPlan({ configFile: file }), (err: unknown) => {
            assert.ok(err instanceof PlanConfigError);
            assert.match(err.message, /Pulumi\.broken\.yaml/);
            assert.match(err.message, /tenancy\.isolation: must be one of: shared, dedicated \(got "partial"\)/);
            return true;
        });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("asks for the registry password as secret config, naming its key, and registers nothing", async () => {
        await assert.rejects(runPlan({ inline: { stack: "nopassword", tenancy: JSON.parse(JSON.stringify(existing)) } }), (err: unknown) => {
            assert.ok(err instanceof PlanConfigError);
            assert.match(
                err.message,
                /domino-tenancy:registryPassword: is missing: the quay.io password Domino gave you, as secret config \(pulumi config set --secret registryPassword\)/,
            );
            assert.equal(err.registered, 0);
            return true;
        });
    });

    it("accepts a 5.x legacy agent tag on the agent path", () => {
        // 5.9 has no known configuration reference page: the stack names its schema.
        const model = buildModel(withPatch(existing, { domino: { version: "5.9.3", install: { chart: undefined, configSchema: "1.5" } } }), "t");
        assert.deepEqual([model.install.method, model.install.agentImage], ["agent", "quay.io/domino/fleetcommand-agent:v66.3"]);
    });

    it("asks for a kubeconfig when an adopted cluster has none", async () => {
        const tenancy = withPatch(existing, { cluster: { kubeconfigPath: undefined } });
        await assert.rejects(runPlan({ inline: { stack: "nokube", tenancy: JSON.parse(JSON.stringify(tenancy)) }, env: {} }), (err: unknown) => {
            assert.ok(err instanceof PlanConfigError);
            assert.match(err.message, /tenancy\.cluster\.kubeconfigPath: cloud 'existing' needs a kubeconfig/);
            assert.equal(err.registered, 0);
            return true;
        });
    });
});
