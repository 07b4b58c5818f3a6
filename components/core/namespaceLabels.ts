// Labels and annotations that mark a namespace as Domino's and state its Pod
// Security level: the namespace builder writes them, the policy pack reads them.

import type { PodSecurityLevel } from "./vocabulary";

/** Label on every namespace of the deployment: the one selector Domino's policies allow traffic from. */
export const deploymentLabel = "domino-tenancy/deployment";
/** Annotation stating why a namespace needs a Pod Security level below baseline. */
export const podSecurityExceptionAnnotation = "domino-tenancy/pod-security-exception";

export function podSecurityLabels(enforce: PodSecurityLevel, warn: PodSecurityLevel): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": warn,
        "pod-security.kubernetes.io/warn-version": "latest",
        "pod-security.kubernetes.io/audit": warn,
        "pod-security.kubernetes.io/audit-version": "latest",
    };
}
