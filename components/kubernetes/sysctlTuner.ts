// vm.max_map_count for Elasticsearch, with the least privilege the cloud allows.
// Where the node config can set it (GKE) or the image already does (EKS AL2023)
// this builds nothing. Otherwise a DaemonSet on the platform pool only: a
// privileged init container writes the value once, then an unprivileged pause
// container keeps the pod alive so the DaemonSet controller does not loop.

import type { Manifest } from "./manifest";
import type { DeploymentModel } from "../model/model";
import { dominoNamespace } from "./namespace";
import { container, placeOn, podSpec, poolsWithRole, recommendedLabels, sysctlInitContainerName, sysctlTunerName } from "@domino-tenancy/core";

export function buildSysctlTuner(model: DeploymentModel): Manifest[] {
    if (model.sysctl.mode !== "daemonset") return [];
    const namespace = model.namespaces.nodeTuning;
    const labels = recommendedLabels(model.name, sysctlTunerName);
    const selector = { "app.kubernetes.io/name": sysctlTunerName, "app.kubernetes.io/instance": model.name };
    // Elasticsearch runs on the platform pool: nowhere else needs the setting.
    const platform = poolsWithRole(model.pools, "platform");
    return [
        ...dominoNamespace(model, {
            name: namespace,
            component: "node-tuning",
            podSecurity: {
                enforce: "privileged",
                warn: "privileged",
                exception: `vm.max_map_count is a node-level sysctl; only a privileged init container can write it (${model.sysctl.reason})`,
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
                        placement: placeOn(platform, model.pools),
                        initContainers: [
                            container({
                                name: sysctlInitContainerName,
                                image: model.sysctl.initImage,
                                // Raise only: a node that already allows more keeps its value.
                                command: [
                                    "sh",
                                    "-c",
                                    `cur=$(sysctl -n vm.max_map_count); if [ "$cur" -lt ${model.sysctl.maxMapCount} ]; then sysctl -w vm.max_map_count=${model.sysctl.maxMapCount}; fi`,
                                ],
                                privileged: true,
                                requests: { cpu: "10m", memory: "16Mi" },
                                limits: { cpu: "100m", memory: "32Mi" },
                            }),
                        ],
                        containers: [
                            container({
                                name: "pause",
                                image: model.sysctl.pauseImage,
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
