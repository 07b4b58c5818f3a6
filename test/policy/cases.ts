// Every rule's passing and failing examples, as data: a shipped stack's plan, one
// named edit, and what the rule must say about it. rules.spec.ts runs each case
// against its rule alone; brokenPlans.spec.ts runs the single-cause ones against
// the whole pack.

import type { Plan } from "../../plan/engine";
import type { PackConfig } from "../../policy/lib/check";
import { addObject, daemonSet, manifest, podSpec, wellBehavedContainer } from "../helpers/policyPlans";

export interface RuleCase {
    readonly rule: string;
    /** The behaviour pinned down, as the test name. */
    readonly behaviour: string;
    readonly stack: "local" | "dev-aws" | "prod-gcp" | "byo" | "prod-aws";
    readonly edit?: (plan: Plan) => void;
    readonly config?: PackConfig;
    /** A message the rule must report, or null when the case must pass. */
    readonly violation: RegExp | null;
    /** Breaks exactly this one rule of the whole pack: used as a broken plan. */
    readonly singleCause?: boolean;
}

const model = (plan: Plan) => manifest(plan, "ConfigMap", "tenancy-model");
const editModel = (plan: Plan, edit: (doc: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const cm = model(plan);
    const doc = JSON.parse(cm.data["model.json"]);
    edit(doc);
    cm.data["model.json"] = JSON.stringify(doc);
};
const gkePool = (plan: Plan, name: string) => plan.resources.find((r) => r.type === "gcp:container/nodePool:NodePool" && r.name === name)!.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const eksGroup = (plan: Plan, name: string) => plan.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name === name)!.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const dominoScope = (pod: Record<string, unknown>) => ({ nodeSelector: { "dominodatalab.com/node-pool": "default" }, tolerations: [{ key: "dominodatalab.com/dedicated", operator: "Equal", value: "domino", effect: "NoSchedule" }], ...pod });
const role = (name: string, rules: unknown[]) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules });
const pvc = (storageClassName?: string) => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "scratch", namespace: "domino-compute" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...(storageClassName ? { storageClassName } : {}) },
});
const pv = (name: string) => ({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name }, spec: { capacity: { storage: "1Ti" }, accessModes: ["ReadWriteMany"], nfs: { server: "nfs", path: "/x" } } });

export const ruleCases: readonly RuleCase[] = [
    // cluster-scoped-names-prefixed
    { rule: "cluster-scoped-names-prefixed", behaviour: "passes a stack whose cluster-scoped objects all carry the prefix", stack: "local", violation: null },
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "rejects a ClusterRole without the deployment prefix",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRole", "domino-pod-reader").metadata.name = "pod-reader"),
        violation: /ClusterRole 'pod-reader' is cluster-scoped but not prefixed 'domino-'/,
        singleCause: true,
    },
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "rejects a StorageClass named after a generic class another tenant may own",
        stack: "dev-aws",
        edit: (p) => (manifest(p, "StorageClass", "domino-dev-disk").metadata.name = "gp3"),
        violation: /StorageClass 'gp3'/,
    },
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "rejects a CRD in an API group the deployment does not own",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", { kind: "CustomResourceDefinition", metadata: { name: "sparkapps.example.com" }, spec: { group: "example.com" } }),
        violation: /API group 'example.com', which the deployment does not own/,
        singleCause: true,
    },
    {
        rule: "cluster-scoped-names-prefixed",
        behaviour: "accepts a CRD in a subdomain of an owned group",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", { kind: "CustomResourceDefinition", metadata: { name: "sparkclusters.sparkoperator.dominodatalab.com" }, spec: { group: "sparkoperator.dominodatalab.com" } }),
        violation: null,
    },

    // daemonsets-node-scoped
    { rule: "daemonsets-node-scoped", behaviour: "passes DaemonSets that select Domino's nodes", stack: "local", violation: null },
    {
        rule: "daemonsets-node-scoped",
        behaviour: "rejects a DaemonSet with neither node selector nor required affinity",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "fluentd").nodeSelector,
        violation: /DaemonSet domino-node-agents\/fluentd selects no nodes/,
    },
    {
        rule: "daemonsets-node-scoped",
        behaviour: "accepts required node affinity instead of a node selector",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "fluentd");
            delete spec.nodeSelector;
            spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "dominodatalab.com/domino-node", operator: "Exists" }] }] } } };
        },
        violation: null,
    },
    {
        rule: "daemonsets-node-scoped",
        behaviour: "rejects required affinity with an empty term, which matches every node",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "fluentd");
            delete spec.nodeSelector;
            spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [] }] } } };
        },
        violation: /selects no nodes/,
    },

    // hostpath-allowlisted
    { rule: "hostpath-allowlisted", behaviour: "passes the node agents' and device plugin's allowlisted host folders", stack: "local", violation: null },
    {
        rule: "hostpath-allowlisted",
        behaviour: "rejects a host folder that is not on the allowlist",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "image-cache-agent");
            spec.volumes = [...(spec.volumes ?? []), { name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }];
        },
        violation: /image-cache-agent mounts hostPath \/var\/run\/docker.sock/,
        singleCause: true,
    },
    {
        rule: "hostpath-allowlisted",
        behaviour: "rejects an allowlisted folder used by a workload it is not allowlisted for",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "image-cache-agent");
            spec.volumes = [...(spec.volumes ?? []), { name: "certs", hostPath: { path: "/etc/docker/certs.d" } }];
        },
        violation: /not allowlisted for it/,
    },
    {
        rule: "hostpath-allowlisted",
        behaviour: "rejects a read-only allowlisted folder mounted writable",
        stack: "local",
        edit: (p) => {
            for (const m of podSpec(p, "DaemonSet", "fluentd").containers[0].volumeMounts) if (m.name === "pod-logs") m.readOnly = false;
        },
        violation: /mounts hostPath \/var\/log\/pods writable/,
        singleCause: true,
    },
    {
        rule: "hostpath-allowlisted",
        behaviour: "accepts a host folder that policy config allowlists for that workload",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "image-cache-agent");
            spec.volumes = [...(spec.volumes ?? []), { name: "containerd", hostPath: { path: "/run/containerd" } }];
        },
        config: { "hostpath-allowlisted": { allowedHostPaths: [{ workload: "{name}-node-agents/image-cache-agent", path: "/run/containerd", readOnly: false, reason: "test" }] } },
        violation: null,
    },

    // no-privileged-containers
    { rule: "no-privileged-containers", behaviour: "passes the sysctl tuner's allowlisted privileged init container", stack: "local", violation: null },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects a privileged container that is not allowlisted",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "fluentd").containers[0].securityContext.privileged = true),
        violation: /fluentd: container 'fluentd' is privileged/,
        singleCause: true,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects added capabilities",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").containers[0].securityContext.capabilities.add = ["NET_ADMIN"]),
        violation: /adds capabilities NET_ADMIN/,
        singleCause: true,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects a container that does not forbid privilege escalation",
        stack: "local",
        edit: (p) => delete podSpec(p, "Job", "domino-installer").containers[0].securityContext.allowPrivilegeEscalation,
        violation: /does not set allowPrivilegeEscalation: false/,
        singleCause: true,
    },
    {
        rule: "no-privileged-containers",
        behaviour: "rejects the tuner's long-running container turning privileged: the exception names the init container only",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "max-map-count").containers[0].securityContext.privileged = true),
        violation: /max-map-count: container '.*' is privileged/,
    },

    // no-host-namespaces
    { rule: "no-host-namespaces", behaviour: "passes node-exporter's allowlisted host network and port", stack: "local", violation: null },
    {
        rule: "no-host-namespaces",
        behaviour: "rejects hostPID",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "fluentd").hostPID = true),
        violation: /fluentd uses hostPID/,
        singleCause: true,
    },
    {
        rule: "no-host-namespaces",
        behaviour: "rejects a hostPort",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").containers[0].ports = [{ containerPort: 5000, hostPort: 5000 }]),
        violation: /takes host port 5000/,
        singleCause: true,
    },
    {
        rule: "no-host-namespaces",
        behaviour: "rejects hostIPC on a workload allowlisted only for the host network",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "prometheus-node-exporter").hostIPC = true),
        violation: /prometheus-node-exporter uses hostIPC/,
    },
    {
        rule: "no-host-namespaces",
        behaviour: "counts every container port as a host port under hostNetwork",
        stack: "local",
        edit: (p) => podSpec(p, "DaemonSet", "prometheus-node-exporter").containers[0].ports.push({ name: "debug", containerPort: 6060 }),
        violation: /takes host port 6060/,
    },

    // resources-requests-limits
    { rule: "resources-requests-limits", behaviour: "passes containers that all state requests and a memory limit", stack: "local", violation: null },
    {
        rule: "resources-requests-limits",
        behaviour: "rejects a container without a memory limit",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "fluentd").containers[0].resources.limits.memory,
        violation: /container 'fluentd' has no limits.memory/,
        singleCause: true,
    },
    {
        rule: "resources-requests-limits",
        behaviour: "rejects an init container without requests",
        stack: "local",
        edit: (p) => delete podSpec(p, "DaemonSet", "max-map-count").initContainers[0].resources.requests,
        violation: /init container 'set-max-map-count' has no requests.cpu, requests.memory/,
        singleCause: true,
    },

    // images-pinned
    { rule: "images-pinned", behaviour: "passes images pinned to versions", stack: "local", violation: null },
    {
        rule: "images-pinned",
        behaviour: "rejects the latest tag",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "fluentd").containers[0].image = "fluent/fluentd:latest"),
        violation: /image 'fluent\/fluentd:latest' is not pinned/,
        singleCause: true,
    },
    {
        rule: "images-pinned",
        behaviour: "rejects an untagged image behind a registry with a port",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "fluentd").containers[0].image = "registry.local:5000/fluentd"),
        violation: /is not pinned/,
    },
    {
        rule: "images-pinned",
        behaviour: "rejects a tag without a digest when requireDigests is on",
        stack: "local",
        config: { "images-pinned": { requireDigests: true } },
        violation: /has no digest \(requireDigests is on\)/,
    },
    {
        rule: "images-pinned",
        behaviour: "accepts digests when requireDigests is on",
        stack: "byo",
        edit: (p) => {
            for (const r of p.resources) {
                const spec = (r.inputs as any).spec?.template?.spec; // eslint-disable-line @typescript-eslint/no-explicit-any
                for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) c.image = `${c.image}@sha256:${"a".repeat(64)}`;
            }
        },
        config: { "images-pinned": { requireDigests: true } },
        violation: null,
    },

    // no-shared-namespaces
    { rule: "no-shared-namespaces", behaviour: "passes objects that all live in Domino's namespaces", stack: "local", violation: null },
    {
        rule: "no-shared-namespaces",
        behaviour: "rejects an object in kube-system",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:ConfigMap", { kind: "ConfigMap", metadata: { name: "domino-hints", namespace: "kube-system" }, data: {} }),
        violation: /ConfigMap kube-system\/domino-hints is in shared namespace 'kube-system'/,
        singleCause: true,
    },
    {
        rule: "no-shared-namespaces",
        behaviour: "rejects a namespaced object that names no namespace",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:ConfigMap", { kind: "ConfigMap", metadata: { name: "stray" }, data: {} }),
        violation: /ConfigMap stray names no namespace/,
        singleCause: true,
    },

    // rbac-least-privilege
    { rule: "rbac-least-privilege", behaviour: "passes explicit rules and secrets granted per namespace only", stack: "local", violation: null },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects wildcard verbs",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRole", "domino-pod-reader").rules[0].verbs = ["*"]),
        violation: /grants every verb/,
        singleCause: true,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects wildcard resources",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRole", "domino-pod-reader").rules[0].resources = ["*"]),
        violation: /grants every resource/,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects escalate, bind and impersonate",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", role("domino-binder", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind", "escalate"] }])),
        violation: /grants bind, escalate/,
        singleCause: true,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects nodes/proxy",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", role("domino-kubelet", [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }])),
        violation: /nodes\/proxy/,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects a binding to cluster-admin",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRoleBinding", "domino-node-reader").roleRef.name = "cluster-admin"),
        violation: /binds ClusterRole cluster-admin/,
        singleCause: true,
    },
    {
        rule: "rbac-least-privilege",
        behaviour: "rejects a ClusterRoleBinding that grants secrets in every namespace",
        stack: "local",
        edit: (p) => (manifest(p, "ClusterRoleBinding", "domino-node-reader").roleRef.name = "domino-compute-manager"),
        violation: /grants ClusterRole domino-compute-manager, which reads secrets, in every namespace/,
    },

    // namespaces-pod-security
    { rule: "namespaces-pod-security", behaviour: "passes labelled namespaces, privileged only where allowlisted and explained", stack: "local", violation: null },
    {
        rule: "namespaces-pod-security",
        behaviour: "rejects a namespace without an enforce label",
        stack: "local",
        edit: (p) => delete manifest(p, "Namespace", "domino-platform").metadata.labels["pod-security.kubernetes.io/enforce"],
        violation: /Namespace domino-platform has no pod-security.kubernetes.io\/enforce label/,
        singleCause: true,
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
        violation: /Namespace domino-compute enforces privileged but is not allowlisted/,
        singleCause: true,
    },
    {
        rule: "namespaces-pod-security",
        behaviour: "rejects an allowlisted privileged namespace that does not say why",
        stack: "local",
        edit: (p) => delete manifest(p, "Namespace", "domino-node-tuning").metadata.annotations,
        violation: /domino-node-tuning enforces privileged without a domino-tenancy\/pod-security-exception annotation/,
    },
    {
        rule: "namespaces-pod-security",
        behaviour: "rejects an enforce level that Pod Security does not know",
        stack: "local",
        edit: (p) => (manifest(p, "Namespace", "domino-system").metadata.labels["pod-security.kubernetes.io/enforce"] = "strict"),
        violation: /is 'strict'; allowed: privileged, baseline, restricted/,
    },

    // no-nodeport-loadbalancer
    { rule: "no-nodeport-loadbalancer", behaviour: "passes ClusterIP services", stack: "local", violation: null },
    {
        rule: "no-nodeport-loadbalancer",
        behaviour: "rejects a NodePort service",
        stack: "local",
        edit: (p) => (manifest(p, "Service", "prometheus-node-exporter").spec = { type: "NodePort", ports: [{ port: 9100 }], selector: { app: "x" } }),
        violation: /Service domino-node-agents\/prometheus-node-exporter is of type NodePort/,
        singleCause: true,
    },
    {
        rule: "no-nodeport-loadbalancer",
        behaviour: "accepts the configured ingress service",
        stack: "local",
        edit: (p) =>
            addObject(p, "kubernetes:core/v1:Service", { kind: "Service", metadata: { name: "ingress", namespace: "domino-platform" }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }),
        config: { "no-nodeport-loadbalancer": { allowedServices: [{ service: "{name}-platform/ingress", types: ["LoadBalancer"], reason: "the one entry point" }] } },
        violation: null,
    },
    {
        rule: "no-nodeport-loadbalancer",
        behaviour: "rejects a LoadBalancer when the ingress is allowlisted only as NodePort",
        stack: "local",
        edit: (p) =>
            addObject(p, "kubernetes:core/v1:Service", { kind: "Service", metadata: { name: "ingress", namespace: "domino-platform" }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }),
        config: { "no-nodeport-loadbalancer": { allowedServices: [{ service: "{name}-platform/ingress", types: ["NodePort"], reason: "behind the cloud LB" }] } },
        violation: /is of type LoadBalancer/,
    },

    // storage-dynamic-only
    { rule: "storage-dynamic-only", behaviour: "passes a stack with no static volume", stack: "local", violation: null },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects a static PersistentVolume",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolume", pv("domino-nfs")),
        violation: /PersistentVolume domino-nfs is static/,
        singleCause: true,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects an allowlisted static volume whose name does not carry its namespace",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolume", pv("domino-shared-nfs")),
        config: { "storage-dynamic-only": { allowedPersistentVolumes: [{ name: "{name}-shared-nfs", reason: "shared datasets" }] } },
        violation: /does not include the Domino namespace/,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "accepts an allowlisted shared mount named after its namespace",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolume", pv("domino-compute-shared")),
        config: { "storage-dynamic-only": { allowedPersistentVolumes: [{ name: "{name}-compute-shared", reason: "shared datasets" }] } },
        violation: null,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects a claim on a storage class that is not the deployment's",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolumeClaim", pvc("gp2")),
        violation: /uses storage class 'gp2'; allowed: domino-disk, domino-shared/,
        singleCause: true,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "rejects a claim that falls back to the cluster's default class",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolumeClaim", pvc()),
        violation: /\(cluster default\)/,
    },
    {
        rule: "storage-dynamic-only",
        behaviour: "accepts a claim on the deployment's block class",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:core/v1:PersistentVolumeClaim", pvc("domino-disk")),
        violation: null,
    },

    // node-pools-labeled-tainted
    { rule: "node-pools-labeled-tainted", behaviour: "passes GKE pools with labels, GPU taint and dedicated taint", stack: "prod-gcp", violation: null },
    { rule: "node-pools-labeled-tainted", behaviour: "passes EKS node groups in shared isolation", stack: "dev-aws", violation: null },
    {
        rule: "node-pools-labeled-tainted",
        behaviour: "rejects a GKE GPU pool without the GPU taint",
        stack: "prod-gcp",
        edit: (p) => (gkePool(p, "cluster-gpu").nodeConfig.taints = gkePool(p, "cluster-gpu").nodeConfig.taints.filter((t: { key: string }) => t.key !== "nvidia.com/gpu")),
        violation: /node pool 'cluster-gpu' \(node-pool resources\) is a GPU pool without the nvidia.com\/gpu taint/,
    },
    {
        rule: "node-pools-labeled-tainted",
        behaviour: "rejects a pool without the dedicated taint in dedicated isolation",
        stack: "prod-gcp",
        edit: (p) => (gkePool(p, "cluster-compute").nodeConfig.taints = []),
        violation: /'cluster-compute' .* lacks the dedicated taint dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        rule: "node-pools-labeled-tainted",
        behaviour: "rejects an EKS node group without Domino's labels",
        stack: "dev-aws",
        edit: (p) => (eksGroup(p, "cluster-compute").labels = {}),
        violation: /'cluster-compute' .* has no dominodatalab.com\/node-pool label/,
    },
    {
        rule: "node-pools-labeled-tainted",
        behaviour: "rejects a platform pool whose minimum is below the configured floor",
        stack: "prod-gcp",
        config: { "node-pools-labeled-tainted": { minPlatformNodes: 4 } },
        violation: /'cluster-platform' .* is the platform pool with minimum size 3, below 4/,
    },
    {
        rule: "node-pools-labeled-tainted",
        behaviour: "checks the declared pools of an adopted cluster from the tenancy model",
        stack: "local",
        edit: (p) => editModel(p, (doc) => (doc.pools.find((x: { role: string }) => x.role === "gpu").taints = [])),
        violation: /node pool 'gpu' \(tenancy model\) is a GPU pool without the nvidia.com\/gpu taint/,
    },

    // sysctls-safe
    { rule: "sysctls-safe", behaviour: "passes the allowlisted tuner on the platform pool", stack: "local", violation: null },
    {
        rule: "sysctls-safe",
        behaviour: "rejects a pod-level sysctl outside the safe set",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }]),
        violation: /sets sysctl kernel.msgmax, which is not in the safe set/,
        singleCause: true,
    },
    {
        rule: "sysctls-safe",
        behaviour: "accepts a safe pod-level sysctl",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").securityContext.sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }]),
        violation: null,
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
        violation: /can land on pool\(s\) compute, gpu, not only the platform pool/,
        singleCause: true,
    },
    {
        rule: "sysctls-safe",
        behaviour: "rejects a container that writes a node sysctl without being allowlisted",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").containers[0].command = ["sh", "-c", "sysctl -w net.core.somaxconn=4096 && exec agent"]),
        violation: /writes node-level sysctl net.core.somaxconn and is not an allowlisted writer/,
        singleCause: true,
    },
    {
        rule: "sysctls-safe",
        behaviour: "rejects the allowlisted writer writing a sysctl it is not allowlisted for",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "max-map-count").initContainers[0].command = ["sh", "-c", "echo 10 > /proc/sys/vm/swappiness"]),
        violation: /writes vm.swappiness; it is allowlisted for vm.max_map_count only/,
    },

    // workloads-land-on-domino-pools
    { rule: "workloads-land-on-domino-pools", behaviour: "passes a stack whose every pod lands on Domino's pools", stack: "local", violation: null },
    { rule: "workloads-land-on-domino-pools", behaviour: "passes the GKE stack against its node-pool resources", stack: "prod-gcp", violation: null },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload whose selector names no Domino label, so it spills onto other tenants' nodes",
        stack: "local",
        edit: (p) => (podSpec(p, "Job", "domino-installer").nodeSelector = { "kubernetes.io/os": "linux" }),
        violation: /Job domino-system\/domino-installer can land on nodes that are not Domino's/,
        singleCause: true,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload that matches no pool, so it never schedules",
        stack: "local",
        edit: (p) => (podSpec(p, "Job", "domino-installer").nodeSelector = { "dominodatalab.com/node-pool": "highmem" }),
        violation: /can land on none of Domino's pools, so it would never schedule/,
        singleCause: true,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a workload that does not tolerate the dedicated taint of its pool",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "image-cache-agent").tolerations = []),
        violation: /compute: it does not tolerate dominodatalab.com\/dedicated=domino:NoSchedule/,
        singleCause: true,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a device plugin that can land on non-GPU pools",
        stack: "local",
        edit: (p) => {
            const spec = podSpec(p, "DaemonSet", "nvidia-device-plugin");
            spec.nodeSelector = { "dominodatalab.com/domino-node": "true" };
        },
        violation: /is the GPU device plugin but can land on non-GPU pool\(s\) platform, compute/,
        singleCause: true,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "rejects a device plugin selecting only nvidia.com/gpu, a label other tenants' GPU nodes carry too",
        stack: "local",
        edit: (p) => (podSpec(p, "DaemonSet", "nvidia-device-plugin").nodeSelector = { "nvidia.com/gpu": "true" }),
        violation: /can land on nodes that are not Domino's/,
    },
    {
        rule: "workloads-land-on-domino-pools",
        behaviour: "accepts a new workload placed with the exported compute placement",
        stack: "local",
        edit: (p) => addObject(p, "kubernetes:apps/v1:DaemonSet", daemonSet("domino-compute", "helper", dominoScope({ containers: [wellBehavedContainer()] }))),
        violation: null,
    },

    // namespaces-quota-and-limits
    { rule: "namespaces-quota-and-limits", behaviour: "passes a compute namespace with quota and limits", stack: "local", violation: null },
    {
        rule: "namespaces-quota-and-limits",
        behaviour: "rejects a compute namespace without a ResourceQuota",
        stack: "local",
        edit: (p) => p.resources.splice(p.resources.findIndex((r) => r.type.endsWith(":ResourceQuota")), 1),
        violation: /namespace domino-compute runs user workloads but has no ResourceQuota/,
        singleCause: true,
    },
    {
        rule: "namespaces-quota-and-limits",
        behaviour: "rejects a compute namespace without a LimitRange",
        stack: "local",
        edit: (p) => p.resources.splice(p.resources.findIndex((r) => r.type.endsWith(":LimitRange")), 1),
        violation: /has no LimitRange/,
        singleCause: true,
    },
    {
        rule: "namespaces-quota-and-limits",
        behaviour: "rejects a quota that does not bound memory limits",
        stack: "local",
        edit: (p) => delete manifest(p, "ResourceQuota", "compute-quota").spec.hard["limits.memory"],
        violation: /does not bound limits.memory/,
    },

    // namespaces-default-deny
    { rule: "namespaces-default-deny", behaviour: "passes namespaces that each start closed", stack: "local", violation: null },
    {
        rule: "namespaces-default-deny",
        behaviour: "rejects a namespace without a default-deny ingress policy",
        stack: "local",
        edit: (p) => p.resources.splice(p.resources.indexOf(p.resources.find((r) => r.name === "domino-platform-default-deny-ingress")!), 1),
        violation: /Namespace domino-platform has no default-deny ingress NetworkPolicy/,
        singleCause: true,
    },
    {
        rule: "namespaces-default-deny",
        behaviour: "does not count a policy that selects only some pods as default-deny",
        stack: "local",
        edit: (p) => (manifest(p, "NetworkPolicy", "default-deny-ingress", "domino-system").spec.podSelector = { matchLabels: { app: "x" } }),
        violation: /Namespace domino-system has no default-deny/,
    },
];
