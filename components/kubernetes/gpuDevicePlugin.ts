// NVIDIA's device plugin as a typed DaemonSet (not a Helm chart, so policies see
// every field), scoped to GPU pools only: NVIDIA's own manifest has no node
// selector and would land on every node that tolerates it.

import type { Manifest } from "./manifest";
import {
    container,
    devicePluginHostPath,
    devicePluginName,
    hostPath,
    type NodePool,
    placeOn,
    podSpec,
    poolsWithRole,
    recommendedLabels,
} from "@domino-tenancy/core";
import { dominoNamespace } from "./namespace";

export interface GpuDevicePluginArgs {
    /** Domino's deployment name: labels and the namespace's deployment label. */
    readonly deploymentName: string;
    /** The plugin's own namespace (it needs a privileged Pod Security exception). */
    readonly namespace: string;
    /** Every Domino pool; the plugin lands on those with role gpu. */
    readonly pools: readonly NodePool[];
    /** Whether the program runs the plugin, and its image. */
    readonly devicePlugin: { readonly enabled: boolean; readonly image: string };
}

/** Manifests for the device plugin, or none where it is off or there is no GPU pool. */
export function buildGpuDevicePlugin(args: GpuDevicePluginArgs): Manifest[] {
    const { deploymentName, namespace, pools } = args;
    const gpuPools = poolsWithRole(pools, "gpu");
    if (!args.devicePlugin.enabled || gpuPools.length === 0) return [];
    const labels = recommendedLabels(deploymentName, devicePluginName);
    const selector = { "app.kubernetes.io/name": devicePluginName, "app.kubernetes.io/instance": deploymentName };
    const socketDir = hostPath({ name: "device-plugins", path: devicePluginHostPath, readOnly: false });
    return [
        ...dominoNamespace({
            deploymentName,
            name: namespace,
            component: "device-plugin",
            podSecurity: {
                enforce: "privileged",
                warn: "privileged",
                exception: `NVIDIA's device plugin must write its socket into the host folder ${devicePluginHostPath}; baseline forbids hostPath`,
            },
        }),
        {
            kind: "DaemonSet",
            metadata: { name: devicePluginName, namespace, labels },
            spec: {
                selector: { matchLabels: selector },
                updateStrategy: { type: "RollingUpdate" },
                template: {
                    metadata: { labels: { ...labels, ...selector } },
                    spec: podSpec({
                        placement: placeOn(gpuPools, pools),
                        // Losing the plugin takes every GPU off the node: it outranks ordinary pods.
                        priorityClassName: "system-node-critical",
                        containers: [
                            container({
                                name: devicePluginName,
                                image: args.devicePlugin.image,
                                // The plugin registers with the kubelet over a root-owned socket.
                                runAsUser: 0,
                                env: [{ name: "FAIL_ON_INIT_ERROR", value: "false" }],
                                requests: { cpu: "50m", memory: "64Mi" },
                                limits: { cpu: "200m", memory: "128Mi" },
                                mounts: [socketDir.mount],
                            }),
                        ],
                        volumes: [socketDir.volume],
                    }),
                },
            },
        },
    ];
}
