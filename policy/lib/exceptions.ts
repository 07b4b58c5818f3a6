// Exceptions: the few places where the node-level agents this program deploys (the
// GPU device plugin and the sysctl tuner) must do what tenancy rules forbid everyone else. Each names its workload (`<namespace>/<name>`, where
// `{name}` stands for the deployment name the stack declares) and says why. The
// built-in defaults cover exactly what the core program deploys; a list given in
// `--policy-pack-config` extends them (rule.ts settings()), so adding an exception
// never drops one the core program needs.

import { devicePluginHostPath, devicePluginName, namespaceSuffixes, prefixed, sysctlInitContainerName, sysctlTunerName } from "@domino-tenancy/core";

export const deploymentPlaceholder = "{name}";

/** Replaces `{name}` with the deployment's name. */
export function expand(pattern: string, deploymentName: string): string {
    return pattern.split(deploymentPlaceholder).join(deploymentName);
}

/** Whether an exception's pattern (`{name}-device-plugin/nvidia-device-plugin`) names this workload (`namespace/name`) of the deployment. */
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

export const defaultHostPaths: readonly HostPathException[] = [
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

/** None by default: nothing this program deploys shares a host namespace; stacks may add their own. */
export const defaultHostNamespaces: readonly HostNamespaceException[] = [];

export const defaultPrivilegedNamespaces: readonly NamespaceException[] = [
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

/**
 * The one named exception for Domino's Platform Operator chart: its unprefixed
 * cluster-scoped objects (core's operatorOwnObjects: the PriorityClass `domino-operator`,
 * the `platform-operator-*` ClusterRoles and bindings, the two `operator.domino.ai` CRDs),
 * by kind and name, and only when they come from the chart. At preview that is the
 * resource's place in the stack: its URN shows it is a child of the chart component the
 * PlatformOperator component registers, which nothing outside this program can be. At
 * admission it is who asks (policy/rules/cluster-scoped-names-prefixed/admission.ts):
 * the operator's own service account; labels would not do, anyone can write them. The
 * stack that installs the operator owns them; a stack sharing it has none.
 */
export const operatorChartException = {
    name: "platform-operator-chart",
    reason: "Domino's Platform Operator chart fixes these names (the PriorityClass is an argument of the operator, CRD names follow their group); one operator serves every deployment in the cluster, so the stack that installs it owns them",
} as const;

/** The qualified type of the operator chart's children, up to their own type: PlatformOperator, then its helm.v4.Chart. */
export const operatorChartChildOf = "domino-tenancy:index:PlatformOperator$kubernetes:helm.sh/v4:Chart$";

/** Whether a resource is a child of the operator's chart component (`urn:pulumi:<stack>::<project>::<qualified type>::<name>`). */
export function fromOperatorChart(r: { readonly urn: string; readonly type: string }): boolean {
    const qualifiedType = r.urn.split("::")[2] ?? "";
    return qualifiedType.endsWith(`${operatorChartChildOf}${r.type}`);
}

/** Whether a resource is a direct child of the PlatformOperator component (the operator's namespace grants). */
export function fromPlatformOperator(r: { readonly urn: string; readonly type: string }): boolean {
    const qualifiedType = r.urn.split("::")[2] ?? "";
    return qualifiedType.endsWith(`domino-tenancy:index:PlatformOperator$${r.type}`);
}
