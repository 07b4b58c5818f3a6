// A consumer of domino-tenancy's exports contract: it learns where Domino runs (the
// cluster, its own namespace, how to land on compute nodes) only from the producer's
// stack outputs, never from copies of its config. It deploys with its own scoped
// kubeconfig (read and deploy in its namespace, read the exports), never the admin one.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readStackExports } from "../../components/contract/reader";

export interface ConsumerArgs {
    /** The domino-tenancy stack to read, as `org/project/stack`. */
    readonly producerStack: string;
    /** This team's name in the producer's `tenancy.consumers`. */
    readonly consumer: string;
    /** The workload's image; pinned, as Domino's namespaces expect. */
    readonly image?: string;
}

export interface ConsumerOutputs {
    readonly namespace: pulumi.Output<string>;
    readonly deploymentName: pulumi.Output<string>;
}

const labels = { "app.kubernetes.io/name": "feature-cache", "app.kubernetes.io/managed-by": "domino-consumer" };

/** Deploys one Deployment into the team's own namespace, placed only by the exported compute placement. */
export function deployConsumer(args: ConsumerArgs): ConsumerOutputs {
    const producer = new pulumi.StackReference("domino", { name: args.producerStack });
    const domino = readStackExports(producer, args.producerStack);

    // The team's scoped kubeconfig stays secret: the provider takes it as an Output.
    const provider = new k8s.Provider("domino-cluster", { kubeconfig: domino.kubeconfigFor(args.consumer) });
    const namespace = domino.namespaceFor(args.consumer);
    const scheduling = domino.podSchedulingFor("compute");

    const deployment = new k8s.apps.v1.Deployment(
        "feature-cache",
        {
            metadata: { namespace, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels },
                    // Placement comes whole from the contract: nodeSelector, required affinity if any, tolerations.
                    spec: scheduling.apply((placed) => ({
                        ...placed,
                        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [
                            {
                                name: "feature-cache",
                                image: args.image ?? "registry.k8s.io/pause:3.10",
                                // The team's namespace has a quota: requests and limits keep this inside it.
                                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                            },
                        ],
                    })),
                },
            },
        },
        { provider },
    );

    return { namespace, deploymentName: deployment.metadata.name };
}
