// Consuming teams' access: the builder's namespaces, ServiceAccounts, Roles and the
// published exports, plus one TokenRequest token per team and the scoped kubeconfig
// made from it. Each team's kubeconfig is a secret output; the admin kubeconfig is
// only read here, as the credential that asks for the tokens.

import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildConsumerAccess, scopedKubeconfig, type ConsumerAccessArgs as ConsumerAccessSpec } from "../kubernetes/consumerAccess";
import { applyManifests, kubernetesProviderOf } from "./manifestComponent";
import { ServiceAccountToken } from "./serviceAccountToken";

/** Its Kubernetes provider comes through its options (see kubernetesProviderOf). */
export interface ConsumerAccessArgs extends ConsumerAccessSpec {
    /** Domino's namespaces made elsewhere (the system namespace, where the exports live). */
    readonly namespaces?: ReadonlyMap<string, k8s.core.v1.Namespace>;
    readonly dependsOn?: readonly pulumi.Resource[];
    /** Secret: the admin kubeconfig (contents or path), used only to request the tokens. */
    readonly adminKubeconfig: pulumi.Input<string>;
    /** The admin kubeconfig's context, where it has several. */
    readonly context?: string;
    /** The cluster's name, for the scoped kubeconfigs' cluster entry. */
    readonly clusterName: pulumi.Input<string>;
}

/** What one consuming team receives. `kubeconfig` is secret. */
export interface ConsumerGrant {
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly kubeconfig: string;
    /** When the token in the kubeconfig expires; `pulumi up` renews it once a third of its lifetime is left. */
    readonly tokenExpiresAt: string;
}

export class ConsumerAccess extends pulumi.ComponentResource {
    readonly objects: readonly pulumi.CustomResource[];
    /** Every team's grant by name; secret as a whole, since each carries a token. */
    readonly grants: pulumi.Output<Record<string, ConsumerGrant>>;

    constructor(name: string, args: ConsumerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:ConsumerAccess", name, {}, opts);
        const manifests = buildConsumerAccess(args);
        const provider = kubernetesProviderOf(this, "domino-tenancy:index:ConsumerAccess", name);
        const applied = applyManifests(manifests, { parent: this, provider, namespaces: args.namespaces, dependsOn: args.dependsOn });
        this.objects = applied.objects;

        const grants = args.consumers.map((c) => {
            // The token waits for every object of its team: the ServiceAccount must exist to be asked for one.
            const own = applied.objects.filter((_, i) => manifests[i].metadata.namespace === c.namespace || manifests[i].metadata.name === c.namespace);
            const token = new ServiceAccountToken(
                `${name}-${c.name}-token`,
                {
                    kubeconfig: args.adminKubeconfig,
                    ...(args.context ? { context: args.context } : {}),
                    namespace: c.namespace,
                    serviceAccount: c.serviceAccount,
                    expirationSeconds: c.tokenLifetimeSeconds,
                },
                { parent: this, dependsOn: own },
            );
            const grant = pulumi
                .all([args.clusterName, token.server, token.certificateAuthorityData, token.insecureSkipTlsVerify, token.token, token.expirationTimestamp])
                .apply(([clusterName, server, ca, insecure, value, expires]) => ({
                    namespace: c.namespace,
                    serviceAccount: c.serviceAccount,
                    // Under the offline plan's mocks no token exists: the kubeconfig is still shaped, and still secret.
                    kubeconfig: scopedKubeconfig({
                        clusterName,
                        server: server ?? "",
                        certificateAuthorityData: ca,
                        insecureSkipTlsVerify: insecure,
                        consumer: c.name,
                        namespace: c.namespace,
                        token: value ?? "",
                    }),
                    tokenExpiresAt: expires ?? "",
                }));
            return pulumi.output(grant).apply((g) => [c.name, g] as const);
        });
        this.grants = pulumi.secret(pulumi.all(grants).apply((entries) => Object.fromEntries(entries) as Record<string, ConsumerGrant>));
        this.registerOutputs({ objects: manifests.map((m) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`) });
    }
}
