// How Domino's data survives a destroy or a rename, decided purely from the model and a
// manifest's kind: manifestComponent.ts asks this module for each object's `protect` and
// `retainOnDelete`, and the rename guard (renameGuard.ts) asks it whether a changed
// deployment name may go ahead. No Pulumi runtime here: specs call it directly.

import type * as pulumi from "@pulumi/pulumi";
import type { Kind, Manifest } from "../kubernetes/manifest";
import type { DataProtectionMode, DeploymentModel } from "../model/model";

/** What the manifest components need of the model to decide each object's options. */
export interface DataProtection {
    readonly mode: DataProtectionMode;
    /** Why this mode, for messages. */
    readonly reason: string;
    /** Namespaces where Domino's operator keeps its volume claims: platform, compute, system. */
    readonly dataNamespaces: readonly string[];
}

export function dataProtectionOf(model: DeploymentModel): DataProtection {
    const ns = model.namespaces;
    return { mode: model.dataProtection.mode, reason: model.dataProtection.reason, dataNamespaces: [ns.platform, ns.compute, ns.system] };
}

/**
 * What each kind the builders produce is to Domino's data. A Record over every Kind, so a new
 * kind (a PersistentVolumeClaim, a StatefulSet with claim templates) cannot be added without
 * deciding here whether it bears volumes.
 * - namespace: deleting it deletes every claim in it, and the claims' volumes where they reclaim with Delete;
 * - storage-class: holds no data itself, but retained claims and volumes still name it;
 * - none: recreated from the stack without loss.
 */
const dataRoleOf: Record<Kind, "namespace" | "storage-class" | "none"> = {
    Namespace: "namespace",
    StorageClass: "storage-class",
    ServiceAccount: "none",
    ConfigMap: "none",
    // The registry pull secret and the agent's configuration: both rebuilt from config.
    Secret: "none",
    Service: "none",
    ResourceQuota: "none",
    LimitRange: "none",
    DaemonSet: "none",
    Job: "none",
    // The cluster autoscaler: stateless.
    Deployment: "none",
    NetworkPolicy: "none",
    ClusterRole: "none",
    ClusterRoleBinding: "none",
    Role: "none",
    RoleBinding: "none",
    PriorityClass: "none",
    ValidatingAdmissionPolicy: "none",
    ValidatingAdmissionPolicyBinding: "none",
    MutatingAdmissionPolicy: "none",
    MutatingAdmissionPolicyBinding: "none",
    FlowSchema: "none",
    PriorityLevelConfiguration: "none",
};

export type ProtectionOptions = Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete">;

/**
 * The protection options of one manifest's resource.
 * - A data namespace under protect: `protect`, so destroy, a rename and a replacement all stop
 *   (preview included) before the namespace and its claims go. Under retain: `retainOnDelete`,
 *   so it stays in the cluster, claims and all, when it leaves the stack.
 * - A StorageClass under protect or retain: `retainOnDelete`, not `protect`. Deleting a class
 *   deletes no volume, so it should not block a destroy; but the claims and Retain volumes left
 *   behind still name it (expansion, rebinding), so it stays in the cluster.
 * - Node-agent namespaces (node agents, device plugin, tuning) hold no claims: switching a
 *   plumbing option off must still remove them, so they stay unprotected.
 */
export function protectionOptions(policy: DataProtection | undefined, m: Manifest): ProtectionOptions {
    if (!policy || policy.mode === "off") return {};
    switch (dataRoleOf[m.kind]) {
        case "namespace":
            if (!policy.dataNamespaces.includes(m.metadata.name)) return {};
            return policy.mode === "protect" ? { protect: true } : { retainOnDelete: true };
        case "storage-class":
            return { retainOnDelete: true };
        case "none":
            return {};
    }
}

/** What the stack's own last outputs say about the deployment it holds (any field may be missing). */
export interface PreviousDeployment {
    readonly deploymentName?: string;
    readonly namespaces?: Readonly<Record<string, string>>;
    readonly storageClasses?: Readonly<Record<string, string>>;
}

const list = (values: readonly string[]): string => values.join(", ");

/**
 * Why this run must not rename the deployment, or undefined when it may: no protection, a new
 * stack (no previous name), the same name, or a rename acknowledged with dataProtection.renameFrom.
 */
export function renameProblem(model: DeploymentModel, previous: PreviousDeployment): string | undefined {
    const { mode, reason, renameFrom } = model.dataProtection;
    const before = previous.deploymentName;
    if (mode === "off" || before === undefined || before === model.name || renameFrom === before) return undefined;
    const namespaces = Object.values(previous.namespaces ?? {});
    const classes = Object.values(previous.storageClasses ?? {});
    const lost = namespaces.length > 0 ? `its namespaces (${list(namespaces)})` : `its namespaces (${before}-platform, ${before}-compute ...)`;
    const ack =
        renameFrom === undefined ? "" : ` (tenancy.dataProtection.renameFrom is '${renameFrom}', which does not acknowledge it: it must name '${before}')`;
    return [
        `tenancy.domino.name: is '${model.name}', but this stack last deployed Domino as '${before}'${ack}.`,
        `Renaming the deployment replaces every object named after it: ${lost} would be deleted with every PersistentVolumeClaim`,
        `Domino's operator put in them${classes.length > 0 ? `, and its StorageClasses (${list(classes)}) would leave the stack` : ""}.`,
        `Nothing was changed; data protection is ${mode} (${reason}).`,
        `To keep the deployment: set tenancy.domino.name back to '${before}'.`,
        `To rename on purpose: run \`pulumi up\` once more with '${before}' and tenancy.dataProtection.mode: retain (the old namespaces and`,
        `classes then stay in the cluster, claims and volumes included, when the rename drops them) or off (they are deleted);`,
        `then set tenancy.dataProtection.renameFrom: ${before} with the new name and run \`pulumi up\`.`,
        `Or tear the stack down first (docs/operations.md, "Tearing down on purpose").`,
    ].join("\n");
}
