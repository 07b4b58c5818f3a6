import type * as pulumi from "@pulumi/pulumi";

/** What every cluster backend hands to the cloud-independent rest of the program. */
export interface ClusterHandle {
    readonly clusterName: pulumi.Output<string>;
    /** Secret: kubeconfig contents, or for adopted clusters possibly a file path. */
    readonly kubeconfig: pulumi.Output<string>;
    /** kubeconfig context to use, where the kubeconfig has several. */
    readonly context?: string;
    /** Resources Kubernetes objects must wait for (the node pools). */
    readonly ready: pulumi.Resource[];
    /**
     * StorageClass parameters the cluster supplies itself, by class: what it created for
     * them (a created EKS cluster's EFS file system id). Added to the model's parameters.
     */
    readonly storageParameters?: StorageParameters;
    /**
     * The EFS file system this program created for Domino's shared class (a created EKS
     * cluster): Domino's generated config names it (storage_classes.shared.efs).
     */
    readonly sharedFileSystem?: SharedFileSystem;
}

/**
 * A file system the program created for the shared class, as Domino's config describes it.
 * No access point: the class's provisioningMode efs-ap has the CSI driver make one per
 * volume, so the program makes none and Domino's efs.access_point_id stays unset.
 */
export interface SharedFileSystem {
    readonly type: "efs";
    readonly fileSystemId: pulumi.Output<string>;
    readonly region: string;
}

export interface StorageParameters {
    readonly block?: Readonly<Record<string, pulumi.Output<string>>>;
    readonly shared?: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * A cluster autoscaler the cluster needs (some pool can grow and the cloud does not
 * scale it by itself), in cloud-neutral terms: where it runs, as whom, and the
 * cloud's flags. The Kubernetes builder places and constrains it like any Domino workload.
 */
export interface ClusterAutoscalerNeeds {
    readonly namespace: string;
    readonly serviceAccountName: string;
    /** Pinned to the cluster's minor version. */
    readonly image: string;
    /** The cloud provider, node group discovery and the cloud's tuning flags. */
    readonly args: readonly string[];
    readonly env: Readonly<Record<string, string>>;
}
