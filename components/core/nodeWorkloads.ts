// Names, host folders and ports of Domino's node-level workloads: the few objects
// that touch the node itself. Pure constants, so the policy pack's built-in
// exceptions name exactly what the components deploy.

export const nodeAgentNames = {
    fluentd: "fluentd",
    nodeExporter: "prometheus-node-exporter",
    imageCacheAgent: "image-cache-agent",
    registryCerts: "registry-certs",
} as const;

/** Host folders the agents mount, and how: the whole hostPath footprint of Domino. */
export const nodeAgentHostPaths = {
    podLogs: { path: "/var/log/pods", readOnly: true },
    containerLogs: { path: "/var/log/containers", readOnly: true },
    proc: { path: "/proc", readOnly: true },
    sys: { path: "/sys", readOnly: true },
    // The one writable host folder: where the container runtime looks for registry CAs.
    dockerCerts: { path: "/etc/docker/certs.d", readOnly: false },
} as const;

export const nodeExporterPort = 9100;

export const devicePluginName = "nvidia-device-plugin";
/** The only host folder it touches: where the kubelet expects device-plugin sockets. */
export const devicePluginHostPath = "/var/lib/kubelet/device-plugins";

export const sysctlTunerName = "max-map-count";
export const sysctlInitContainerName = "set-max-map-count";
