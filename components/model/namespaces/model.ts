// Domino's namespaces and their Pod Security: the stack's names over the defaults, each
// distinct and none of the cluster's shared ones, and the levels enforced on each.

import type { z } from "zod";
import { defaultNamespaces, type Namespaces, type PodSecurityLevel } from "@domino-tenancy/core";
import type { Issues } from "../issues";
import type { namespacesConfig, podSecurityConfig } from "./schema";

export interface PodSecurityLevels {
    readonly enforce: PodSecurityLevel;
    readonly warn: PodSecurityLevel;
    readonly exception?: string;
}

export const defaultPodSecurity: Record<"platform" | "compute" | "system", PodSecurityLevels> = {
    // Domino's services and user runs pass baseline; restricted warnings show what to tighten next.
    platform: { enforce: "baseline", warn: "restricted" },
    compute: { enforce: "baseline", warn: "restricted" },
    // Only the installer runs in system (the Platform Operator, or the agent Job), and it runs restricted.
    system: { enforce: "restricted", warn: "restricted" },
};

/** The cluster's own namespaces, which every tenant shares. */
const sharedNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Domino's namespaces, and who holds each name so far (consumers' namespaces are checked
 * against the same map; see ../consumers/model.ts).
 */
export function resolveNamespaces(
    name: string,
    given: z.output<typeof namespacesConfig>,
    issues: Issues,
): { readonly namespaces: Namespaces; readonly taken: Map<string, string> } {
    const namespaces = { ...defaultNamespaces(name), ...given };
    const taken = new Map<string, string>();
    for (const [role, ns] of Object.entries(namespaces)) {
        if (sharedNamespaces.includes(ns)) issues.add(["domino", "namespaces", role], `'${ns}' is shared by every tenant; choose a namespace of Domino's own`);
        if (taken.has(ns)) issues.add(["domino", "namespaces", role], `'${ns}' is already the ${taken.get(ns)} namespace; each namespace must be distinct`);
        taken.set(ns, role);
    }
    return { namespaces, taken };
}

/** Each namespace's levels over the defaults; privileged only with a stated exception. */
export function resolvePodSecurity(
    given: z.output<typeof podSecurityConfig>,
    issues: Issues,
): Readonly<Record<"platform" | "compute" | "system", PodSecurityLevels>> {
    for (const [ns, levels] of Object.entries(given)) {
        if (levels?.enforce === "privileged" && !levels.exception) {
            issues.add(["domino", "podSecurity", ns, "exception"], "is required when enforce is privileged: say why Domino's pods there need host access");
        }
    }
    return {
        platform: { ...defaultPodSecurity.platform, ...given.platform },
        compute: { ...defaultPodSecurity.compute, ...given.compute },
        system: { ...defaultPodSecurity.system, ...given.system },
    };
}
