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
}
