// The tenancy report a security reviewer reads instead of the manifests.

import { strict as assert } from "assert";
import { tenancyReport } from "../../plan/report";
import { checkPlan } from "../../policy/lib/check";
import { editDominoConfig, podSpec, shippedPlan } from "../helpers/policyPlans";

const section = (md: string, title: string) => {
    const start = md.indexOf(`## ${title}`);
    assert.ok(start >= 0, `no section ${title}`);
    const next = md.indexOf("\n## ", start + 1);
    return md.slice(start, next < 0 ? undefined : next);
};

/** The table rows of a section, as arrays of cells (header and separator dropped). */
const rows = (md: string) =>
    md
        .split("\n")
        .filter((l) => l.startsWith("| "))
        .slice(1)
        .map((l) => l.slice(2, -2).split(" | "));

/** The body of the section's mermaid block. */
const mermaid = (md: string) => {
    const m = /```mermaid\n([\s\S]*?)\n```/.exec(md);
    assert.ok(m, "no mermaid block");
    return m[1].split("\n");
};

const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe("tenancy report", function () {
    this.timeout(60000);

    it("lists every cluster-scoped object of the stack", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        // Kind and name together: a namespace and a priority class share the names domino-compute and domino-platform.
        const objects = [
            ["Namespace", "domino-compute"],
            ["ClusterRole", "domino-node-reader"],
            ["PriorityClass", "domino-platform"],
            ["StorageClass", "domino-disk"],
            ["Namespace", "domino-platform"],
        ];
        for (const [kind, name] of objects) assert.match(section(md, "Cluster-scoped objects"), new RegExp(`\\| ${kind} \\| ${name} \\|`));
    });

    it("lists every hostPath mount with its mode and the exception that allows it", async () => {
        const md = section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "hostPath mounts");
        assert.match(
            md,
            /nvidia-device-plugin \| nvidia-device-plugin \| \/var\/lib\/kubelet\/device-plugins \| \*\*writable\*\* \| NVIDIA's device plugin registers/,
        );
    });

    it("lists privileged and host-namespace containers, and the DaemonSets with the pools they land on", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        assert.match(section(md, "Privileged and host-namespace containers"), /max-map-count \| init set-max-map-count \| privileged/);
        assert.match(section(md, "DaemonSets and the pools they land on"), /nvidia-device-plugin \| gpu \| no/);
        assert.match(section(md, "DaemonSets and the pools they land on"), /max-map-count \| platform \| no/);
    });

    it("lists each node function with its owner and, where Domino owns it, the config key that switches Domino's agent", async () => {
        const byo = rows(section(tenancyReport({ stack: "byo", plan: await shippedPlan("byo") }), "Node functions and their owners"));
        const owner = (r: string[][], fn: string) => r.find((row) => row[0].startsWith(`${fn}:`))?.slice(1);
        assert.deepEqual(owner(byo, "logs"), ["domino", "Domino's own, always on (no switch in its config)"]);
        assert.deepEqual(owner(byo, "nodeMetrics"), ["domino", "Domino config monitoring.prometheus_metrics: true"]);
        assert.deepEqual(owner(byo, "gpuDevicePlugin"), ["cluster", "Domino's off (gpu.enabled: false); the cluster's admins or the cloud"]);
        const local = rows(section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "Node functions and their owners"));
        assert.deepEqual(owner(local, "gpuDevicePlugin"), ["program", "DaemonSet domino-device-plugin/nvidia-device-plugin"]);
        assert.deepEqual(owner(local, "sysctl"), ["program", "DaemonSet domino-node-tuning/max-map-count"]);
        const gcp = rows(section(tenancyReport({ stack: "prod-gcp", plan: await shippedPlan("prod-gcp") }), "Node functions and their owners"));
        assert.match(owner(gcp, "sysctl")?.join(" ") ?? "", /^program gcp:container\/nodePool:NodePool node config/);
    });

    it("lists the cluster functions Domino could install itself with their one owner, and names two owners when Domino's switch comes back on", async () => {
        const plan = await shippedPlan("dev-aws");
        const dev = rows(section(tenancyReport({ stack: "dev-aws", plan }), "Cluster functions and their owners"));
        assert.deepEqual(
            dev.map((r) => [r[0].split(":")[0], r[1]]),
            [
                ["clusterAutoscaler", "program"],
                ["metricsServer", "cluster"],
                ["storageClasses", "program"],
                ["certificateManagement", "domino"],
            ],
        );
        assert.equal(dev[3][2], "Domino config certificate_management.install on");
        editDominoConfig(plan, "domino-dev", (c) => delete (c as { release_overrides?: unknown }).release_overrides);
        const flipped = rows(section(tenancyReport({ stack: "dev-aws", plan }), "Cluster functions and their owners"));
        assert.deepEqual(flipped[0].slice(1), [
            "**two owners**",
            "Domino config release_overrides.cluster-autoscaler.installed on; ClusterAutoscaler cluster-autoscaler",
        ]);
    });

    it("names a node function with two owners", async () => {
        const plan = await shippedPlan("local");
        // Domino's own switch, flipped on in the Domino resource's .spec.config beside the program's plugin.
        editDominoConfig(plan, "domino", (c) => ((c.gpu as { enabled: boolean }).enabled = true));
        const local = rows(section(tenancyReport({ stack: "local", plan }), "Node functions and their owners"));
        assert.deepEqual(local.find((row) => row[0].startsWith("gpuDevicePlugin:"))?.slice(1), [
            "**two owners**",
            "Domino config gpu.enabled: true; DaemonSet domino-device-plugin/nvidia-device-plugin",
        ]);
    });

    it("lists quotas, network policies, the exceptions used and a passing verdict", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        assert.match(section(md, "Quotas, limits and network policies"), /ResourceQuota \| domino-compute\/compute-quota \| .*requests.cpu=200/);
        assert.match(section(md, "Quotas, limits and network policies"), /domino-platform\/default-deny-ingress \| deny all ingress/);
        assert.match(section(md, "Exceptions used"), /privileged namespace \| domino-node-tuning \|/);
        assert.match(md, /\*\*Policy result: PASS\*\*/);
        assert.match(section(md, "Policy results"), /_None._/);
    });

    it("marks what no exception covers and reports the failing verdict with each violation", async () => {
        const plan = await shippedPlan("local");
        podSpec(plan, "DaemonSet", "max-map-count").volumes = [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }];
        podSpec(plan, "DaemonSet", "max-map-count").containers[0].volumeMounts = [{ name: "sock", mountPath: "/sock" }];
        const md = tenancyReport({ stack: "local", plan });
        assert.match(md, /\*\*Policy result: FAIL\*\*: 1 mandatory violation/);
        assert.match(section(md, "hostPath mounts"), /\/var\/run\/docker.sock \| \*\*writable\*\* \| \*\*not allowlisted\*\*/);
        assert.match(section(md, "Policy results"), /mandatory \| hostpath-allowlisted \| .*max-map-count/);
    });

    it("reports a hostPath as the rule judges it: a trailing slash is still allowlisted, with its reason", async () => {
        const plan = await shippedPlan("local");
        const plugin = podSpec(plan, "DaemonSet", "nvidia-device-plugin");
        const socketDir = "/var/lib/kubelet/device-plugins";
        plugin.volumes.find((v: { hostPath?: { path: string } }) => v.hostPath?.path === socketDir).hostPath.path = `${socketDir}/`;
        podSpec(plan, "DaemonSet", "max-map-count").volumes = [{ name: "sock", hostPath: { path: "/var/run/docker.sock/" } }];
        podSpec(plan, "DaemonSet", "max-map-count").containers[0].volumeMounts = [{ name: "sock", mountPath: "/sock", readOnly: true }];
        const md = section(tenancyReport({ stack: "local", plan }), "hostPath mounts");
        assert.match(
            md,
            /\| domino-device-plugin\/nvidia-device-plugin \| nvidia-device-plugin \| \/var\/lib\/kubelet\/device-plugins \| \*\*writable\*\* \| NVIDIA's device plugin registers/,
        );
        assert.match(md, /\| domino-node-tuning\/max-map-count \| .* \| \/var\/run\/docker.sock \| read-only \| \*\*not allowlisted\*\* \|/);
        // The rule agrees on both: only the socket is a violation.
        const hostPathViolations = checkPlan(plan).filter((v) => v.policy === "hostpath-allowlisted");
        assert.deepEqual(
            hostPathViolations.map((v) => /max-map-count mounts hostPath \/var\/run\/docker.sock/.test(v.message)),
            [true],
        );
    });

    it("counts exceptions added by policy config, read through the rule's own settings", async () => {
        const plan = await shippedPlan("local");
        podSpec(plan, "DaemonSet", "max-map-count").volumes = [{ name: "sock", hostPath: { path: "/run/containerd" } }];
        podSpec(plan, "DaemonSet", "max-map-count").containers[0].volumeMounts = [{ name: "sock", mountPath: "/sock", readOnly: true }];
        const config = {
            "hostpath-allowlisted": {
                allowedHostPaths: [{ workload: "{name}-node-tuning/max-map-count", path: "/run/containerd", readOnly: true, reason: "reads the image store" }],
            },
        };
        const md = tenancyReport({ stack: "local", plan, config });
        assert.match(section(md, "hostPath mounts"), /\/run\/containerd \| read-only \| reads the image store \|/);
        assert.match(section(md, "Exceptions used"), /hostPath \| domino-node-tuning\/max-map-count \/run\/containerd \| reads the image store/);
        assert.match(md, /\*\*Policy result: PASS\*\*/);
    });

    it("tables the pools with role, node-pool label, labels, taints and size", async () => {
        const local = rows(section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "Pools"));
        assert.deepEqual(
            local.map((r) => [r[0], r[1], r[2], r[5]]),
            [
                ["platform", "platform", "platform", "existing nodes"],
                ["compute", "compute", "default", "existing nodes"],
                ["gpu", "gpu", "default-gpu", "existing nodes"],
            ],
        );
        assert.match(local[2][3], /nvidia.com\/gpu=true/);
        assert.equal(local[2][4], "nvidia.com/gpu=true:NoSchedule, dominodatalab.com/dedicated=domino:NoSchedule");
        // Where the stack creates the pools, their sizes come from the node-pool resources.
        const gcp = rows(section(tenancyReport({ stack: "prod-gcp", plan: await shippedPlan("prod-gcp") }), "Pools"));
        assert.deepEqual(
            gcp.map((r) => [r[1], r[5]]),
            [
                ["platform", "3–5"],
                ["compute", "0–10"],
                ["gpu", "0–2"],
            ],
        );
    });

    it("draws who may land where: dedicated pools keep other tenants off", async () => {
        const lines = mermaid(section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "Who may land where"));
        assert.equal(lines[0], "flowchart LR");
        const edges = lines.map((l) => l.trim()).filter((l) => /-->|-\.->/.test(l));
        assert.ok(edges.includes("ds_domino_node_tuning_max_map_count --> pool_platform"), edges.join("\n"));
        assert.deepEqual(
            edges.filter((e) => e.startsWith("ds_domino_device_plugin_nvidia_device_plugin ")),
            ["ds_domino_device_plugin_nvidia_device_plugin --> pool_gpu"],
        );
        assert.ok(edges.includes(`ns_domino_compute -->|"users' runs"| pool_gpu`), edges.join("\n"));
        assert.ok(edges.includes(`ns_domino_system -->|"Domino's installer"| pool_platform`), edges.join("\n"));
        assert.deepEqual(
            edges.filter((e) => e.startsWith("tenants ")),
            ["tenants --> tenant_nodes"],
        );
        assert.ok(!edges.some((e) => e.endsWith("--> tenant_nodes") && !e.startsWith("tenants ")), "a Domino workload can reach other tenants' nodes");
    });

    it("draws who may land where: shared pools without a NoSchedule taint admit other tenants", async () => {
        const lines = mermaid(section(tenancyReport({ stack: "byo", plan: await shippedPlan("byo") }), "Who may land where"));
        const edges = lines.map((l) => l.trim()).filter((l) => /-->|-\.->/.test(l));
        assert.deepEqual(
            edges.filter((e) => e.startsWith("tenants -.->")),
            [`tenants -.->|"may land (shared)"| pool_platform`, `tenants -.->|"may land (shared)"| pool_compute`],
        );
    });

    it("draws each DaemonSet to exactly the pools it lands on", async () => {
        const lines = mermaid(section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "Who may land where"));
        const edges = lines.map((l) => l.trim()).filter((l) => l.startsWith("ds_") && l.includes("-->"));
        assert.deepEqual(edges.sort(), ["ds_domino_device_plugin_nvidia_device_plugin --> pool_gpu", "ds_domino_node_tuning_max_map_count --> pool_platform"]);
    });

    it("keeps the diagram parseable: plain ids, every label quoted", async () => {
        for (const stack of ["local", "byo", "prod-gcp"]) {
            const lines = mermaid(tenancyReport({ stack, plan: await shippedPlan(stack) }));
            for (const line of lines.slice(1).map((l) => l.trim())) {
                assert.match(
                    line,
                    /^(end|subgraph \w+\["[^"<>]*"\]|\w+(\["[^"<>]*"\]|\(\["[^"<>]*"\]\)|\[\("[^"<>]*"\)\])|\w+ (-->|-\.->)(\|"[^"<>]*"\|)? \w+)$/,
                    `${stack}: ${line}`,
                );
            }
        }
    });

    it("sorts every list: objects by kind then name, rows by workload", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        const objects = rows(section(md, "Cluster-scoped objects")).map((r) => `${r[0]} ${r[1]}`);
        assert.deepEqual(objects, sorted(objects));
        assert.ok(objects.indexOf("ClusterRole domino-node-reader") < objects.indexOf("Namespace domino-compute"));
        for (const title of ["hostPath mounts", "Privileged and host-namespace containers", "DaemonSets and the pools they land on", "Exceptions used"]) {
            const first = rows(section(md, title)).map((r) => r[0]);
            assert.deepEqual(first, sorted(first), title);
        }
        const quotas = rows(section(md, "Quotas, limits and network policies")).map((r) => `${r[0]} ${r[1]}`);
        assert.deepEqual(quotas, sorted(quotas));
    });

    it("states limits and network policies as short readable lines, never raw JSON", async () => {
        const md = section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "Quotas, limits and network policies");
        assert.doesNotMatch(md, /[{}"[\]]/);
        // Ephemeral storage has a default request and no default limit ("-").
        assert.match(
            md,
            /LimitRange \| domino-compute\/compute-limits \| defaults: cpu 100m\/2, ephemeral-storage 1Gi\/-, memory 256Mi\/4Gi, max cpu 64 memory 512Gi \|/,
        );
        assert.match(md, /domino-compute\/allow-from-deployment \| allow from namespaces labelled domino-tenancy\/deployment=domino \|/);
        assert.match(md, /domino-compute\/allow-from-ingress-controller \| allow from namespace ingress-nginx \|/);
    });
});
