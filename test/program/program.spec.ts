// The program under Pulumi's mocks, for every shipped stack and for variants that
// flip one switch: what it registers, where each workload may run, and what it exports.

import { strict as assert } from "assert";
import { stackExportsSchema } from "../../components/contract/exports";
import { Plan, PlanRun, runProgram, secretPlaceholder, shippedStacks } from "../../plan/engine";
import { generatedDominoConfig } from "../../plan/nodeFunctionOwners";
import { dominoApiVersion } from "../../components/kubernetes/dominoResource";
import { baseTenancy, K8sObject, k8sObject, k8sObjects, ofType, podSpecOf, PodSpecLike, testSecrets, withPatch } from "../helpers/plan";

const clusterScopedKinds = ["Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass"];
const runs = new Map<string, PlanRun>();
const plan = (stack: string): Plan => runs.get(stack)!.plan;

async function variant(cloud: "aws" | "gcp" | "existing", patch: Record<string, unknown>): Promise<Plan> {
    return (
        await runProgram({
            inline: { stack: `variant-${cloud}`, tenancy: JSON.parse(JSON.stringify(withPatch(baseTenancy(cloud), patch))), secrets: testSecrets },
        })
    ).plan;
}

const tenancyModel = (
    p: Plan,
): { deploymentName: string; isolation: string; pools: { name: string; role: string; labels: Record<string, string>; taints: { key: string }[] }[] } =>
    JSON.parse((k8sObject(p, "ConfigMap", "tenancy-model").data as Record<string, string>)["model.json"]);

const workloads = (p: Plan) => k8sObjects(p).filter((o) => ["DaemonSet", "Deployment", "StatefulSet", "Job", "CronJob"].includes(o.kind));
const daemonSet = (p: Plan, name: string) => k8sObjects(p, "DaemonSet").find((o) => o.metadata.name === name);
const tolerates = (spec: PodSpecLike, key: string, value?: string) =>
    (spec.tolerations ?? []).some((t) => t.key === key && (t.operator === "Exists" || t.value === value));

describe("the program under mocks", function () {
    this.timeout(60000);

    before(async () => {
        for (const stack of shippedStacks()) runs.set(stack, await runProgram({ stack, env: {} }));
    });

    it("ships the five stacks the team deploys", () => {
        assert.deepEqual(shippedStacks(), ["byo", "dev-aws", "local", "prod-aws", "prod-gcp"]);
    });

    describe("node pools per cloud", () => {
        it("gives every EKS node group its pool's labels, taints and AMI", () => {
            for (const stack of ["dev-aws", "prod-aws"]) {
                const groups = ofType(plan(stack), "aws:eks/nodeGroup:NodeGroup");
                assert.equal(groups.length, 3, stack);
                for (const g of groups) {
                    const inputs = g.inputs as {
                        labels: Record<string, string>;
                        taints?: { key: string; effect: string }[];
                        amiType: string;
                        nodeGroupName: string;
                    };
                    assert.equal(inputs.labels["dominodatalab.com/domino-node"], "true", g.name);
                    const isGpu = inputs.labels["dominodatalab.com/node-pool"] === "default-gpu";
                    assert.equal(inputs.amiType, isGpu ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD", g.name);
                    assert.equal(
                        (inputs.taints ?? []).some((t) => t.key === "nvidia.com/gpu" && t.effect === "NO_SCHEDULE"),
                        isGpu,
                        g.name,
                    );
                }
            }
        });

        it("mirrors EKS pool labels and taints into cluster-autoscaler node-template tags on the autoscaling group", () => {
            const tags = ofType(plan("dev-aws"), "aws:autoscaling/tag:Tag").map((t) => (t.inputs as { tag: { key: string; value: string } }).tag);
            assert.ok(tags.some((t) => t.key === "k8s.io/cluster-autoscaler/node-template/label/dominodatalab.com/node-pool" && t.value === "default-gpu"));
            assert.ok(tags.some((t) => t.key === "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu" && t.value === "true:NoSchedule"));
        });

        it("gives every GKE node pool its labels and explicit taints, and GPU pools their accelerators with driver installation", () => {
            // The cluster's own system pool is not Domino's (test/cloud/systemPool.spec.ts).
            const all = ofType(plan("prod-gcp"), "gcp:container/nodePool:NodePool");
            const pools = all.filter(
                (p) => (p.inputs as { nodeConfig: { labels: Record<string, string> } }).nodeConfig.labels["domino-tenancy/pool"] !== "system",
            );
            assert.equal(all.length, 4);
            assert.equal(pools.length, 3);
            for (const p of pools) {
                const cfg = (
                    p.inputs as {
                        nodeConfig: { labels: Record<string, string>; taints: { key: string; value: string; effect: string }[]; guestAccelerators?: unknown[] };
                    }
                ).nodeConfig;
                assert.equal(cfg.labels["dominodatalab.com/domino-node"], "true");
                assert.ok(
                    cfg.taints.some((t) => t.key === "dominodatalab.com/dedicated" && t.value === "domino"),
                    p.name,
                );
                const isGpu = cfg.labels["dominodatalab.com/node-pool"] === "default-gpu";
                assert.equal(
                    cfg.taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NO_EXECUTE"),
                    isGpu,
                );
                if (isGpu)
                    assert.deepEqual(cfg.guestAccelerators, [{ type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }]);
            }
        });

        it("creates the GKE cluster without its default pool", () => {
            const [cluster] = ofType(plan("prod-gcp"), "gcp:container/cluster:Cluster");
            assert.equal((cluster.inputs as { removeDefaultNodePool: boolean }).removeDefaultNodePool, true);
        });

        it("creates nothing in any cloud for an adopted cluster, and states its pools in the tenancy model", () => {
            for (const stack of ["local", "byo"]) {
                assert.deepEqual(
                    plan(stack).resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("gcp:")),
                    [],
                    stack,
                );
            }
            const pools = tenancyModel(plan("byo")).pools;
            assert.deepEqual(
                pools.map((p) => p.name),
                ["platform", "compute", "highmem", "gpu"],
            );
            assert.equal(pools[2].labels["dominodatalab.com/node-pool"], "highmem");
            assert.deepEqual(
                pools[2].taints.map((t) => t.key),
                ["workload-class"],
            );
        });

        it("protects the cluster and node pools in prod stacks only", () => {
            const protectedOf = (stack: string) => plan(stack).resources.filter((r) => /eks\/(cluster|nodeGroup)|container\/(cluster|nodePool)/.test(r.type));
            for (const r of [...protectedOf("prod-aws"), ...protectedOf("prod-gcp")]) assert.equal(r.options.protect, true, r.urn);
            for (const r of protectedOf("dev-aws")) assert.equal(r.options.protect, false, r.urn);
            // prod-gcp: the cluster, three Domino pools and the system pool; dev-aws (shared isolation): the cluster and three node groups.
            assert.ok(protectedOf("prod-gcp").length === 5 && protectedOf("dev-aws").length === 4);
        });
    });

    describe("workload placement", () => {
        it("limits every DaemonSet to Domino's nodes by selector", () => {
            for (const [stack] of runs) {
                for (const ds of k8sObjects(plan(stack), "DaemonSet")) {
                    const sel = podSpecOf(ds).nodeSelector ?? {};
                    assert.ok(
                        sel["dominodatalab.com/domino-node"] === "true" || sel["dominodatalab.com/node-pool"] !== undefined,
                        `${stack}: ${ds.metadata.name} ${JSON.stringify(sel)}`,
                    );
                }
            }
        });

        it("runs the device plugin on GPU pools only, at node-critical priority, tolerating the GPU taint", () => {
            const spec = podSpecOf(daemonSet(plan("local"), "nvidia-device-plugin")!);
            assert.deepEqual(spec.nodeSelector, { "dominodatalab.com/node-pool": "default-gpu" });
            assert.equal(spec.priorityClassName, "system-node-critical");
            assert.ok(tolerates(spec, "nvidia.com/gpu", "true"));
            const c = spec.containers[0];
            assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
            assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"]);
            assert.deepEqual(
                spec.volumes?.map((v) => v.hostPath?.path),
                ["/var/lib/kubelet/device-plugins"],
            );
        });

        it("runs the sysctl tuner on the platform pool only, privileged in its init container alone", () => {
            const spec = podSpecOf(daemonSet(plan("local"), "max-map-count")!);
            assert.deepEqual(spec.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
            assert.equal(spec.initContainers?.[0].securityContext?.privileged, true);
            assert.notEqual(spec.containers[0].securityContext?.privileged, true);
            assert.equal(spec.containers[0].securityContext?.allowPrivilegeEscalation, false);
        });

        it("mounts no writable hostPath but the device plugin's socket folder", () => {
            const writable: string[] = [];
            for (const ds of k8sObjects(plan("local"), "DaemonSet")) {
                const spec = podSpecOf(ds);
                const hostVolumes = new Map((spec.volumes ?? []).filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
                for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
                    for (const m of c.volumeMounts ?? []) if (hostVolumes.has(m.name) && !m.readOnly) writable.push(hostVolumes.get(m.name)!);
                }
            }
            assert.deepEqual(writable.sort(), ["/var/lib/kubelet/device-plugins"]);
        });

        it("sets cpu and memory requests and limits on every container and init container", () => {
            for (const [stack] of runs) {
                for (const w of workloads(plan(stack))) {
                    const spec = podSpecOf(w);
                    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
                        for (const key of ["cpu", "memory"]) {
                            assert.ok(c.resources?.requests?.[key] && c.resources?.limits?.[key], `${stack}: ${w.metadata.name}/${c.name} ${key}`);
                        }
                    }
                }
            }
        });

        it("pins every image to a tag other than latest", () => {
            for (const [stack] of runs) {
                for (const w of workloads(plan(stack))) {
                    for (const c of podSpecOf(w).containers) assert.match(c.image, /:[^:/]+$/, `${stack}: ${c.image}`);
                    for (const c of podSpecOf(w).containers) assert.doesNotMatch(c.image, /:latest$/);
                }
            }
        });
    });

    describe("dedicated isolation", () => {
        it("taints every Domino pool with the deployment's taint and tolerates it in every Domino workload", () => {
            for (const stack of ["local", "prod-aws", "prod-gcp"]) {
                const model = tenancyModel(plan(stack));
                assert.equal(model.isolation, "dedicated");
                for (const pool of model.pools)
                    assert.ok(
                        pool.taints.some((t) => t.key === "dominodatalab.com/dedicated"),
                        `${stack}: ${pool.name}`,
                    );
                for (const w of workloads(plan(stack)))
                    assert.ok(tolerates(podSpecOf(w), "dominodatalab.com/dedicated", model.deploymentName), `${stack}: ${w.metadata.name}`);
            }
        });

        it("adds no dedicated taint or toleration in shared isolation", () => {
            for (const stack of ["byo", "dev-aws"]) {
                for (const pool of tenancyModel(plan(stack)).pools) assert.ok(!pool.taints.some((t) => t.key === "dominodatalab.com/dedicated"), stack);
                for (const w of workloads(plan(stack))) assert.ok(!tolerates(podSpecOf(w), "dominodatalab.com/dedicated", "domino-dev"), stack);
            }
        });
    });

    describe("the cluster-wide footprint", () => {
        it("prefixes every cluster-scoped object with the deployment name", () => {
            for (const [stack] of runs) {
                const name = tenancyModel(plan(stack)).deploymentName;
                const scoped = k8sObjects(plan(stack)).filter((o) => clusterScopedKinds.includes(o.kind));
                assert.ok(scoped.length >= 10, stack);
                for (const o of scoped) assert.ok(o.metadata.name.startsWith(`${name}-`), `${stack}: ${o.kind} ${o.metadata.name}`);
            }
        });

        it("gives every Domino namespace Pod Security labels, a default-deny ingress policy, and a stated reason when privileged", () => {
            for (const [stack] of runs) {
                const p = plan(stack);
                for (const ns of k8sObjects(p, "Namespace")) {
                    const level = ns.metadata.labels?.["pod-security.kubernetes.io/enforce"];
                    assert.ok(level, `${stack}: ${ns.metadata.name}`);
                    if (level === "privileged") assert.ok(ns.metadata.annotations?.["domino-tenancy/pod-security-exception"], ns.metadata.name);
                    assert.ok(
                        k8sObjects(p, "NetworkPolicy").some((np) => np.metadata.namespace === ns.metadata.name && np.metadata.name === "default-deny-ingress"),
                    );
                }
            }
        });

        it("puts a quota and limits on the compute namespace", () => {
            const p = plan("dev-aws");
            const quota = k8sObject(p, "ResourceQuota", "compute-quota", "domino-dev-compute");
            assert.deepEqual((quota.spec as { hard: Record<string, string> }).hard["requests.nvidia.com/gpu"], "1");
            assert.equal((quota.spec as { hard: Record<string, string> }).hard["services.nodeports"], "0");
            k8sObject(p, "LimitRange", "compute-limits", "domino-dev-compute");
        });

        it("writes RBAC without wildcards or escalation verbs, but for the confined operator's full rights in Domino's installer namespaces", () => {
            const roles = [...k8sObjects(plan("local"), "ClusterRole"), ...k8sObjects(plan("local"), "Role")];
            const operatorGrants = roles.filter((r) => r.kind === "Role" && r.metadata.name === "domino-platform-operator");
            assert.deepEqual(operatorGrants.map((r) => r.metadata.namespace).sort(), ["domino-compute", "domino-platform", "domino-system"]);
            for (const role of roles.filter((r) => !operatorGrants.includes(r))) {
                for (const rule of role.rules as { verbs: string[]; resources: string[] }[]) {
                    assert.ok(!rule.verbs.includes("*") && !rule.resources.includes("*"), role.metadata.name);
                    assert.ok(!rule.verbs.some((v) => ["escalate", "bind", "impersonate"].includes(v)), role.metadata.name);
                }
            }
        });

        it("binds secrets access only inside namespaces, never cluster-wide", () => {
            const p = plan("local");
            const secretRoles = new Set(
                k8sObjects(p, "ClusterRole")
                    .filter((r) => (r.rules as { resources: string[] }[]).some((rule) => rule.resources.includes("secrets")))
                    .map((r) => r.metadata.name),
            );
            for (const b of k8sObjects(p, "ClusterRoleBinding")) assert.ok(!secretRoles.has((b.roleRef as { name: string }).name), b.metadata.name);
        });

        it("labels every Kubernetes object with the recommended app.kubernetes.io labels", () => {
            for (const o of k8sObjects(plan("local"))) {
                assert.equal(o.metadata.labels?.["app.kubernetes.io/managed-by"], "domino-tenancy", `${o.kind} ${o.metadata.name}`);
                assert.equal(o.metadata.labels?.["app.kubernetes.io/part-of"], "domino");
            }
        });

        it("creates every Kubernetes object through the stack's one explicit provider", () => {
            for (const [stack] of runs) {
                const providers = plan(stack)
                    .resources.filter((r) => r.type === "pulumi:providers:kubernetes")
                    .map((r) => r.urn);
                assert.equal(providers.length, 1, stack);
                for (const r of plan(stack).resources.filter((x) => x.type.startsWith("kubernetes:"))) assert.equal(r.options.provider, providers[0], r.urn);
            }
        });
    });

    describe("the program's node agents per cloud and owner", () => {
        const cases: {
            title: string;
            cloud: "aws" | "gcp" | "existing";
            patch: Record<string, unknown>;
            devicePlugin: boolean;
            tuner: boolean;
            nodeConfig: boolean;
        }[] = [
            {
                title: "EKS by default: device plugin on, no tuner (AL2023 ships 524288)",
                cloud: "aws",
                patch: {},
                devicePlugin: true,
                tuner: false,
                nodeConfig: false,
            },
            {
                title: "EKS asking for more than AL2023 ships: the tuner runs",
                cloud: "aws",
                patch: { plumbing: { maxMapCount: 1048576 } },
                devicePlugin: true,
                tuner: true,
                nodeConfig: false,
            },
            { title: "GKE by default: GKE's plugin, sysctl through node config", cloud: "gcp", patch: {}, devicePlugin: false, tuner: false, nodeConfig: true },
            {
                title: "GKE with the tuner forced",
                cloud: "gcp",
                patch: { nodeFunctions: { gpuDevicePlugin: "program" }, plumbing: { sysctlMethod: "daemonset" } },
                devicePlugin: true,
                tuner: true,
                nodeConfig: false,
            },
            { title: "an adopted cluster by default: plugin and tuner", cloud: "existing", patch: {}, devicePlugin: true, tuner: true, nodeConfig: false },
            {
                title: "an adopted cluster whose admins own both",
                cloud: "existing",
                patch: { nodeFunctions: { gpuDevicePlugin: "cluster", sysctl: "cluster" } },
                devicePlugin: false,
                tuner: false,
                nodeConfig: false,
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                const p = await variant(c.cloud, c.patch);
                assert.equal(daemonSet(p, "nvidia-device-plugin") !== undefined, c.devicePlugin, "device plugin");
                assert.equal(daemonSet(p, "max-map-count") !== undefined, c.tuner, "sysctl tuner");
                const sysctlPools = ofType(p, "gcp:container/nodePool:NodePool").filter(
                    (np) =>
                        (np.inputs as { nodeConfig: { linuxNodeConfig?: { sysctls?: Record<string, string> } } }).nodeConfig.linuxNodeConfig?.sysctls?.[
                            "vm.max_map_count"
                        ],
                );
                assert.deepEqual(
                    sysctlPools.map((np) => np.name),
                    c.nodeConfig ? ["cluster-platform"] : [],
                );
                assert.equal(
                    k8sObjects(p, "Namespace").some((n) => n.metadata.name === "domino-device-plugin"),
                    c.devicePlugin,
                );
            });
        }

        it("adds no device plugin where the stack has no GPU pool", async () => {
            const p = await variant("existing", {
                nodePools: [
                    { name: "platform", role: "platform" },
                    { name: "compute", role: "compute" },
                ],
            });
            assert.equal(daemonSet(p, "nvidia-device-plugin"), undefined);
        });

        it("deploys no DaemonSet of its own for log shipping, node metrics, image cache or registry certificates, whoever owns them", async () => {
            for (const owner of ["domino", "cluster"]) {
                const p = await variant("existing", { nodeFunctions: { nodeMetrics: owner, imageCache: owner, registryCertificates: owner } });
                assert.deepEqual(
                    k8sObjects(p, "DaemonSet")
                        .map((d) => d.metadata.name)
                        .sort(),
                    ["max-map-count", "nvidia-device-plugin"],
                    owner,
                );
            }
        });
    });

    describe("the install method per Domino version", () => {
        const dominoResources = (p: Plan) => k8sObjects(p, "Domino");
        const dominoYml = (p: Plan) => generatedDominoConfig(p) as Record<string, never>;
        const agentJobs = (p: Plan) =>
            k8sObjects(p, "Job").filter((j) => podSpecOf(j).containers.some((c) => c.image.startsWith("quay.io/domino/fleetcommand-agent:")));
        const agent = () => variant("existing", { domino: { version: "5.11.1", install: { chart: undefined } } });

        it("installs each Domino-6 stack through exactly one Domino resource with a real agent tag, and no fleetcommand-agent Job", () => {
            for (const stack of shippedStacks()) {
                const resources = dominoResources(plan(stack));
                assert.equal(resources.length, 1, stack);
                const agent = (resources[0].spec as { agent: { spec: { version: string; repository: string } } }).agent.spec;
                assert.match(agent.version, /^6\.[0-9]+\.[0-9]+\.catalog-[0-9a-f]+$/, stack);
                assert.equal(agent.repository, "quay.io/domino/fleetcommand-agent", stack);
                assert.equal(agentJobs(plan(stack)).length, 0, stack);
                assert.equal(ofType(plan(stack), "kubernetes:helm.sh/v4:Chart").length, 1, stack);
            }
        });

        it("registers the Domino resource as the kind and apiVersion of its CRD, in the system namespace, after the chart", () => {
            const r = ofType(plan("local"), `kubernetes:${dominoApiVersion}:Domino`);
            assert.equal(r.length, 1);
            assert.equal((r[0].inputs as K8sObject).metadata.namespace, "domino-system");
            const chart = ofType(plan("local"), "kubernetes:helm.sh/v4:Chart")[0];
            assert.ok(r[0].options.dependsOn.includes(chart.urn), "the Domino resource waits for the operator's chart");
        });

        it("keeps registry credentials only as secrets: the pull secret's data, the whole spec.config, and a masked password in its reviewable copy", () => {
            for (const stack of shippedStacks()) {
                const p = plan(stack);
                const pull = k8sObject(p, "Secret", "domino-registry");
                assert.equal(pull.type, "kubernetes.io/dockerconfigjson", stack);
                assert.equal(pull.stringData, secretPlaceholder, stack);
                const registries = (dominoYml(p) as unknown as { helm: { image_registries: { server: string; username: string; password: string }[] } }).helm
                    .image_registries;
                assert.equal(registries.length, 1, stack);
                assert.equal(registries[0].server, "quay.io", stack);
                assert.equal(registries[0].password, "********", stack);
                assert.equal((dominoResources(p)[0].spec as { config: string }).config, secretPlaceholder, stack);
                assert.ok(!JSON.stringify(p).includes("not-a-real-password"), stack);
            }
        });

        it("places the operator on the platform pool, tolerating the dedicated taint, with requests and limits", () => {
            const values = ofType(plan("local"), "kubernetes:helm.sh/v4:Chart")[0].inputs as {
                chart: string;
                namespace: string;
                values: { nodeSelector: Record<string, string>; tolerations: { key: string }[]; resources: { requests: object; limits: object } };
            };
            assert.equal(values.chart, "./test/fixtures/platform-operator-standin");
            assert.equal(values.namespace, "domino-system");
            assert.deepEqual(values.values.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
            assert.ok(values.values.tolerations.some((t) => t.key === "dominodatalab.com/dedicated"));
            assert.ok(values.values.resources.requests && values.values.resources.limits);
        });

        it("takes the chart from a repository with a pinned version when given one", async () => {
            const p = await variant("existing", {
                domino: { install: { chart: { archive: undefined, repo: "https://charts.example.com/domino", version: "0.5.4" } } },
            });
            const inputs = ofType(p, "kubernetes:helm.sh/v4:Chart")[0].inputs as { chart: string; version: string; repositoryOpts: { repo: string } };
            assert.deepEqual([inputs.chart, inputs.version, inputs.repositoryOpts.repo], ["platform-operator", "0.5.4", "https://charts.example.com/domino"]);
        });

        it("with a shared operator creates only the registry secret and the Domino resource, no chart", async () => {
            const p = await variant("existing", { domino: { install: { operator: "shared", chart: undefined } } });
            assert.equal(ofType(p, "kubernetes:helm.sh/v4:Chart").length, 0);
            assert.equal(dominoResources(p).length, 1);
            k8sObject(p, "Secret", "domino-registry");
        });

        it("installs 5.x with the fleetcommand-agent Job: a real tag, registry credentials, prefixed ClusterRoles and no Domino resource", async () => {
            const p = await agent();
            assert.equal(dominoResources(p).length, 0);
            assert.equal(ofType(p, "kubernetes:helm.sh/v4:Chart").length, 0);
            const [job] = agentJobs(p);
            assert.equal(podSpecOf(job).containers[0].image, "quay.io/domino/fleetcommand-agent:5.11.1.catalog-55ee23e");
            assert.deepEqual((podSpecOf(job) as { imagePullSecrets?: { name: string }[] }).imagePullSecrets, [{ name: "domino-registry" }]);
            assert.equal(k8sObject(p, "Secret", "domino-registry").stringData, secretPlaceholder);
            assert.equal(k8sObject(p, "Secret", "domino-installer-config").stringData, secretPlaceholder);
            assert.equal(k8sObjects(p, "ConfigMap").filter((c) => c.metadata.name === "domino-installer-config").length, 0, "the config holds credentials");
            const roles = k8sObjects(p, "ClusterRole").filter((r) => r.metadata.labels?.["app.kubernetes.io/name"] === "domino-installer");
            assert.deepEqual(roles.map((r) => r.metadata.name).sort(), ["domino-installer", "domino-installer-cluster"]);
            const cluster = roles.find((r) => r.metadata.name === "domino-installer-cluster") as unknown as { rules: { resources: string[] }[] };
            assert.deepEqual(cluster.rules.flatMap((r) => r.resources).sort(), ["clusterrolebindings", "clusterroles", "customresourcedefinitions"]);
            const binding = k8sObject(p, "ClusterRoleBinding", "domino-installer-cluster") as unknown as { subjects: { name: string; namespace: string }[] };
            assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "domino-installer", namespace: "domino-system" }]);
        });
    });

    describe("the generated configuration (the Domino resource's .spec.config)", () => {
        const dominoYml = (p: Plan) => generatedDominoConfig(p) as Record<string, never>;

        it("matches the deployment's name, namespaces, node selector and storage classes", () => {
            const doc = dominoYml(plan("byo")) as Record<string, unknown>;
            assert.equal(doc.name, "analytics");
            assert.deepEqual(doc.global_node_selectors, { "dominodatalab.com/domino-node": "true" });
            assert.deepEqual((doc.namespaces as Record<string, { name: string }>).compute.name, "analytics-compute");
            assert.deepEqual((doc.storage_classes as Record<string, { name: string }>).block.name, "analytics-disk");
            assert.deepEqual((doc.storage_classes as Record<string, { name: string }>).shared.name, "analytics-shared");
            assert.equal(doc.enable_pod_security_policies, false);
            // byo's admins own registry certificates, so Domino's one certificate_management switch is off (6.2.2: install).
            assert.deepEqual(doc.certificate_management, { install: false });
            assert.deepEqual(doc.ingress_controller, { create: false, class_name: "corp-nginx" });
        });

        it("turns Domino's own cluster-autoscaler off on every shipped stack: the program, the cloud or the cluster's admins own autoscaling", () => {
            for (const stack of shippedStacks())
                assert.deepEqual((dominoYml(plan(stack)) as Record<string, unknown>).release_overrides, { "cluster-autoscaler": { installed: false } }, stack);
            assert.equal(ofType(plan("dev-aws"), "domino-tenancy:index:ClusterAutoscaler").length, 1, "dev-aws runs the program's own");
        });

        it("turns Domino's GPU services off when this program, the cloud or the cluster's admins run the device plugin", () => {
            assert.deepEqual(dominoYml(plan("local")).gpu, { enabled: false });
            assert.deepEqual(dominoYml(plan("prod-gcp")).gpu, { enabled: false });
            // byo's admins run their own plugin: Domino's stays off too (it used to be switched on here).
            assert.deepEqual(dominoYml(plan("byo")).gpu, { enabled: false });
        });

        it("switches each of Domino's own agents on exactly where Domino owns the function", async () => {
            const p = await variant("existing", {
                nodeFunctions: { nodeMetrics: "cluster", imageCache: "domino", registryCertificates: "cluster", gpuDevicePlugin: "domino" },
            });
            const doc = dominoYml(p) as Record<string, unknown>;
            assert.deepEqual(doc.monitoring, { prometheus_metrics: false });
            assert.deepEqual(doc.image_caching, { enabled: true });
            assert.deepEqual(doc.certificate_management, { install: false });
            assert.deepEqual(doc.gpu, { enabled: true });
            assert.equal(daemonSet(p, "nvidia-device-plugin"), undefined, "Domino owns the device plugin: the program deploys none");
        });
    });

    describe("the exports contract", () => {
        it("exports what the contract schema describes, for every stack", () => {
            for (const [stack, run] of runs) {
                const parsed = stackExportsSchema.safeParse(run.outputs);
                assert.ok(parsed.success, `${stack}: ${parsed.error?.message}`);
                assert.equal(parsed.data.contractVersion, 2);
            }
        });

        it("exports placements that land Domino workloads on Domino's compute and GPU pools", () => {
            const out = stackExportsSchema.parse(runs.get("prod-aws")!.outputs);
            assert.deepEqual(out.scheduling.compute.nodeSelector, { "dominodatalab.com/node-pool": "default" });
            assert.ok(out.scheduling.compute.tolerations.some((t) => t.key === "dominodatalab.com/dedicated" && t.value === "domino"));
            assert.ok(out.scheduling.gpu?.tolerations.some((t) => t.key === "nvidia.com/gpu"));
            assert.deepEqual(out.storageClasses, { block: "domino-disk", shared: "domino-shared" });
            assert.equal(out.clusterName, "shared-prod-use1");
        });

        it("never prints the kubeconfig in a plan", () => {
            for (const [stack] of runs) {
                const provider = plan(stack).resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
                assert.equal(provider.inputs.kubeconfig, secretPlaceholder, stack);
                assert.doesNotMatch(JSON.stringify(plan(stack)), /certificate-authority-data|BEGIN CERTIFICATE/);
            }
        });
    });

    it("plans the same resources twice in a row", async () => {
        const again = (await runProgram({ stack: "prod-gcp", env: {} })).plan;
        assert.deepEqual(again, plan("prod-gcp"));
    });
});
