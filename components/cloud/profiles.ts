// Per-cloud facts, as data. This is the only place that knows how clouds differ;
// the tenancy model reads a profile and never branches on the cloud's name.
//
// Sources: Domino's Terraform modules (pool sizes and machine types), NVIDIA's and
// the clouds' docs on device plugins and sysctls (see shared/reference).

import type { CloudName, PoolRole, TaintEffect } from "@domino-tenancy/core";

/** How a managed cloud creates a pool's nodes. */
export interface PoolSizing {
    /** Instance (EKS) or machine (GKE) type. */
    readonly machineType: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly diskSizeGb: number;
}

export interface PoolDefaults extends PoolSizing {
    /** GPU accelerator type (GKE) ; on EKS the machine type implies it. */
    readonly gpuType?: string;
}

/** The clouds whose node pools the program creates. */
export type ManagedCloudName = Exclude<CloudName, "existing">;

export interface StorageClassDefaults {
    readonly provisioner: string;
    readonly parameters: Record<string, string>;
    /** Parameters the cluster cannot guess, which the stack must give. */
    readonly requiredParameters: readonly string[];
    /** Required parameters a cluster the program creates supplies itself, when the stack gives none. */
    readonly suppliedByCreatedCluster?: readonly string[];
}

interface ProfileFacts {
    /** Effect of the GPU taint Domino's own modules use on this cloud. */
    readonly gpuTaintEffect: TaintEffect;
    /**
     * The cloud taints GPU nodes itself, with its own value and effect: GPU-pool workloads
     * tolerate the GPU key with operator Exists, which covers ours and the cloud's.
     */
    readonly cloudTaintsGpuNodes: boolean;
    /** What `gpuDevicePlugin: auto` means here. */
    readonly devicePluginAuto: "on" | "off";
    /** What `sysctl: auto` means here, and which modes the cloud supports at all. */
    readonly sysctlAuto: "node-config" | "daemonset" | "off";
    readonly sysctlNodeConfigSupported: boolean;
    /** vm.max_map_count the stock node image already ships, when known. */
    readonly baseMaxMapCount?: number;
    readonly storage: { readonly block?: StorageClassDefaults; readonly shared?: StorageClassDefaults };
    /**
     * Who scales the node pools: this program (a Cluster Autoscaler, on a cluster it created
     * whose pools can scale), or, described for the default's reason, whoever does it instead.
     */
    readonly poolScaling: { readonly programOnCreatedCluster: boolean; readonly otherwise: string };
    /** Who runs metrics-server on this cloud, for clusterFunctions.metricsServer's default reason. */
    readonly metricsServerBy: string;
}

/** A cloud whose node pools the program creates, sized by role unless the stack says otherwise. */
export interface ManagedCloudProfile extends ProfileFacts {
    readonly name: ManagedCloudName;
    readonly managesNodePools: true;
    readonly pools: Readonly<Record<PoolRole, PoolDefaults>>;
    /** The created cluster's own untainted pool (see core systemPoolLabel): small, fixed size. */
    readonly systemPool: { readonly machineType: string; readonly nodes: number };
}

/** An adopted cluster: pools are declared, their nodes exist, nothing is sized here. */
export interface AdoptedCloudProfile extends ProfileFacts {
    readonly name: "existing";
    readonly managesNodePools: false;
}

export type CloudProfile = ManagedCloudProfile | AdoptedCloudProfile;

export const awsProfile: ManagedCloudProfile = {
    name: "aws",
    managesNodePools: true,
    pools: {
        platform: { machineType: "m7i-flex.2xlarge", minSize: 1, maxSize: 10, diskSizeGb: 100 },
        compute: { machineType: "m6i.2xlarge", minSize: 0, maxSize: 10, diskSizeGb: 1000 },
        gpu: { machineType: "g5.2xlarge", minSize: 0, maxSize: 10, diskSizeGb: 1000 },
    },
    // Two nodes, so DNS survives one node's replacement.
    systemPool: { machineType: "m6i.large", nodes: 2 },
    gpuTaintEffect: "NoSchedule",
    // EKS adds no GPU taint by itself; the node group's is ours.
    cloudTaintsGpuNodes: false,
    // EKS AL2023 NVIDIA AMIs ship drivers but no device plugin.
    devicePluginAuto: "on",
    // EKS AL2023 nodes already set vm.max_map_count=524288.
    sysctlAuto: "off",
    sysctlNodeConfigSupported: false,
    baseMaxMapCount: 524288,
    storage: {
        block: { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, requiredParameters: [] },
        shared: {
            provisioner: "efs.csi.aws.com",
            parameters: { provisioningMode: "efs-ap", directoryPerms: "700" },
            requiredParameters: ["fileSystemId"],
            // A created EKS cluster gets its own encrypted EFS file system (components/cloud/aws).
            suppliedByCreatedCluster: ["fileSystemId"],
        },
    },
    // EKS managed node groups do not scale themselves (components/cloud/aws/autoscaler.ts).
    poolScaling: { programOnCreatedCluster: true, otherwise: "an adopted EKS cluster's admins scale its pools, and pools of fixed size need no autoscaler" },
    // EKS installs no metrics-server; it is an EKS add-on (metrics-server) the cluster's owner adds.
    metricsServerBy: "EKS runs none by default; the cluster's owner adds EKS's metrics-server add-on",
};

export const gcpProfile: ManagedCloudProfile = {
    name: "gcp",
    managesNodePools: true,
    pools: {
        platform: { machineType: "n2-standard-8", minSize: 1, maxSize: 5, diskSizeGb: 100 },
        compute: { machineType: "n2-highmem-8", minSize: 0, maxSize: 10, diskSizeGb: 400 },
        gpu: { machineType: "n1-highmem-8", minSize: 0, maxSize: 2, diskSizeGb: 400, gpuType: "nvidia-tesla-p100" },
    },
    systemPool: { machineType: "e2-standard-4", nodes: 2 },
    gpuTaintEffect: "NoExecute",
    // GKE adds nvidia.com/gpu=present:NoSchedule to GPU nodes on its own.
    cloudTaintsGpuNodes: true,
    // GKE installs its own device plugin and drivers on GPU pools.
    devicePluginAuto: "off",
    // GKE sets node sysctls through linuxNodeConfig, no privileged pod needed.
    sysctlAuto: "node-config",
    sysctlNodeConfigSupported: true,
    storage: {
        block: { provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-balanced" }, requiredParameters: [] },
        shared: { provisioner: "filestore.csi.storage.gke.io", parameters: { tier: "standard" }, requiredParameters: ["network"] },
    },
    // GKE node pools carry their own autoscaling (the program sets it on each pool).
    poolScaling: { programOnCreatedCluster: false, otherwise: "GKE scales its node pools itself" },
    // GKE runs metrics-server in kube-system on every cluster.
    metricsServerBy: "GKE runs metrics-server on every cluster",
};

/** A GKE release channel: how fast GKE upgrades a cluster enrolled in it. */
export type GkeReleaseChannel = "RAPID" | "REGULAR" | "STABLE" | "EXTENDED";

/**
 * Kubernetes minor versions GKE offers for new clusters, per release channel, and the
 * default (available in every channel). Source: GKE release notes' "current versions"
 * table, late 2026 (Regular 1.34 to 1.36, default 1.35.7-gke; 1.33 left Regular in
 * July 2026). With a release channel the version is a floor: GKE upgrades from it.
 * Update when GKE's table moves; a version listed nowhere is refused by the model.
 */
export const gkeKubernetesVersions: { readonly default: string; readonly byChannel: Readonly<Record<GkeReleaseChannel, readonly string[]>> } = {
    default: "1.35",
    byChannel: {
        RAPID: ["1.34", "1.35", "1.36", "1.37"],
        REGULAR: ["1.34", "1.35", "1.36"],
        STABLE: ["1.34", "1.35"],
        EXTENDED: ["1.31", "1.32", "1.33", "1.34", "1.35", "1.36"],
    },
};

export const existingProfile: AdoptedCloudProfile = {
    name: "existing",
    managesNodePools: false,
    gpuTaintEffect: "NoSchedule",
    cloudTaintsGpuNodes: false,
    // An adopted cluster gets NVIDIA's plugin unless its admins run their own (then nodeFunctions.gpuDevicePlugin: cluster).
    devicePluginAuto: "on",
    // An adopted cluster's node images are unknown, so a tuner scoped to the platform pool sets the value.
    sysctlAuto: "daemonset",
    sysctlNodeConfigSupported: false,
    storage: {},
    poolScaling: { programOnCreatedCluster: false, otherwise: "an adopted cluster's admins scale its pools" },
    metricsServerBy: "an adopted cluster's admins run it, as nearly every cluster does",
};

export const cloudProfiles = {
    aws: awsProfile,
    gcp: gcpProfile,
    existing: existingProfile,
} as const satisfies Readonly<Record<CloudName, CloudProfile>>;

/** Kubernetes minor versions a managed cloud creates clusters with: its default and every version it still supports. */
export interface KubernetesVersions {
    readonly default: string;
    /** Oldest first; a created cluster must pin one of these. */
    readonly supported: readonly string[];
    /** Where the list comes from, and as of when: the message that refuses a version cites it. */
    readonly source: string;
}

/**
 * EKS, as of November 2026 (EKS version calendar): 1.36 arrived on 2 June 2026 (standard support
 * to August 2027); 1.35 and 1.34 are in standard support; 1.33 and 1.32 in extended support
 * (billed extra per cluster hour); 1.31's extended support ended on 26 November 2026.
 */
export const eksKubernetesVersions: KubernetesVersions = {
    default: "1.36",
    supported: ["1.32", "1.33", "1.34", "1.35", "1.36"],
    source: "EKS's standard and extended support, November 2026",
};
