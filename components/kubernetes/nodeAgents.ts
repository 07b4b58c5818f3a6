// Domino's four node-level DaemonSets, as Domino's multi-tenancy guidance lists
// them, each limited to Domino's own nodes with requests and limits. They live in
// their own namespace because three of them need hostPath, which baseline Pod
// Security forbids; the rest of Domino keeps baseline or stricter.

import type { Manifest } from "./manifest";
import type { DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import { container, hostPath, nodeAgentHostPaths, nodeAgentNames, nodeExporterPort, Placement, placeOn, podSpec, poolsWithRole, prefixed, recommendedLabels, scratch } from "@domino-tenancy/core";

interface DaemonSetArgs {
    readonly name: string;
    readonly placement: Placement;
    readonly spec: Omit<Parameters<typeof podSpec>[0], "placement" | "priorityClassName">;
}

function daemonSet(model: DeploymentModel, args: DaemonSetArgs): Manifest {
    const labels = recommendedLabels(model.name, args.name, model.version);
    const selector = { "app.kubernetes.io/name": args.name, "app.kubernetes.io/instance": model.name };
    return {
        kind: "DaemonSet",
        metadata: { name: args.name, namespace: model.namespaces.nodeAgents, labels },
        spec: {
            selector: { matchLabels: selector },
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
            template: {
                metadata: { labels: { ...labels, ...selector } },
                spec: podSpec({ ...args.spec, placement: args.placement, priorityClassName: prefixed(model.name, "node-agent") }),
            },
        },
    };
}

function fluentd(model: DeploymentModel, everywhere: Placement): Manifest[] {
    const ns = model.namespaces.nodeAgents;
    const labels = recommendedLabels(model.name, nodeAgentNames.fluentd);
    const podLogs = hostPath({ name: "pod-logs", ...nodeAgentHostPaths.podLogs });
    const containerLogs = hostPath({ name: "container-logs", ...nodeAgentHostPaths.containerLogs });
    const positions = scratch("positions", "/fluentd/pos");
    const tmp = scratch("tmp", "/tmp");
    // Log metadata only for Domino's own namespaces: a RoleBinding per namespace, never cluster-wide.
    const bindings: Manifest[] = [model.namespaces.platform, model.namespaces.compute].map((target) => ({
        kind: "RoleBinding",
        metadata: { name: prefixed(model.name, "fluentd-pod-reader"), namespace: target, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(model.name, "pod-reader") },
        subjects: [{ kind: "ServiceAccount", name: nodeAgentNames.fluentd, namespace: ns }],
    }));
    return [
        { kind: "ServiceAccount", metadata: { name: nodeAgentNames.fluentd, namespace: ns, labels } },
        ...bindings,
        daemonSet(model, {
            name: nodeAgentNames.fluentd,
            placement: everywhere,
            spec: {
                serviceAccountName: nodeAgentNames.fluentd,
                automountServiceAccountToken: true,
                containers: [
                    container({
                        name: nodeAgentNames.fluentd,
                        image: model.images.fluentd,
                        // Log files are root-owned; reading them needs uid 0 but no capability.
                        runAsUser: 0,
                        env: [{ name: "FLUENTD_WATCH_NAMESPACES", value: `${model.namespaces.platform},${model.namespaces.compute}` }],
                        requests: { cpu: "100m", memory: "256Mi" },
                        limits: { cpu: "500m", memory: "512Mi" },
                        mounts: [podLogs.mount, containerLogs.mount, positions.mount, tmp.mount],
                    }),
                ],
                volumes: [podLogs.volume, containerLogs.volume, positions.volume, tmp.volume],
            },
        }),
    ];
}

function nodeExporter(model: DeploymentModel, everywhere: Placement): Manifest[] {
    if (!model.prometheusMetrics) return [];
    const ns = model.namespaces.nodeAgents;
    const labels = recommendedLabels(model.name, nodeAgentNames.nodeExporter);
    const proc = hostPath({ name: "proc", ...nodeAgentHostPaths.proc, mountPath: "/host/proc" });
    const sys = hostPath({ name: "sys", ...nodeAgentHostPaths.sys, mountPath: "/host/sys" });
    return [
        daemonSet(model, {
            name: nodeAgentNames.nodeExporter,
            placement: everywhere,
            spec: {
                // Node network statistics are only visible from the host's network namespace.
                hostNetwork: true,
                containers: [
                    container({
                        name: "node-exporter",
                        image: model.images.nodeExporter,
                        args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", `--web.listen-address=:${nodeExporterPort}`],
                        ports: [{ name: "metrics", containerPort: nodeExporterPort }],
                        requests: { cpu: "50m", memory: "64Mi" },
                        limits: { cpu: "250m", memory: "128Mi" },
                        mounts: [proc.mount, sys.mount],
                    }),
                ],
                volumes: [proc.volume, sys.volume],
            },
        }),
        {
            kind: "Service",
            metadata: { name: nodeAgentNames.nodeExporter, namespace: ns, labels },
            spec: {
                type: "ClusterIP",
                clusterIP: "None",
                selector: { "app.kubernetes.io/name": nodeAgentNames.nodeExporter, "app.kubernetes.io/instance": model.name },
                ports: [{ name: "metrics", port: nodeExporterPort, targetPort: nodeExporterPort, protocol: "TCP" }],
            },
        },
    ];
}

function imageCacheAgent(model: DeploymentModel): Manifest[] {
    if (!model.imageCaching) return [];
    // Image caching serves Domino runs: only the pools where runs execute.
    const computePools = poolsWithRole(model.pools, "compute", "gpu");
    const cache = scratch("cache", "/var/cache/image-cache-agent", "1Gi");
    return [
        daemonSet(model, {
            name: nodeAgentNames.imageCacheAgent,
            placement: placeOn(computePools, model.pools),
            spec: {
                containers: [
                    container({
                        name: nodeAgentNames.imageCacheAgent,
                        image: model.images.imageCacheAgent,
                        requests: { cpu: "50m", memory: "128Mi" },
                        limits: { cpu: "500m", memory: "256Mi" },
                        mounts: [cache.mount],
                    }),
                ],
                volumes: [cache.volume],
            },
        }),
    ];
}

function registryCerts(model: DeploymentModel, everywhere: Placement): Manifest[] {
    if (!model.certificateManagement) return [];
    const certs = hostPath({ name: "docker-certs", ...nodeAgentHostPaths.dockerCerts, type: "DirectoryOrCreate" });
    return [
        daemonSet(model, {
            name: nodeAgentNames.registryCerts,
            placement: everywhere,
            spec: {
                containers: [
                    container({
                        name: nodeAgentNames.registryCerts,
                        image: model.images.registryCerts,
                        // The certs folder is root-owned: uid 0 may write it without any capability.
                        runAsUser: 0,
                        env: [{ name: "REGISTRY_HOST", value: `docker-registry.${model.namespaces.platform}.svc` }],
                        requests: { cpu: "10m", memory: "32Mi" },
                        limits: { cpu: "100m", memory: "64Mi" },
                        mounts: [certs.mount],
                    }),
                ],
                volumes: [certs.volume],
            },
        }),
    ];
}

export function buildNodeAgents(model: DeploymentModel): Manifest[] {
    const everywhere = placeOn(model.pools, model.pools);
    return [
        ...dominoNamespace(model, {
            name: model.namespaces.nodeAgents,
            component: "node-agents",
            podSecurity: {
                enforce: "privileged",
                warn: "baseline",
                exception: "Domino's log shipper, node exporter and registry-certificate agent read or write host folders (hostPath) and the exporter uses the host network; baseline forbids both",
            },
        }),
        ...fluentd(model, everywhere),
        ...nodeExporter(model, everywhere),
        ...imageCacheAgent(model),
        ...registryCerts(model, everywhere),
    ];
}
