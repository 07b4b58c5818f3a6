// Domino's StorageClasses: block and shared, the stack's over the cloud's defaults, reclaim
// following data protection, and the names carrying the deployment prefix.

import type { CloudProfile, StorageClassDefaults } from "../../cloud/profiles";
import { prefixed } from "@domino-tenancy/core";
import type { DataProtectionModel } from "../dataProtection/model";
import type { Issues } from "../issues";
import type { StorageClassConfig } from "./schema";

export interface StorageClassModel {
    readonly name: string;
    readonly provisioner: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly reclaimPolicy: "Delete" | "Retain";
    readonly accessMode: "ReadWriteOnce" | "ReadWriteMany";
}

function resolveStorageClass(
    kind: "block" | "shared",
    given: StorageClassConfig | undefined,
    defaults: StorageClassDefaults | undefined,
    name: string,
    profile: CloudProfile,
    clusterCreated: boolean,
    dataProtection: DataProtectionModel,
    issues: Issues,
): StorageClassModel {
    const path = ["domino", "storageClasses", kind];
    // Volumes outlive their claims whenever data is protected: a Delete reclaim would undo the protection one claim at a time.
    if (given?.reclaimPolicy === "Delete" && dataProtection.mode !== "off")
        issues.add(
            [...path, "reclaimPolicy"],
            `is Delete, but dataProtection is ${dataProtection.mode} (${dataProtection.reason}), and a deleted claim would delete its volume; allowed: Retain (the default here), or set dataProtection.mode: off`,
        );
    const provisioner = given?.provisioner ?? defaults?.provisioner;
    if (!provisioner)
        issues.add(
            [...path, "provisioner"],
            `is required with cloud '${profile.name}' (for example ${kind === "block" ? "rancher.io/local-path or ebs.csi.aws.com" : "nfs.csi.k8s.io"})`,
        );
    const parameters = { ...(given?.provisioner === undefined ? (defaults?.parameters ?? {}) : {}), ...(given?.parameters ?? {}) };
    if (given?.provisioner === undefined) {
        for (const required of defaults?.requiredParameters ?? []) {
            // A cluster the program creates makes what the parameter names (EKS: an EFS file system) and hands its id over.
            if (clusterCreated && defaults?.suppliedByCreatedCluster?.includes(required)) continue;
            if (!(required in parameters)) issues.add([...path, "parameters", required], `is required by ${defaults?.provisioner} on cloud '${profile.name}'`);
        }
    }
    const scName = given?.name ?? prefixed(name, kind === "block" ? "disk" : "shared");
    if (!scName.startsWith(`${name}-`)) issues.add([...path, "name"], `must start with '${name}-' (cluster-scoped objects carry the deployment prefix)`);
    return {
        name: scName,
        provisioner: provisioner ?? "",
        parameters,
        reclaimPolicy: given?.reclaimPolicy ?? (dataProtection.mode === "off" ? "Delete" : "Retain"),
        accessMode: kind === "block" ? "ReadWriteOnce" : "ReadWriteMany",
    };
}

/** Both StorageClasses, block before shared (the order their issues are listed in). */
export function resolveStorageClasses(
    given: { readonly block?: StorageClassConfig; readonly shared?: StorageClassConfig },
    name: string,
    profile: CloudProfile,
    clusterCreated: boolean,
    dataProtection: DataProtectionModel,
    issues: Issues,
): { readonly block: StorageClassModel; readonly shared: StorageClassModel } {
    return {
        block: resolveStorageClass("block", given.block, profile.storage.block, name, profile, clusterCreated, dataProtection, issues),
        shared: resolveStorageClass("shared", given.shared, profile.storage.shared, name, profile, clusterCreated, dataProtection, issues),
    };
}
