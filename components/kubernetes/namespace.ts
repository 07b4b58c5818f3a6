// A Domino namespace always comes with its guards: Pod Security Admission labels,
// the deployment label that lets Domino's namespaces talk to each other, and a
// default-deny ingress policy so other tenants cannot reach in.

import type { Manifest } from "./manifest";
import { deploymentLabel, podSecurityExceptionAnnotation, podSecurityLabels, type PodSecurityLevel, recommendedLabels } from "@domino-tenancy/core";

export interface NamespaceArgs {
    /** Domino's deployment name: labels the namespace as the deployment's. */
    readonly deploymentName: string;
    readonly name: string;
    /** app.kubernetes.io/name of the namespace. */
    readonly component: string;
    readonly podSecurity: {
        readonly enforce: PodSecurityLevel;
        readonly warn: PodSecurityLevel;
        /** Required for privileged: why the exception exists. */
        readonly exception?: string;
    };
    readonly labels?: Record<string, string>;
    /** Namespaces (by name) besides Domino's own whose pods may connect in: the ingress controller. */
    readonly allowIngressFromNamespaces?: readonly string[];
}

export function dominoNamespace(args: NamespaceArgs): Manifest[] {
    if (args.podSecurity.enforce === "privileged" && !args.podSecurity.exception) {
        throw new Error(`namespace ${args.name}: a privileged Pod Security level needs a stated exception`);
    }
    const labels = recommendedLabels(args.deploymentName, args.component);
    const out: Manifest[] = [
        {
            kind: "Namespace",
            metadata: {
                name: args.name,
                labels: {
                    ...labels,
                    [deploymentLabel]: args.deploymentName,
                    ...podSecurityLabels(args.podSecurity.enforce, args.podSecurity.warn),
                    ...(args.labels ?? {}),
                },
                ...(args.podSecurity.exception ? { annotations: { [podSecurityExceptionAnnotation]: args.podSecurity.exception } } : {}),
            },
        },
        {
            kind: "NetworkPolicy",
            metadata: { name: "default-deny-ingress", namespace: args.name, labels },
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
        },
        {
            kind: "NetworkPolicy",
            metadata: { name: "allow-from-deployment", namespace: args.name, labels },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { [deploymentLabel]: args.deploymentName } } }] }],
            },
        },
    ];
    if (args.allowIngressFromNamespaces?.length) {
        out.push({
            kind: "NetworkPolicy",
            metadata: { name: "allow-from-ingress-controller", namespace: args.name, labels },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: args.allowIngressFromNamespaces.map((ns) => ({
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
                        })),
                    },
                ],
            },
        });
    }
    return out;
}
