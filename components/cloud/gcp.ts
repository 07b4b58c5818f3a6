// GKE: the cluster without its default pool (so every node belongs to a pool we
// label and taint), and one node pool per Domino pool. GPU pools get their
// accelerators with driver installation and an explicit GPU taint, because GKE adds
// one by itself only in some cases. vm.max_map_count is set through the node
// config of the platform pool: no privileged pod is needed on GKE.

import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel, GcpClusterModel } from "../model/model";
import { type NodePool, recommendedLabels } from "@domino-tenancy/core";
import { gkeKubeconfig } from "./kubeconfig";
import { cloudTaints } from "./taints";
import type { ClusterHandle } from "./handle";

/** What GKE needs of the model's sysctl choice: node config sets it only in node-config mode. */
export type GkeSysctl = Pick<DeploymentModel["sysctl"], "mode" | "maxMapCount">;

export interface GcpClusterArgs {
    /** The GKE cluster and its sized pools. */
    readonly cluster: GcpClusterModel;
    /** Domino's deployment name: labels every GCP resource. */
    readonly deploymentName: string;
    /** Refuse deletion of the cluster and its node pools (prod). */
    readonly protect: boolean;
    /** vm.max_map_count, set through the platform pool's node config in node-config mode. */
    readonly sysctl: GkeSysctl;
}

/** Node sysctls for a pool: only the platform pool, where Elasticsearch runs, and only in node-config mode. */
export function gkeSysctls(sysctl: GkeSysctl, pool: NodePool): Record<string, string> | undefined {
    if (sysctl.mode !== "node-config" || pool.role !== "platform") return undefined;
    return { "vm.max_map_count": String(sysctl.maxMapCount) };
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

    constructor(name: string, args: GcpClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:gcp:GkeCluster", name, {}, opts);
        const { cluster: c, protect } = args;
        const location = c.location;
        const resourceLabels = gcpLabels({ ...recommendedLabels(args.deploymentName, "cluster"), "domino-deployment": args.deploymentName });

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
                    deletionProtection: protect,
                    resourceLabels,
                },
                { parent: this, protect: protect },
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

        this.ready = c.pools.map(
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
                            linuxNodeConfig: gkeSysctls(args.sysctl, pool) ? { sysctls: gkeSysctls(args.sysctl, pool) } : undefined,
                        },
                    },
                    // The autoscaler owns the node count once the pool exists.
                    { parent: this, protect: protect, ignoreChanges: ["initialNodeCount"] },
                ),
        );

        this.kubeconfig = pulumi.secret(
            pulumi.all([this.clusterName, endpoint, caData]).apply(([clusterName, ep, ca]) => gkeKubeconfig({ name: clusterName, endpoint: ep, caData: ca })),
        );
        this.registerOutputs({ clusterName: this.clusterName });
    }
}
