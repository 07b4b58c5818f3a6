// The cluster autoscaler, where the cloud seam says the cluster needs one, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildClusterAutoscaler, type ClusterAutoscalerArgs as ClusterAutoscalerSpec } from "../kubernetes/clusterAutoscaler";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see ClusterAutoscalerSpec), and where the manifests are registered. */
export interface ClusterAutoscalerArgs extends ManifestComponentArgs, ClusterAutoscalerSpec {}

export class ClusterAutoscaler extends ManifestComponent {
    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:ClusterAutoscaler", name, buildClusterAutoscaler(args), args, opts);
    }
}
