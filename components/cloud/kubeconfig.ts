// Kubeconfigs for managed clusters, built from the cluster's endpoint and CA. They
// authenticate through the cloud's own exec plugin, so no long-lived token is
// stored in state.

export interface ClusterEndpoint {
    readonly name: string;
    readonly endpoint: string;
    readonly caData: string;
}

interface ExecSpec {
    readonly command: string;
    readonly args: string[];
}

function kubeconfig(cluster: ClusterEndpoint, exec: ExecSpec): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster.name, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.caData } }],
        contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
        "current-context": cluster.name,
        users: [
            {
                name: cluster.name,
                user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: exec.command, args: exec.args, interactiveMode: "Never" } },
            },
        ],
    });
}

export function eksKubeconfig(cluster: ClusterEndpoint, region: string): string {
    return kubeconfig(cluster, { command: "aws", args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", region, "--output", "json"] });
}

export function gkeKubeconfig(cluster: ClusterEndpoint): string {
    // GKE returns a bare host; kubeconfig wants a URL.
    const server = cluster.endpoint.startsWith("https://") ? cluster.endpoint : `https://${cluster.endpoint}`;
    return kubeconfig({ ...cluster, endpoint: server }, { command: "gke-gcloud-auth-plugin", args: [] });
}
