// GKE: the cluster without its default pool (so every node belongs to a pool we
// label and taint), and one node pool per Domino pool. GPU pools get their
// accelerators with driver installation and an explicit GPU taint, because GKE adds
// one by itself only in some cases. vm.max_map_count is set through the node
// config of the platform pool: no privileged pod is needed on GKE.
//
// A created cluster runs Dataplane V2 (which enforces NetworkPolicy without Calico),
// the CSI drivers its StorageClasses name, a release channel and a maintenance policy.
// An adopted cluster (mode adopt) is read, never changed: its dataplane, add-ons,
// channel and maintenance stay as its owners set them.
//
// Every GCP resource uses one provider: the one injected through options
// (`provider` or `providers: { gcp }`), or else one built from the stack's project and
// region, so nothing falls back to the ambient default provider.

import * as gcp from "./sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel, GcpClusterModel, GkeMaintenance } from "../model/model";
import { type NodePool, recommendedLabels, systemPoolLabel } from "@domino-tenancy/core";
import { gkeKubeconfig } from "./kubeconfig";
import { cloudTaints } from "./taints";
import type { ClusterHandle } from "./handle";

/** What GKE needs of the model's sysctl choice: node config sets it only in node-config mode. */
export type GkeSysctl = Pick<DeploymentModel["sysctl"], "mode" | "maxMapCount">;

/** GKE's managed CSI drivers: the add-on that runs each provisioner. */
export const gkeCsiAddons = {
    "pd.csi.storage.gke.io": "gcePersistentDiskCsiDriverConfig",
    "filestore.csi.storage.gke.io": "gcpFilestoreCsiDriverConfig",
    "gcsfuse.csi.storage.gke.io": "gcsFuseCsiDriverConfig",
} as const satisfies Record<string, keyof gcp.types.input.container.ClusterAddonsConfig>;

/** The add-ons a created cluster needs for the given StorageClass provisioners; other drivers keep GKE's defaults. */
export function gkeAddons(provisioners: readonly string[]): gcp.types.input.container.ClusterAddonsConfig {
    const addons: gcp.types.input.container.ClusterAddonsConfig = {};
    for (const p of provisioners) {
        if (p in gkeCsiAddons) addons[gkeCsiAddons[p as keyof typeof gkeCsiAddons]] = { enabled: true };
    }
    return addons;
}

/** The model's maintenance policy in the provider's shape. */
export function gkeMaintenancePolicy(m: GkeMaintenance): gcp.types.input.container.ClusterMaintenancePolicy {
    return {
        recurringWindow: { startTime: m.window.start, endTime: m.window.end, recurrence: m.window.recurrence },
        maintenanceExclusions: m.exclusions.map((e) => ({
            exclusionName: e.name,
            startTime: e.start,
            endTime: e.end,
            exclusionOptions: { scope: e.scope },
        })),
    };
}

/** The region of a GKE location: a region as is, a zone (us-central1-a) without its zone letter. */
export function gcpRegionOf(location: string): string {
    return /^([a-z]+-[a-z]+[0-9]+)-[a-z]$/.exec(location)?.[1] ?? location;
}

export interface GcpClusterArgs {
    /** The GKE cluster and its sized pools. */
    readonly cluster: GcpClusterModel;
    /** Domino's deployment name: labels every GCP resource. */
    readonly deploymentName: string;
    /** Refuse deletion of the cluster and its node pools (prod). */
    readonly protect: boolean;
    /** vm.max_map_count, set through the platform pool's node config in node-config mode. */
    readonly sysctl: GkeSysctl;
    /** Provisioners of the stack's StorageClasses: a created cluster enables the GKE add-ons that run them. */
    readonly storageProvisioners: readonly string[];
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

        // An injected provider wins; otherwise one of our own, so the ambient default is never used.
        const provider =
            (this.getProvider("gcp::") as gcp.Provider | undefined) ??
            new gcp.Provider(`${name}-gcp`, { project: c.project, region: gcpRegionOf(location) }, { parent: this });
        const child = { parent: this, provider };

        let endpoint: pulumi.Output<string>;
        let caData: pulumi.Output<string>;
        if (c.mode === "create") {
            const cluster = new gcp.container.Cluster(
                `${name}-gke`,
                {
                    name: c.name,
                    location,
                    project: c.project,
                    // With a release channel this is a floor: GKE upgrades the cluster from here.
                    minMasterVersion: c.kubernetesVersion,
                    releaseChannel: c.releaseChannel ? { channel: c.releaseChannel } : undefined,
                    maintenancePolicy: c.maintenance ? gkeMaintenancePolicy(c.maintenance) : undefined,
                    network: c.network,
                    subnetwork: c.subnetwork,
                    // Every node belongs to a pool we declare: Domino's, and the system pool below.
                    removeDefaultNodePool: true,
                    initialNodeCount: 1,
                    // Dataplane V2 (VPC-native) enforces NetworkPolicy itself: no Calico add-on.
                    networkingMode: "VPC_NATIVE",
                    datapathProvider: "ADVANCED_DATAPATH",
                    addonsConfig: gkeAddons(args.storageProvisioners),
                    workloadIdentityConfig: c.project ? { workloadPool: `${c.project}.svc.id.goog` } : undefined,
                    deletionProtection: protect,
                    resourceLabels,
                },
                { ...child, protect: protect },
            );
            this.clusterName = cluster.name;
            endpoint = cluster.endpoint;
            caData = cluster.masterAuth.apply((auth) => auth.clusterCaCertificate ?? "");
        } else {
            const existing = gcp.container.getClusterOutput({ name: c.name, location, project: c.project }, child);
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
                    { ...child, protect: protect, ignoreChanges: ["initialNodeCount"] },
                ),
        );

        // The cluster's own pool, untainted and without Domino's labels: kube-dns and the other
        // GKE system workloads tolerate none of Domino's taints. A fixed size, no autoscaling.
        if (c.mode === "create" && c.systemPool) {
            this.ready.push(
                new gcp.container.NodePool(
                    `${name}-system`,
                    {
                        name: "system",
                        cluster: this.clusterName,
                        location,
                        project: c.project,
                        nodeCount: c.systemPool.nodes,
                        management: { autoRepair: true, autoUpgrade: true },
                        nodeConfig: {
                            machineType: c.systemPool.machineType,
                            labels: { [systemPoolLabel.key]: systemPoolLabel.value },
                            resourceLabels,
                            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                            workloadMetadataConfig: { mode: "GKE_METADATA" },
                        },
                    },
                    { ...child, protect: protect },
                ),
            );
        }

        this.kubeconfig = pulumi.secret(
            pulumi.all([this.clusterName, endpoint, caData]).apply(([clusterName, ep, ca]) => gkeKubeconfig({ name: clusterName, endpoint: ep, caData: ca })),
        );
        this.registerOutputs({ clusterName: this.clusterName });
    }
}
