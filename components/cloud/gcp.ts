// GKE: the cluster without its default pool (so every node belongs to a pool we
// label and taint), and one node pool per Domino pool. GPU pools get their
// accelerators with driver installation and an explicit GPU taint, because GKE adds
// one by itself only in some cases. vm.max_map_count is set through the node
// config of the platform pool: no privileged pod is needed on GKE.

import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/model";
import { type NodePool, recommendedLabels } from "@domino-tenancy/core";
import { gkeKubeconfig } from "./kubeconfig";
import { cloudTaints } from "./taints";
import type { ClusterHandle } from "./handle";

/** Node sysctls for a pool: only the platform pool, where Elasticsearch runs, and only in node-config mode. */
export function gkeSysctls(model: DeploymentModel, pool: NodePool): Record<string, string> | undefined {
    if (model.sysctl.mode !== "node-config" || pool.role !== "platform") return undefined;
    return { "vm.max_map_count": String(model.sysctl.maxMapCount) };
}

// GCP resource labels allow only lowercase letters, digits, '-' and '_'.
function gcpLabels(labels: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) out[k.replace(/[^a-z0-9_-]/g, "_")] = v.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
    return out;
}

export class GcpCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly clusterName: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly ready: pulumi.Resource[];

    constructor(name: string, model: DeploymentModel, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:gcp:GkeCluster", name, {}, opts);
        const c = model.cluster;
        const location = c.location as string;
        const resourceLabels = gcpLabels({ ...recommendedLabels(model.name, "cluster"), "domino-deployment": model.name });

        let endpoint: pulumi.Output<string>;
        let caData: pulumi.Output<string>;
        if (c.mode === "create") {
            const cluster = new gcp.container.Cluster(
                `${name}-gke`,
                {
                    name: c.name,
                    location,
                    project: c.project,
                    minMasterVersion: c.kubernetesVersion,
                    network: c.network,
                    subnetwork: c.subnetwork,
                    // Every node must belong to a pool we label and taint.
                    removeDefaultNodePool: true,
                    initialNodeCount: 1,
                    networkPolicy: { enabled: true, provider: "CALICO" },
                    addonsConfig: { networkPolicyConfig: { disabled: false } },
                    workloadIdentityConfig: c.project ? { workloadPool: `${c.project}.svc.id.goog` } : undefined,
                    deletionProtection: model.protect,
                    resourceLabels,
                },
                { parent: this, protect: model.protect },
            );
            this.clusterName = cluster.name;
            endpoint = cluster.endpoint;
            caData = cluster.masterAuth.apply((auth) => auth.clusterCaCertificate ?? "");
        } else {
            const existing = gcp.container.getClusterOutput({ name: c.name, location, project: c.project }, { parent: this });
            this.clusterName = existing.name.apply((n) => n ?? c.name);
            endpoint = existing.endpoint;
            caData = existing.masterAuths.apply((auths) => auths[0]?.clusterCaCertificate ?? "");
        }

        this.ready = model.pools.map(
            (pool) =>
                new gcp.container.NodePool(
                    `${name}-${pool.name}`,
                    {
                        name: pool.name,
                        cluster: this.clusterName,
                        location,
                        project: c.project,
                        initialNodeCount: pool.minSize,
                        autoscaling: { minNodeCount: pool.minSize, maxNodeCount: pool.maxSize },
                        management: { autoRepair: true, autoUpgrade: true },
                        nodeConfig: {
                            machineType: pool.machineType,
                            diskSizeGb: pool.diskSizeGb,
                            labels: { ...pool.labels },
                            taints: cloudTaints(pool),
                            resourceLabels,
                            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                            workloadMetadataConfig: { mode: "GKE_METADATA" },
                            guestAccelerators: pool.gpu?.type
                                ? [{ type: pool.gpu.type, count: pool.gpu.count, gpuDriverInstallationConfig: { gpuDriverVersion: pool.gpu.driver } }]
                                : undefined,
                            linuxNodeConfig: gkeSysctls(model, pool) ? { sysctls: gkeSysctls(model, pool) } : undefined,
                        },
                    },
                    // The autoscaler owns the node count once the pool exists.
                    { parent: this, protect: model.protect, ignoreChanges: ["initialNodeCount"] },
                ),
        );

        this.kubeconfig = pulumi.secret(
            pulumi.all([this.clusterName, endpoint, caData]).apply(([clusterName, ep, ca]) => gkeKubeconfig({ name: clusterName, endpoint: ep, caData: ca })),
        );
        this.registerOutputs({ clusterName: this.clusterName });
    }
}
