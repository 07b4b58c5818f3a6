// Deliberately broken plans for the integration tier: each is a shipped stack's plan
// with one named edit, and the whole pack must catch it with the rule meant for it and
// with no other rule. The rules' own behaviour is pinned by their cases beside each
// rule (policy/rules/<name>/cases.ts); these only prove the edits stay single-cause in
// a real program's plan.

import type { Plan } from "../../plan/engine";
import type { PackConfig } from "../../policy/lib/check";
import { addObject, manifest, podSpec } from "../helpers/policyPlans";

export interface BrokenPlan {
    readonly rule: string;
    /** What is broken, as the test name. */
    readonly behaviour: string;
    readonly stack: "local" | "dev-aws" | "prod-gcp" | "byo" | "prod-aws";
    readonly edit: (plan: Plan) => void;
    readonly config?: PackConfig;
    /** A message the rule must report. */
    readonly expect: RegExp;
}

// The local stack has a consumer's namespace too (with its own quota and limits): name the one meant.
const inDominoCompute = (r: Plan["resources"][number]) => (r.inputs as { metadata?: { namespace?: string } }).metadata?.namespace === "domino-compute";
/** Drops the dedicated-placement policy's binding: the static analysis then judges templates as they are, not as the policy admits them. */
const withoutPlacementPolicy = (p: Plan) => {
    const at = p.resources.findIndex((r) => r.type.endsWith(":MutatingAdmissionPolicyBinding"));
    if (at < 0) throw new Error("the plan has no dedicated-placement binding to drop");
    (p.resources as unknown[]).splice(at, 1);
};
const role = (name: string, rules: unknown[]) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules });
const pvc = (storageClassName?: string) => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "scratch", namespace: "domino-compute" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...(storageClassName ? { storageClassName } : {}) },
});
const pv = (name: string) => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: { capacity: { storage: "1Ti" }, accessModes: ["ReadWriteMany"], nfs: { server: "nfs", path: "/x" } },
});

export const brokenPlans: readonly BrokenPlan[] = [
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "rejects a ClusterRole without the deployment prefix",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRole", "domino-node-reader").metadata.name = "node-reader"),
        expect: /ClusterRole 'node-reader' is cluster-scoped but not prefixed 'domino-'/,
    },
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "rejects a CRD in an API group the deployment does not own",
        stack: "local",
        edit: (p) =>
            addObject(p, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", {
                kind: "CustomResourceDefinition",
                metadata: { name: "sparkapps.example.com" },
                spec: { group: "example.com" },
            }),
        expect: /API group 'example.com', which the deployment does not own/,
    },
    {
        rule: "hostpath-allowlisted",
        behaviour: "rejects a host folder that is not on the allowlist",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "max-map-count");
            spec.volumes = [...(spec.volumes ?? []), { name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }];
        },
        expect: /max-map-count mounts hostPath \/var\/run\/docker.sock/,
    },
    {
        rule: "hostpath-allowlisted",
        behaviour: "rejects an allowlisted folder mounted by a workload it is not allowlisted for",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "max-map-count");
            spec.volumes = [...(spec.volumes ?? []), { name: "device-plugins", hostPath: { path: "/var/lib/kubelet/device-plugins" } }];
        },
        expect: /max-map-count mounts hostPath \/var\/lib\/kubelet\/device-plugins .* not allowlisted for it/,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects a privileged container that is not allowlisted",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].securityContext.privileged = true),
        expect: /nvidia-device-plugin: container 'nvidia-device-plugin' is privileged/,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects added capabilities",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].securityContext.capabilities.add = ["NET_ADMIN"]),
        expect: /adds capabilities NET_ADMIN/,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects a container that does not forbid privilege escalation",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].securityContext.allowPrivilegeEscalation,
        expect: /does not set allowPrivilegeEscalation: false/,
    },
    {
        rule: "no-host-namespaces",
        behaviour: "rejects hostPID",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").hostPID = true),
        expect: /nvidia-device-plugin uses hostPID/,
    },
    {
        rule: "no-host-namespaces",
        behaviour: "rejects a hostPort",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "max-map-count").containers[0].ports = [{ containerPort: 5000, hostPort: 5000 }]),
        expect: /takes host port 5000/,
    },
    {
        rule: "resources-requests-limits",
        behaviour: "rejects a container without a memory limit",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].resources.limits.memory,
        expect: /container 'nvidia-device-plugin' has no limits.memory/,
    },
    {
        rule: "resources-requests-limits",
        behaviour: "rejects an init container without requests",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "max-map-count").initContainers[0].resources.requests,
        expect: /init container 'set-max-map-count' has no requests.cpu, requests.memory/,
    },
    {
        rule: "images-pinned",
        behaviour: "rejects the latest tag",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].image = "nvcr.io/nvidia/k8s-device-plugin:latest"),
        expect: /image 'nvcr.io\/nvidia\/k8s-device-plugin:latest' is not pinned/,
    },
    {
        rule: "no-shared-namespaces",
        behaviour: "rejects an object in kube-system",
        stack: "local",
        edit: (p) =>
            addObject(p, "kubernetes:core/v1:ConfigMap", { kind: "ConfigMap", metadata: { name: "domino-hints", namespace: "kube-system" }, data: {} }),
        expect: /ConfigMap kube-system\/domino-hints is in shared namespace 'kube-system'/,
    },
    {
        rule: "no-shared-namespaces",
        behaviour: "rejects a namespaced object that names no namespace",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:ConfigMap", { kind: "ConfigMap", metadata: { name: "stray" }, data: {} }),
        expect: /ConfigMap stray names no namespace/,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects wildcard verbs",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRole", "domino-node-reader").rules[0].verbs = ["*"]),
        expect: /grants every verb/,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects escalate, bind and impersonate",
        stack: "local",
        edit: (p) =>
            addObject(
                p,
                "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
                role("domino-binder", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind", "escalate"] }]),
            ),
        expect: /grants bind, escalate/,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects a binding to cluster-admin",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRoleBinding", "domino-node-reader").roleRef.name = "cluster-admin"),
        expect: /binds ClusterRole cluster-admin/,
    },
    {
        rule: "namespaces-pod-security",
        behaviour: "rejects a namespace without an enforce label",
        stack: "local",
        edit: (p) => delete manifest(p, "Namespace", "domino-platform").metadata.labels["pod-security.kubernetes.io/enforce"],
        expect: /Namespace domino-platform has no pod-security.kubernetes.io\/enforce label/,
    },
    {
        rule: "namespaces-pod-security",
        behaviour: "rejects privileged on a namespace that is not allowlisted",
        stack: "local",
        edit: (p) => {
            const ns = manifest(p, "Namespace", "domino-compute");
            ns.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
            ns.metadata.annotations = { "domino-tenancy/pod-security-exception": "users need it" };
        },
        expect: /Namespace domino-compute enforces privileged but is not allowlisted/,
    },
    {
        rule: "no-nodeport-loadbalancer",
        behaviour: "rejects a NodePort service",
        stack: "local",
        edit: (p) =>
            addObject(p, "kubernetes:core/v1:Service", {
                kind: "Service",
                metadata: { name: "metrics", namespace: "domino-platform" },
                spec: { type: "NodePort", ports: [{ port: 9100 }], selector: { app: "x" } },
            }),
        expect: /Service domino-platform\/metrics is of type NodePort/,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects a static PersistentVolume",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolume", pv("domino-nfs")),
        expect: /PersistentVolume domino-nfs is static/,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects a claim on a storage class that is not the deployment's",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolumeClaim", pvc("gp2")),
        expect: /uses storage class 'gp2'; allowed: domino-disk, domino-shared/,
    },
    {
        rule: "sysctls-safe",
        behaviour: "rejects a pod-level sysctl outside the safe set",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "nvidia-device-plugin");
            spec.securityContext = { ...(spec.securityContext ?? {}), sysctls: [{ name: "kernel.msgmax", value: "65536" }] };
        },
        expect: /sets sysctl kernel.msgmax, which is not in the safe set/,
    },
    {
        rule: "sysctls-safe",
        behaviour: "rejects the tuner when it can land beyond the platform pool",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "max-map-count");
            spec.nodeSelector = { "dominodatalab.com/domino-node": "true" };
            spec.tolerations = [{ operator: "Exists" }];
        },
        expect: /can land on pool\(s\) compute, gpu, not only the platform pool/,
    },
    {
        rule: "sysctls-safe",
        behaviour: "rejects a container that writes a node sysctl without being allowlisted",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").containers[0].command = ["sh", "-c", "sysctl -w net.core.somaxconn=4096 && exec agent"]),
        expect: /writes node-level sysctl net.core.somaxconn and is not an allowlisted writer/,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload whose selector names no Domino label, so it spills onto other tenants' nodes, where no placement policy adds one",
        stack: "local",
        edit: (p) => {
            withoutPlacementPolicy(p);
            podSpec(p, "DaemonSet", "nvidia-device-plugin").nodeSelector = { "kubernetes.io/os": "linux" };
        },
        expect: /DaemonSet domino-device-plugin\/nvidia-device-plugin can land on nodes that are not Domino's/,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload that matches no pool, so it never schedules",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").nodeSelector = { "dominodatalab.com/node-pool": "highmem" }),
        expect: /can land on none of Domino's pools, so it would never schedule/,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload that does not tolerate the dedicated taint of its pool, where no placement policy adds the toleration",
        stack: "local",
        edit: (p) => {
            withoutPlacementPolicy(p);
            podSpec(p, "DaemonSet", "max-map-count").tolerations = [];
        },
        expect: /platform: it does not tolerate dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a device plugin that can land on non-GPU pools",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "nvidia-device-plugin");
            spec.nodeSelector = { "dominodatalab.com/domino-node": "true" };
        },
        expect: /is the GPU device plugin but can land on non-GPU pool\(s\) platform, compute/,
    },
    {
        rule: "namespaces-quota-and-limits",
        behaviour: "rejects a compute namespace without a ResourceQuota",
        stack: "local",
        edit: (p) =>
            p.resources.splice(
                p.resources.findIndex((r) => r.type.endsWith(":ResourceQuota") && inDominoCompute(r)),
                1,
            ),
        expect: /namespace domino-compute runs user workloads but has no ResourceQuota/,
    },
    {
        rule: "namespaces-quota-and-limits",
        behaviour: "rejects a compute namespace without a LimitRange",
        stack: "local",
        edit: (p) =>
            p.resources.splice(
                p.resources.findIndex((r) => r.type.endsWith(":LimitRange") && inDominoCompute(r)),
                1,
            ),
        expect: /has no LimitRange/,
    },
    {
        rule: "namespaces-default-deny",
        behaviour: "rejects a namespace without a default-deny ingress policy",
        stack: "local",
        edit: (p) => p.resources.splice(p.resources.indexOf(p.resources.find((r) => r.name === "domino-platform-default-deny-ingress")!), 1),
        expect: /Namespace domino-platform has no default-deny ingress NetworkPolicy/,
    },
];
