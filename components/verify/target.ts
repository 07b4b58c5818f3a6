// What verify probes: the deployment as the stack describes it (namespaces, pools,
// isolation, Pod Security levels, node-function owners, the operator), the other
// tenant it must be isolated from, and the identities the probes act as. Built once
// from the validated model; probes read only this, so they do not follow the model's layout.

import type { NodeFunction, NodeFunctionOwner, NodePool, PodSecurityLevel, Taint } from "@domino-tenancy/core";
import type { Identity } from "./client";

export interface NamedIdentity extends Identity {
    /** How reports name it: the service account, and for a tenant admin what was added. */
    readonly label: string;
}

export interface VerifyTarget {
    readonly stack: string;
    readonly deploymentName: string;
    readonly isolation: "shared" | "dedicated";
    readonly dedicatedTaint?: Taint;
    readonly namespaces: { readonly platform: string; readonly compute: string; readonly system: string; readonly all: readonly string[] };
    /** The Pod Security level each Domino namespace enforces. */
    readonly podSecurity: Readonly<Record<string, { readonly enforce: PodSecurityLevel }>>;
    readonly pools: readonly NodePool[];
    readonly nodeFunctions: Readonly<Record<NodeFunction, NodeFunctionOwner>>;
    /** The operator's service account when the stack installs the operator. */
    readonly operator?: { readonly serviceAccount: string };
    /** The admission twins are registered (domino.admission.enabled). */
    readonly admission: boolean;
    /** The other tenant whose isolation is probed; absent when the cluster has none to name. */
    readonly otherTenant?: { readonly namespace: string; readonly serviceAccount: string };
}

const saUser = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** A service account as itself: the server adds its groups (system:serviceaccounts, system:serviceaccounts:<ns>). */
export function serviceAccount(namespace: string, name: string): NamedIdentity {
    return { user: saUser(namespace, name), label: saUser(namespace, name) };
}

/**
 * A service account made its namespace's tenant admin without writing a binding: the
 * `system:masters` group lets RBAC allow everything, so only admission (Pod Security,
 * admission policies, quota) decides, as kubectl-mtb's tenant admin with ClusterRole admin.
 */
export function tenantAdmin(namespace: string, name: string): NamedIdentity {
    return {
        user: saUser(namespace, name),
        groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated", "system:masters"],
        label: `${saUser(namespace, name)} as tenant admin (+system:masters: RBAC allows, admission decides)`,
    };
}

/** The service account Domino's run pods run as in the compute namespace (they name none). */
export const workloadServiceAccountName = "default";

export function dominoWorkload(t: VerifyTarget): NamedIdentity {
    return serviceAccount(t.namespaces.compute, workloadServiceAccountName);
}

/** The operator chart's service account (Domino's chart names it; the program installs the chart in the system namespace). */
export const operatorServiceAccountName = "platform-operator";

/** The slice of the validated model verify reads. */
export interface ModelLike {
    readonly name: string;
    readonly isolation: "shared" | "dedicated";
    readonly dedicatedTaint?: Taint;
    readonly namespaces: Readonly<Record<string, string>> & { readonly platform: string; readonly compute: string; readonly system: string };
    readonly podSecurity: Readonly<Record<"platform" | "compute" | "system", { readonly enforce: PodSecurityLevel }>>;
    readonly cluster: { readonly pools: readonly NodePool[] };
    readonly nodeFunctions: Readonly<Record<NodeFunction, { readonly owner: NodeFunctionOwner }>>;
    readonly install: { readonly method: string; readonly operator?: string };
    readonly admission: { readonly enabled: boolean };
}

export function targetOf(stack: string, model: ModelLike, otherTenant?: { namespace: string; serviceAccount: string }): VerifyTarget {
    const ns = model.namespaces;
    return {
        stack,
        deploymentName: model.name,
        isolation: model.isolation,
        ...(model.dedicatedTaint ? { dedicatedTaint: model.dedicatedTaint } : {}),
        namespaces: { platform: ns.platform, compute: ns.compute, system: ns.system, all: [...new Set(Object.values(ns))] },
        podSecurity: Object.fromEntries((["platform", "compute", "system"] as const).map((role) => [ns[role], { enforce: model.podSecurity[role].enforce }])),
        pools: model.cluster.pools,
        nodeFunctions: Object.fromEntries(Object.entries(model.nodeFunctions).map(([fn, v]) => [fn, v.owner])) as Record<NodeFunction, NodeFunctionOwner>,
        ...(model.install.method === "operator" && model.install.operator === "install"
            ? { operator: { serviceAccount: `system:serviceaccount:${ns.system}:${operatorServiceAccountName}` } }
            : {}),
        admission: model.admission.enabled,
        ...(otherTenant ? { otherTenant } : {}),
    };
}
