// The pods and services the behavioural probes dry-run create: compliant with every
// rule and with Pod Security `restricted`, so the one field a probe changes is the only
// thing that can be refused. In Domino's namespaces they select the compute pool and
// tolerate its taints (as a Domino run the placement policy repaired would).

import { poolsWithRole, tolerationsFor } from "@domino-tenancy/core";
import type { VerifyTarget } from "./target";

export interface PodSpecLike {
    nodeSelector?: Record<string, string>;
    tolerations?: Record<string, string>[];
    affinity?: Record<string, unknown>;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    securityContext?: Record<string, unknown>;
    volumes?: Record<string, unknown>[];
    containers: ContainerLike[];
    [field: string]: unknown;
}

export interface ContainerLike {
    name: string;
    image: string;
    securityContext: Record<string, unknown>;
    resources: Record<string, Record<string, string>>;
    ports?: Record<string, unknown>[];
    volumeMounts?: Record<string, unknown>[];
    [field: string]: unknown;
}

export interface PodObject {
    apiVersion: "v1";
    kind: "Pod";
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: PodSpecLike;
}

/** A pinned, tiny image every registry mirror has; a dry run never pulls it. */
export const probeImage = "registry.k8s.io/pause:3.10";
export const probeLabels = { "app.kubernetes.io/name": "tenancy-verify", "app.kubernetes.io/managed-by": "tenancy-verify" };

export function compliantContainer(): ContainerLike {
    return {
        name: "probe",
        image: probeImage,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: {
            requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
            limits: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
        },
    };
}

/** A compliant pod in `namespace`; in Domino's it is placed on the compute pool. */
export function compliantPod(target: VerifyTarget, namespace: string, name: string): PodObject {
    const spec: PodSpecLike = { automountServiceAccountToken: false, containers: [compliantContainer()] };
    const [compute] = poolsWithRole(target.pools, "compute");
    if (target.namespaces.all.includes(namespace) && compute) {
        spec.nodeSelector = { ...compute.labels };
        spec.tolerations = (compute.tolerations ?? tolerationsFor(compute.taints)).map((t) => ({ ...t }) as Record<string, string>);
    }
    return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: { ...probeLabels } }, spec };
}

export const podsPath = (namespace: string) => `/api/v1/namespaces/${namespace}/pods`;
