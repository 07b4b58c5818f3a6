// Any cluster, adopted by kubeconfig: nothing about it is created or sized.

import type { NodePool } from "@domino-tenancy/core";
import type { Issues } from "../issues";
import { rejectGkeSettings } from "./gcp";
import type { ClusterConfig } from "./schema";

/** Any cluster, adopted by kubeconfig: its pools are declared, their nodes exist and are not sized here. */
export interface ExistingClusterModel {
    readonly cloud: "existing";
    readonly mode: "adopt";
    readonly name: string;
    /** Where the kubeconfig is read from when no secret gives it (see kubeconfigSource). */
    readonly kubeconfigPath?: string;
    /** undefined: the kubeconfig's current context. */
    readonly context?: string;
    readonly pools: readonly NodePool[];
}

/** The settings of `cluster` for cloud existing: adopt only, no cloud's setting. */
export function existingCluster(c: ClusterConfig, stack: string, pools: NodePool[], issues: Issues): ExistingClusterModel {
    if (c.mode === "create") issues.add(["cluster", "mode"], "cloud 'existing' can only adopt a cluster; allowed: adopt");
    for (const key of ["region", "location", "project", "kubernetesVersion", "subnetIds", "network", "subnetwork", "systemPool"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], `is not used with cloud 'existing'; remove it`);
    }
    rejectGkeSettings(c, "existing", issues);
    return { cloud: "existing", mode: "adopt", name: c.name ?? stack, kubeconfigPath: c.kubeconfigPath, context: c.context, pools };
}
