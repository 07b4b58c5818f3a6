// Building blocks for pod templates. Safe settings are the defaults: non-root,
// no privilege escalation, every capability dropped, read-only root filesystem,
// requests and limits always present. Anything less safe is asked for by name.

import type * as k8s from "@pulumi/kubernetes";
import type { Placement } from "./nodePools";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

export interface Resources {
    readonly cpu: string;
    readonly memory: string;
}

export interface ContainerArgs {
    readonly name: string;
    readonly image: string;
    readonly command?: string[];
    readonly args?: string[];
    /** Requests; memory is also the limit, so a node is never overcommitted on memory by us. */
    readonly requests: Resources;
    /** @default cpu: 4x the request, memory: the request */
    readonly limits?: Partial<Resources>;
    readonly ports?: { name: string; containerPort: number }[];
    readonly mounts?: VolumeMount[];
    /** Explicit reason-bearing exceptions to the restricted defaults. */
    readonly privileged?: boolean;
    /** @default 65534 (nobody) */
    readonly runAsUser?: number;
    readonly env?: { name: string; value: string }[];
}

function scaleCpu(cpu: string, factor: number): string {
    const milli = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    return `${milli * factor}m`;
}

export function securityContext(args: Pick<ContainerArgs, "privileged" | "runAsUser">): SecurityContext {
    if (args.privileged) {
        // Only for writing node-level kernel settings; the caller names the reason.
        return { privileged: true, runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true };
    }
    return {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: args.runAsUser !== 0,
        runAsUser: args.runAsUser ?? 65534,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function container(args: ContainerArgs): Container {
    return {
        name: args.name,
        image: args.image,
        imagePullPolicy: "IfNotPresent",
        ...(args.command ? { command: args.command } : {}),
        ...(args.args ? { args: args.args } : {}),
        ...(args.env ? { env: args.env } : {}),
        ...(args.ports ? { ports: args.ports.map((p) => ({ ...p, protocol: "TCP" })) } : {}),
        resources: {
            requests: { cpu: args.requests.cpu, memory: args.requests.memory },
            limits: {
                cpu: args.limits?.cpu ?? scaleCpu(args.requests.cpu, 4),
                memory: args.limits?.memory ?? args.requests.memory,
            },
        },
        securityContext: securityContext(args),
        ...(args.mounts ? { volumeMounts: args.mounts } : {}),
    };
}

export interface HostPathArgs {
    readonly name: string;
    readonly path: string;
    readonly readOnly: boolean;
    readonly type?: "Directory" | "DirectoryOrCreate" | "File" | "Socket";
    /** Where the container sees it; @default the host path itself. */
    readonly mountPath?: string;
}

/** A hostPath volume and its mount, declared together so readOnly is never forgotten. */
export function hostPath(args: HostPathArgs): { volume: Volume; mount: VolumeMount } {
    return {
        volume: { name: args.name, hostPath: { path: args.path, type: args.type ?? "Directory" } },
        mount: { name: args.name, mountPath: args.mountPath ?? args.path, readOnly: args.readOnly },
    };
}

/** The scheduling fields of a pod spec for a placement. */
export function scheduling(placement: Placement): Pick<PodSpec, "nodeSelector" | "affinity" | "tolerations"> {
    return {
        nodeSelector: placement.nodeSelector,
        ...(placement.requiredNodeAffinity
            ? {
                  affinity: {
                      nodeAffinity: {
                          requiredDuringSchedulingIgnoredDuringExecution: {
                              nodeSelectorTerms: [{ matchExpressions: placement.requiredNodeAffinity }],
                          },
                      },
                  },
              }
            : {}),
        tolerations: placement.tolerations,
    };
}

export interface PodSpecArgs {
    readonly placement: Placement;
    readonly containers: Container[];
    readonly initContainers?: Container[];
    readonly volumes?: Volume[];
    readonly serviceAccountName?: string;
    readonly priorityClassName?: string;
    readonly hostNetwork?: boolean;
    readonly restartPolicy?: "Always" | "OnFailure" | "Never";
    /** @default false: most of our pods never call the API. */
    readonly automountServiceAccountToken?: boolean;
}

export function podSpec(args: PodSpecArgs): PodSpec {
    return {
        ...scheduling(args.placement),
        ...(args.serviceAccountName ? { serviceAccountName: args.serviceAccountName } : {}),
        automountServiceAccountToken: args.automountServiceAccountToken ?? false,
        ...(args.priorityClassName ? { priorityClassName: args.priorityClassName } : {}),
        ...(args.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
        ...(args.restartPolicy ? { restartPolicy: args.restartPolicy } : {}),
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        ...(args.initContainers ? { initContainers: args.initContainers } : {}),
        containers: args.containers,
        ...(args.volumes ? { volumes: args.volumes } : {}),
    };
}

/** A writable scratch folder for a container whose root filesystem is read-only. */
export function scratch(name: string, mountPath: string, sizeLimit = "64Mi"): { volume: Volume; mount: VolumeMount } {
    return { volume: { name, emptyDir: { sizeLimit } }, mount: { name, mountPath } };
}
