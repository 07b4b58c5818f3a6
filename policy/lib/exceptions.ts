// Exceptions: the few places where Domino's node-level agents must do what tenancy
// rules forbid everyone else. Each names its workload (`<namespace>/<name>`, where
// `{name}` stands for the deployment name the stack declares) and says why. The
// built-in defaults cover exactly what the core program deploys; a list given in
// `--policy-pack-config` extends them (rule.ts settings()), so adding an exception
// never drops one the core program needs.

import {
    devicePluginHostPath,
    devicePluginName,
    namespaceSuffixes,
    nodeAgentHostPaths,
    nodeAgentNames,
    nodeExporterPort,
    prefixed,
    sysctlInitContainerName,
    sysctlTunerName,
} from "@domino-tenancy/core";

export const deploymentPlaceholder = "{name}";

/** Replaces `{name}` with the deployment's name. */
export function expand(pattern: string, deploymentName: string): string {
    return pattern.split(deploymentPlaceholder).join(deploymentName);
}

/** Whether an exception's pattern (`{name}-node-agents/fluentd`) names this workload (`namespace/name`) of the deployment. */
export function matchesWorkload(pattern: string, deploymentName: string, workload: string): boolean {
    return expand(pattern, deploymentName) === workload;
}

const ns = (suffix: string): string => prefixed(deploymentPlaceholder, suffix);
const workload = (suffix: string, name: string): string => `${ns(suffix)}/${name}`;

export interface HostPathException {
    readonly workload: string;
    readonly path: string;
    readonly readOnly: boolean;
    readonly reason: string;
}

export interface PrivilegedException {
    readonly workload: string;
    readonly container: string;
    readonly reason: string;
}

export interface HostNamespaceException {
    readonly workload: string;
    readonly hostNetwork?: boolean;
    readonly hostPID?: boolean;
    readonly hostIPC?: boolean;
    readonly hostPorts?: readonly number[];
    readonly reason: string;
}

export interface NamespaceException {
    readonly namespace: string;
    readonly reason: string;
}

export interface ServiceException {
    readonly service: string;
    readonly types: readonly ("NodePort" | "LoadBalancer")[];
    readonly reason: string;
}

export interface PersistentVolumeException {
    readonly name: string;
    readonly reason: string;
}

export interface SysctlWriterException {
    readonly workload: string;
    readonly container: string;
    readonly sysctls: readonly string[];
    readonly reason: string;
}

const agents = namespaceSuffixes.nodeAgents;

export const defaultHostPaths: readonly HostPathException[] = [
    {
        workload: workload(agents, nodeAgentNames.fluentd),
        ...nodeAgentHostPaths.podLogs,
        reason: "fluentd ships every pod's logs, which the kubelet writes on the node",
    },
    {
        workload: workload(agents, nodeAgentNames.fluentd),
        ...nodeAgentHostPaths.containerLogs,
        reason: "fluentd follows the kubelet's per-container log links",
    },
    { workload: workload(agents, nodeAgentNames.nodeExporter), ...nodeAgentHostPaths.proc, reason: "node-exporter reads the node's kernel counters" },
    {
        workload: workload(agents, nodeAgentNames.nodeExporter),
        ...nodeAgentHostPaths.sys,
        reason: "node-exporter reads the node's hardware and cgroup counters",
    },
    {
        workload: workload(agents, nodeAgentNames.registryCerts),
        ...nodeAgentHostPaths.dockerCerts,
        reason: "Domino's registry certificate agent installs its registry's CA where the container runtime reads it; Domino's only writable hostPath",
    },
    {
        workload: workload(namespaceSuffixes.devicePlugin, devicePluginName),
        path: devicePluginHostPath,
        readOnly: false,
        reason: "NVIDIA's device plugin registers with the kubelet through a socket in this folder",
    },
];

export const defaultPrivileged: readonly PrivilegedException[] = [
    {
        workload: workload(namespaceSuffixes.nodeTuning, sysctlTunerName),
        container: sysctlInitContainerName,
        reason: "vm.max_map_count is a node-level sysctl: only a privileged init container can raise it for Elasticsearch; the long-running container is unprivileged",
    },
];

export const defaultHostNamespaces: readonly HostNamespaceException[] = [
    {
        workload: workload(agents, nodeAgentNames.nodeExporter),
        hostNetwork: true,
        hostPorts: [nodeExporterPort],
        reason: "node-exporter reports the node's own network interfaces, which only the host network namespace shows",
    },
];

export const defaultPrivilegedNamespaces: readonly NamespaceException[] = [
    { namespace: ns(agents), reason: "Domino's node agents mount host folders and node-exporter uses the host network; baseline forbids both" },
    { namespace: ns(namespaceSuffixes.devicePlugin), reason: "the device plugin mounts the kubelet's device-plugins folder; baseline forbids hostPath" },
    { namespace: ns(namespaceSuffixes.nodeTuning), reason: "the sysctl tuner's init container is privileged; baseline forbids it" },
];

export const defaultSysctlWriters: readonly SysctlWriterException[] = [
    {
        workload: workload(namespaceSuffixes.nodeTuning, sysctlTunerName),
        container: sysctlInitContainerName,
        sysctls: ["vm.max_map_count"],
        reason: "Elasticsearch, on the platform pool, needs vm.max_map_count of at least 262144",
    },
];

/** Pod-level sysctls Pod Security's baseline allows: namespaced and isolated per pod. */
export const safeSysctls: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
