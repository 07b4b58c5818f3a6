// Domino's four node-level DaemonSets, as Domino's multi-tenancy guidance lists
// them, each limited to Domino's own nodes with requests and limits. They live in
// their own namespace because three of them need hostPath, which baseline Pod
// Security forbids; the rest of Domino keeps baseline or stricter.

import type { Manifest } from "./manifest";
import type { DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import {
    container,
    hostPath,
    nodeAgentHostPaths,
    nodeAgentNames,
    nodeExporterPort,
    type Namespaces,
    type NodePool,
    Placement,
    placeOn,
    podSpec,
    poolsWithRole,
    prefixed,
    recommendedLabels,
    scratch,
} from "@domino-tenancy/core";

export interface NodeAgentsArgs {
    /** Domino's deployment name: labels, prefixes and the namespace's deployment label. */
    readonly deploymentName: string;
    /** Domino's version: the agents' version label. */
    readonly version: string;
    /** The agents' own namespace (their hostPath needs a privileged Pod Security exception). */
    readonly namespace: string;
    /** Domino's platform and compute namespaces: the log shipper reads their pods; the registry lives in platform. */
    readonly namespaceNames: Pick<Namespaces, "platform" | "compute">;
    /** Every Domino pool: the agents' placement. */
    readonly pools: readonly NodePool[];
    readonly images: DeploymentModel["images"];
    /** Run the node exporter. */
    readonly prometheusMetrics: boolean;
    /** Run the image cache agent on the pools where runs execute. */
    readonly imageCaching: boolean;
    /** Run the registry-certificate agent. */
    readonly certificateManagement: boolean;
}

interface DaemonSetArgs {
    readonly name: string;
    readonly placement: Placement;
    readonly spec: Omit<Parameters<typeof podSpec>[0], "placement" | "priorityClassName">;
}

function daemonSet(args: NodeAgentsArgs, ds: DaemonSetArgs): Manifest {
    const labels = recommendedLabels(args.deploymentName, ds.name, args.version);
    const selector = { "app.kubernetes.io/name": ds.name, "app.kubernetes.io/instance": args.deploymentName };
    return {
        kind: "DaemonSet",
        metadata: { name: ds.name, namespace: args.namespace, labels },
        spec: {
            selector: { matchLabels: selector },
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
            template: {
                metadata: { labels: { ...labels, ...selector } },
                spec: podSpec({ ...ds.spec, placement: ds.placement, priorityClassName: prefixed(args.deploymentName, "node-agent") }),
            },
        },
    };
}

function fluentd(args: NodeAgentsArgs, everywhere: Placement): Manifest[] {
    const ns = args.namespace;
    const labels = recommendedLabels(args.deploymentName, nodeAgentNames.fluentd);
    const podLogs = hostPath({ name: "pod-logs", ...nodeAgentHostPaths.podLogs });
    const containerLogs = hostPath({ name: "container-logs", ...nodeAgentHostPaths.containerLogs });
    const positions = scratch("positions", "/fluentd/pos");
    const tmp = scratch("tmp", "/tmp");
    // Log metadata only for Domino's own namespaces: a RoleBinding per namespace, never cluster-wide.
    const bindings: Manifest[] = [args.namespaceNames.platform, args.namespaceNames.compute].map((target) => ({
        kind: "RoleBinding",
        metadata: { name: prefixed(args.deploymentName, "fluentd-pod-reader"), namespace: target, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: prefixed(args.deploymentName, "pod-reader") },
        subjects: [{ kind: "ServiceAccount", name: nodeAgentNames.fluentd, namespace: ns }],
    }));
    return [
        { kind: "ServiceAccount", metadata: { name: nodeAgentNames.fluentd, namespace: ns, labels } },
        ...bindings,
        daemonSet(args, {
            name: nodeAgentNames.fluentd,
            placement: everywhere,
            spec: {
                serviceAccountName: nodeAgentNames.fluentd,
                automountServiceAccountToken: true,
                containers: [
                    container({
                        name: nodeAgentNames.fluentd,
                        image: args.images.fluentd,
                        // Log files are root-owned; reading them needs uid 0 but no capability.
                        runAsUser: 0,
                        env: [{ name: "FLUENTD_WATCH_NAMESPACES", value: `${args.namespaceNames.platform},${args.namespaceNames.compute}` }],
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

function nodeExporter(args: NodeAgentsArgs, everywhere: Placement): Manifest[] {
    if (!args.prometheusMetrics) return [];
    const ns = args.namespace;
    const labels = recommendedLabels(args.deploymentName, nodeAgentNames.nodeExporter);
    const proc = hostPath({ name: "proc", ...nodeAgentHostPaths.proc, mountPath: "/host/proc" });
    const sys = hostPath({ name: "sys", ...nodeAgentHostPaths.sys, mountPath: "/host/sys" });
    return [
        daemonSet(args, {
            name: nodeAgentNames.nodeExporter,
            placement: everywhere,
            spec: {
                // Node network statistics are only visible from the host's network namespace.
                hostNetwork: true,
                containers: [
                    container({
                        name: "node-exporter",
                        image: args.images.nodeExporter,
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
                selector: { "app.kubernetes.io/name": nodeAgentNames.nodeExporter, "app.kubernetes.io/instance": args.deploymentName },
                ports: [{ name: "metrics", port: nodeExporterPort, targetPort: nodeExporterPort, protocol: "TCP" }],
            },
        },
    ];
}

function imageCacheAgent(args: NodeAgentsArgs): Manifest[] {
    if (!args.imageCaching) return [];
    // Image caching serves Domino runs: only the pools where runs execute.
    const computePools = poolsWithRole(args.pools, "compute", "gpu");
    const cache = scratch("cache", "/var/cache/image-cache-agent", "1Gi");
    return [
        daemonSet(args, {
            name: nodeAgentNames.imageCacheAgent,
            placement: placeOn(computePools, args.pools),
            spec: {
                containers: [
                    container({
                        name: nodeAgentNames.imageCacheAgent,
                        image: args.images.imageCacheAgent,
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

function registryCerts(args: NodeAgentsArgs, everywhere: Placement): Manifest[] {
    if (!args.certificateManagement) return [];
    const certs = hostPath({ name: "docker-certs", ...nodeAgentHostPaths.dockerCerts, type: "DirectoryOrCreate" });
    return [
        daemonSet(args, {
            name: nodeAgentNames.registryCerts,
            placement: everywhere,
            spec: {
                containers: [
                    container({
                        name: nodeAgentNames.registryCerts,
                        image: args.images.registryCerts,
                        // The certs folder is root-owned: uid 0 may write it without any capability.
                        runAsUser: 0,
                        env: [{ name: "REGISTRY_HOST", value: `docker-registry.${args.namespaceNames.platform}.svc` }],
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

export function buildNodeAgents(args: NodeAgentsArgs): Manifest[] {
    const everywhere = placeOn(args.pools, args.pools);
    return [
        ...dominoNamespace({
            deploymentName: args.deploymentName,
            name: args.namespace,
            component: "node-agents",
            podSecurity: {
                enforce: "privileged",
                warn: "baseline",
                exception:
                    "Domino's log shipper, node exporter and registry-certificate agent read or write host folders (hostPath) and the exporter uses the host network; baseline forbids both",
            },
        }),
        ...fluentd(args, everywhere),
        ...nodeExporter(args, everywhere),
        ...imageCacheAgent(args),
        ...registryCerts(args, everywhere),
    ];
}
