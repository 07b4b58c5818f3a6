// Every name the deployment derives from its deployment name. Kubernetes limits
// namespace names to 63 characters, so the longest suffix below decides how long
// a deployment name may be.

export const namespaceSuffixes = {
    platform: "platform",
    compute: "compute",
    system: "system",
    /** NVIDIA's device plugin: hostPath to the kubelet's device-plugins folder. */
    devicePlugin: "device-plugin",
    /** The vm.max_map_count tuner: a privileged init container. */
    nodeTuning: "node-tuning",
} as const;

export type NamespaceRole = keyof typeof namespaceSuffixes;
export type Namespaces = Readonly<Record<NamespaceRole, string>>;

const dnsLabelMax = 63;
const longestSuffix = Math.max(...Object.values(namespaceSuffixes).map((s) => s.length));

/** Longest deployment name whose derived namespace names stay valid DNS labels. */
export const maxDeploymentNameLength = dnsLabelMax - 1 - longestSuffix;

/** `<name>-<suffix>`: the one way every cluster-scoped name is made. */
export function prefixed(deploymentName: string, suffix: string): string {
    return `${deploymentName}-${suffix}`;
}

export function defaultNamespaces(deploymentName: string): Namespaces {
    const out = {} as Record<NamespaceRole, string>;
    for (const [role, suffix] of Object.entries(namespaceSuffixes) as [NamespaceRole, string][]) {
        out[role] = prefixed(deploymentName, suffix);
    }
    return out;
}

/** The label that marks an object as this program's: the guards-stay policy and verify select by it. */
export const managedByLabel = "app.kubernetes.io/managed-by";
export const programName = "domino-tenancy";

/** Labels from the Kubernetes recommended set, on every object we create. */
export function recommendedLabels(deploymentName: string, component: string, version?: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": component,
        "app.kubernetes.io/instance": deploymentName,
        "app.kubernetes.io/part-of": "domino",
        [managedByLabel]: programName,
        ...(version ? { "app.kubernetes.io/version": version } : {}),
    };
}
