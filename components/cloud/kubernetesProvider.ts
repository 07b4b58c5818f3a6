// One explicit Kubernetes provider per stack, built from the cluster's kubeconfig.
// Every Kubernetes object names it, so none can fall back to an ambient kubeconfig
// and land in the wrong cluster.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "./index";

export function kubernetesProvider(name: string, cluster: ClusterHandle, opts?: pulumi.CustomResourceOptions): k8s.Provider {
    return new k8s.Provider(
        name,
        {
            kubeconfig: cluster.kubeconfig,
            ...(cluster.context ? { context: cluster.context } : {}),
            enableServerSideApply: true,
            // Never touch objects outside what this stack declares.
            deleteUnreachable: false,
        },
        { ...opts, dependsOn: cluster.ready },
    );
}
