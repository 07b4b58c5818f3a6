// An EKS cluster, created or adopted by name: its region, subnets, version and access entries.

import { eksKubernetesVersions } from "../../cloud/profiles";
import type { Issues } from "../issues";
import type { ManagedNodePool } from "../pools/model";
import type { ManagedClusterBasis, SystemPool } from "./managed";

/** An EKS cluster, created or adopted by name, with one managed node group per pool. */
export interface AwsClusterModel {
    readonly cloud: "aws";
    readonly mode: "create" | "adopt";
    readonly name: string;
    readonly region: string;
    /** Subnets of the cluster and its node groups; at least two to create, empty to use an adopted cluster's own. */
    readonly subnetIds: readonly string[];
    /** Minor version of a created cluster, one EKS supports; undefined on an adopted cluster. */
    readonly kubernetesVersion?: string;
    /** IAM roles given EKS access entries on a created cluster; both empty: only the creator's implicit admin entry. */
    readonly access: { readonly deployRoleArns: readonly string[]; readonly previewRoleArns: readonly string[] };
    readonly pools: readonly ManagedNodePool[];
    /** The created cluster's own untainted pool; undefined when adopted, or shared isolation without one asked for. */
    readonly systemPool?: SystemPool;
}

/** A created EKS cluster's version: the stack's, if EKS still supports it, else EKS's default. */
function eksVersion(given: string | undefined, issues: Issues): string {
    const versions = eksKubernetesVersions;
    if (given !== undefined && !versions.supported.includes(given)) {
        issues.add(
            ["cluster", "kubernetesVersion"],
            `'${given}' is not a version EKS supports (${versions.source}); allowed: ${versions.supported.join(", ")}`,
        );
    }
    return given ?? versions.default;
}

/** The EKS settings of `cluster`: a region always, two subnets to create, no GCP setting. */
export function awsCluster({ c, mode, name, pools, systemPool }: ManagedClusterBasis, issues: Issues): AwsClusterModel {
    if (!c.region) issues.add(["cluster", "region"], "is required for cloud 'aws' (for example us-west-2)");
    if (mode === "create" && (c.subnetIds?.length ?? 0) < 2)
        issues.add(["cluster", "subnetIds"], "needs at least two subnets in different availability zones to create an EKS cluster");
    for (const key of ["location", "project", "network", "subnetwork"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], "is a GCP setting; with cloud 'aws' use region and subnetIds");
    }
    if (mode === "adopt" && c.access !== undefined)
        issues.add(["cluster", "access"], "is only used when the program creates the cluster (an adopted cluster's access entries are its owners')");
    return {
        cloud: "aws",
        mode,
        name,
        region: c.region ?? "",
        subnetIds: c.subnetIds ?? [],
        kubernetesVersion: mode === "create" ? eksVersion(c.kubernetesVersion, issues) : c.kubernetesVersion,
        access: { deployRoleArns: c.access?.deployRoleArns ?? [], previewRoleArns: c.access?.previewRoleArns ?? [] },
        pools,
        ...(systemPool ? { systemPool } : {}),
    };
}
