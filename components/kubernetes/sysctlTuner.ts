// vm.max_map_count for Elasticsearch, with the least privilege the cloud allows.
// Where the node config can set it (GKE) or the image already does (EKS AL2023)
// this builds nothing. Otherwise a DaemonSet on the platform pool only: a
// privileged init container writes the value once, then an unprivileged pause
// container keeps the pod alive so the DaemonSet controller does not loop.

import type { Manifest } from "./manifest";
import type { DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import { container, type NodePool, placeOn, podSpec, poolsWithRole, recommendedLabels, sysctlInitContainerName, sysctlTunerName } from "@domino-tenancy/core";

export interface SysctlTunerArgs {
    /** Domino's deployment name: labels and the namespace's deployment label. */
    readonly deploymentName: string;
    /** The tuner's own namespace (it needs a privileged Pod Security exception). */
    readonly namespace: string;
    /** Every Domino pool; the tuner lands on the platform pool. */
    readonly pools: readonly NodePool[];
    /** How vm.max_map_count is set; the tuner exists only in daemonset mode. */
    readonly sysctl: DeploymentModel["sysctl"];
}

export function buildSysctlTuner(args: SysctlTunerArgs): Manifest[] {
    const { deploymentName, namespace, pools, sysctl } = args;
    if (sysctl.mode !== "daemonset") return [];
    const labels = recommendedLabels(deploymentName, sysctlTunerName);
    const selector = { "app.kubernetes.io/name": sysctlTunerName, "app.kubernetes.io/instance": deploymentName };
    // Elasticsearch runs on the platform pool: nowhere else needs the setting.
    const platform = poolsWithRole(pools, "platform");
    return [
        ...dominoNamespace({
            deploymentName,
            name: namespace,
            component: "node-tuning",
            podSecurity: {
                enforce: "privileged",
                warn: "privileged",
                exception: `vm.max_map_count is a node-level sysctl; only a privileged init container can write it (${sysctl.reason})`,
            },
        }),
        {
            kind: "DaemonSet",
            metadata: { name: sysctlTunerName, namespace, labels },
            spec: {
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels: { ...labels, ...selector } },
                    spec: podSpec({
                        placement: placeOn(platform, pools),
                        initContainers: [
                            container({
                                name: sysctlInitContainerName,
                                image: sysctl.initImage,
                                // Raise only: a node that already allows more keeps its value.
                                command: [
                                    "sh",
                                    "-c",
                                    `cur=$(sysctl -n vm.max_map_count); if [ "$cur" -lt ${sysctl.maxMapCount} ]; then sysctl -w vm.max_map_count=${sysctl.maxMapCount}; fi`,
                                ],
                                privileged: true,
                                requests: { cpu: "10m", memory: "16Mi" },
                                limits: { cpu: "100m", memory: "32Mi" },
                            }),
                        ],
                        containers: [
                            container({
                                name: "pause",
                                image: sysctl.pauseImage,
                                requests: { cpu: "5m", memory: "8Mi" },
                                limits: { cpu: "20m", memory: "16Mi" },
                            }),
                        ],
                    }),
                },
            },
        },
    ];
}
