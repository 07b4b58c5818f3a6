// The Kubernetes builders' output for one small model: the guards every Domino
// namespace gets, the names and quota of Domino's footprint, and the installer's
// domino.yml. Pure functions over a model from buildModel; no mocks.

import { strict as assert } from "assert";
import { buildDominoTenancy } from "../../components/kubernetes/dominoTenancy";
import { buildDominoYml } from "../../components/kubernetes/installer";
import type { Manifest } from "../../components/kubernetes/manifest";
import { dominoNamespace } from "../../components/kubernetes/namespace";
import { componentArgs } from "../../components/program";
import { acmeModel } from "../helpers/acmeModel";

const model = acmeModel();

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (ms: Manifest[], kind: string, name: string): Obj => {
    const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
    if (!m) throw new Error(`no ${kind} ${name} among ${ms.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
    return m as Obj;
};

const clusterScopedKinds = new Set(["Namespace", "PriorityClass", "StorageClass", "ClusterRole", "ClusterRoleBinding"]);

describe("Kubernetes builders (components/kubernetes)", () => {
    describe("dominoNamespace()", () => {
        const restricted = dominoNamespace({
            deploymentName: model.name,
            name: "acme-jobs",
            component: "jobs",
            podSecurity: { enforce: "restricted", warn: "restricted" },
        });

        it("labels the namespace with its Pod Security levels, pinned to latest, and with the deployment", () => {
            const labels = find(restricted, "Namespace", "acme-jobs").metadata.labels;
            assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
            assert.equal(labels["pod-security.kubernetes.io/enforce-version"], "latest");
            assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
            assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
            assert.equal(labels["domino-tenancy/deployment"], "acme");
        });

        it("denies all ingress by default and lets in only the deployment's own namespaces", () => {
            assert.deepEqual(
                restricted.filter((m) => m.kind === "NetworkPolicy").map((m) => m.metadata.name),
                ["default-deny-ingress", "allow-from-deployment"],
            );
            assert.deepEqual(find(restricted, "NetworkPolicy", "default-deny-ingress").spec, { podSelector: {}, policyTypes: ["Ingress"] });
            assert.deepEqual(find(restricted, "NetworkPolicy", "allow-from-deployment").spec.ingress, [
                { from: [{ namespaceSelector: { matchLabels: { "domino-tenancy/deployment": "acme" } } }] },
            ]);
            assert.ok(restricted.filter((m) => m.kind === "NetworkPolicy").every((m) => m.metadata.namespace === "acme-jobs"));
        });

        it("lets in the ingress controller's namespace only when one is named", () => {
            const open = dominoNamespace({
                deploymentName: model.name,
                name: "acme-web",
                component: "web",
                podSecurity: { enforce: "baseline", warn: "restricted" },
                allowIngressFromNamespaces: ["ingress-nginx"],
            });
            assert.deepEqual(find(open, "NetworkPolicy", "allow-from-ingress-controller").spec.ingress, [
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }] },
            ]);
            assert.ok(!restricted.some((m) => m.metadata.name === "allow-from-ingress-controller"));
        });

        it("refuses a privileged namespace without a stated exception", () => {
            assert.throws(
                () =>
                    dominoNamespace({
                        deploymentName: model.name,
                        name: "acme-tuning",
                        component: "tuning",
                        podSecurity: { enforce: "privileged", warn: "privileged" },
                    }),
                /acme-tuning: a privileged Pod Security level needs a stated exception/,
            );
        });

        it("annotates a privileged namespace with its exception", () => {
            const ms = dominoNamespace({
                deploymentName: model.name,
                name: "acme-tuning",
                component: "tuning",
                podSecurity: { enforce: "privileged", warn: "privileged", exception: "writes vm.max_map_count" },
            });
            const ns = find(ms, "Namespace", "acme-tuning");
            assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "privileged");
            assert.equal(ns.metadata.annotations["domino-tenancy/pod-security-exception"], "writes vm.max_map_count");
        });
    });

    describe("buildDominoTenancy()", () => {
        const ms = buildDominoTenancy(componentArgs(model).tenancy);

        it("prefixes every cluster-scoped object with the deployment name", () => {
            const clusterScoped = ms.filter((m) => clusterScopedKinds.has(m.kind));
            assert.ok(clusterScoped.length >= 10, `expected namespaces, priority classes, storage classes and RBAC, got ${clusterScoped.length}`);
            assert.deepEqual(
                clusterScoped.filter((m) => !m.metadata.name.startsWith("acme-")).map((m) => `${m.kind}/${m.metadata.name}`),
                [],
            );
            assert.ok(
                clusterScoped.every((m) => m.metadata.namespace === undefined),
                "a cluster-scoped object carries a namespace",
            );
        });

        it("creates the three Domino namespaces with the model's Pod Security levels", () => {
            for (const [name, enforce] of [
                ["acme-platform", "baseline"],
                ["acme-compute", "baseline"],
                ["acme-system", "restricted"],
            ]) {
                assert.equal(find(ms, "Namespace", name).metadata.labels["pod-security.kubernetes.io/enforce"], enforce, name);
            }
        });

        it("puts every namespaced object in one of Domino's namespaces", () => {
            const own = new Set(["acme-platform", "acme-compute", "acme-system"]);
            assert.deepEqual(
                ms.filter((m) => !clusterScopedKinds.has(m.kind) && !own.has(m.metadata.namespace ?? "")).map((m) => `${m.kind}/${m.metadata.name}`),
                [],
            );
        });

        it("bounds users' runs with a quota on cpu, memory, GPUs, storage, pods and claims, and no load balancers or node ports", () => {
            const quota = find(ms, "ResourceQuota", "compute-quota");
            assert.equal(quota.metadata.namespace, "acme-compute");
            // The multi-tenancy benchmarks' FNS-1 (cpu, memory, ephemeral storage) and FNS-2 (object counts) keys, all of them.
            assert.deepEqual(Object.keys(quota.spec.hard).sort(), [
                "configmaps",
                "limits.memory",
                "persistentvolumeclaims",
                "pods",
                "replicationcontrollers",
                "requests.cpu",
                "requests.ephemeral-storage",
                "requests.memory",
                "requests.nvidia.com/gpu",
                "requests.storage",
                "resourcequotas",
                "secrets",
                "services",
                "services.loadbalancers",
                "services.nodeports",
            ]);
            assert.equal(quota.spec.hard["requests.ephemeral-storage"], model.computeQuota.ephemeralStorage);
            assert.equal(quota.spec.hard.secrets, String(model.computeQuota.objects.secrets));
            assert.equal(quota.spec.hard.resourcequotas, "1");
            assert.equal(quota.spec.hard["services.loadbalancers"], "0");
            assert.equal(quota.spec.hard["services.nodeports"], "0");
            assert.equal(quota.spec.hard["requests.cpu"], model.computeQuota.cpu);
        });

        it("gives containers in the compute namespace default requests and limits", () => {
            const limits = find(ms, "LimitRange", "compute-limits");
            assert.equal(limits.metadata.namespace, "acme-compute");
            const [container] = limits.spec.limits;
            assert.equal(container.type, "Container");
            assert.ok(container.defaultRequest.cpu && container.defaultRequest.memory && container.default.memory, "default request or limit missing");
            // The quota counts ephemeral storage, so every container gets a request; no default limit evicts a run by a guess.
            assert.equal(container.defaultRequest["ephemeral-storage"], "1Gi");
            assert.equal(container.default["ephemeral-storage"], undefined);
        });

        it("states the tenancy model in the system namespace, where the policy pack reads it", () => {
            const cm = find(ms, "ConfigMap", "tenancy-model");
            assert.equal(cm.metadata.namespace, "acme-system");
            assert.equal(cm.metadata.labels["domino-tenancy/model"], "true");
            const doc = JSON.parse(cm.data["model.json"]);
            assert.equal(doc.deploymentName, "acme");
            assert.deepEqual(
                doc.pools.map((p: { role: string }) => p.role),
                ["platform", "compute", "gpu"],
            );
        });
    });

    describe("buildDominoYml()", () => {
        const yml = buildDominoYml(componentArgs(model).installer);

        it("writes the keys the installer reads, in the installer's vocabulary", () => {
            assert.deepEqual(Object.keys(yml), [
                "schema",
                "name",
                "version",
                "hostname",
                "request_resources",
                "enable_network_policies",
                "enable_pod_security_policies",
                "global_node_selectors",
                "namespaces",
                "storage_classes",
                "monitoring",
                "gpu",
                "image_caching",
                "certificate_management",
                "ingress_controller",
                "metrics_server",
                "release_overrides",
            ]);
        });

        it("names the model's deployment, namespaces and storage classes, and never asks the installer to create classes", () => {
            const y = yml as Obj;
            assert.equal(y.name, "acme");
            assert.equal(y.hostname, "domino.example.test");
            assert.deepEqual(
                [y.namespaces.platform.name, y.namespaces.compute.name, y.namespaces.system.name],
                ["acme-platform", "acme-compute", "acme-system"],
            );
            assert.deepEqual(y.storage_classes.block, {
                create: false,
                name: model.storageClasses.block.name,
                access_modes: ["ReadWriteOnce"],
                default: false,
            });
            assert.deepEqual(y.storage_classes.shared, { create: false, name: model.storageClasses.shared.name, access_modes: ["ReadWriteMany"] });
        });

        it("keeps Domino on its own nodes, with network policies on and PodSecurityPolicy off", () => {
            const y = yml as Obj;
            assert.deepEqual(y.global_node_selectors, { "dominodatalab.com/domino-node": "true" });
            assert.equal(y.enable_network_policies, true);
            assert.equal(y.enable_pod_security_policies, false);
            assert.equal(y.request_resources, true);
        });

        it("creates no ingress controller or metrics server of its own, and keeps Domino's GPU services off while the device plugin runs", () => {
            const y = yml as Obj;
            assert.deepEqual(y.ingress_controller, { create: false, class_name: model.ingress.className });
            assert.deepEqual(y.metrics_server, { install: false });
            assert.equal(model.devicePlugin.enabled, true);
            assert.deepEqual(y.gpu, { enabled: false });
        });
    });
});
