// Cluster-wide functions: who runs each one (the cluster autoscaler, metrics-server,
// Domino's StorageClasses, certificate management), checked against what this cluster allows.

import type { CloudProfile } from "../../cloud/profiles";
import {
    checkClusterOwner,
    type ClusterFunctionFacts,
    clusterFunctions,
    defaultClusterOwners,
    type NodeFunctionOwner,
    type ResolvedClusterFunctions,
} from "@domino-tenancy/core";
import type { ClusterModel } from "../cluster/model";
import type { Issues } from "../issues";
import { chooseOwners } from "../owners";
import type { ClusterFunctionsConfig } from "./schema";

/** A pool the autoscaler has work on: its size may change. */
export function poolScales(pool: { readonly minSize: number; readonly maxSize: number }): boolean {
    return pool.minSize < pool.maxSize;
}

/** This program runs a cluster autoscaler where the cloud needs one, it created the cluster, and some pool can scale. */
export function programRunsAutoscaler(profile: CloudProfile, cluster: ClusterModel): boolean {
    return profile.poolScaling.programOnCreatedCluster && cluster.cloud !== "existing" && cluster.mode === "create" && cluster.pools.some(poolScales);
}

/** The facts a cluster's owners follow, from its profile and its model. */
export function clusterFunctionFacts(profile: CloudProfile, cluster: ClusterModel): ClusterFunctionFacts {
    return {
        cloud: profile.name,
        programRunsAutoscaler: programRunsAutoscaler(profile, cluster),
        autoscalerElsewhere: profile.poolScaling.otherwise,
        metricsServerBy: profile.metricsServerBy,
    };
}

/**
 * Each cluster function's owner: the stack's choice where it names one (checked against what
 * this cluster allows), else the default. Domino's metrics-server registers the APIService
 * v1beta1.metrics.k8s.io, a cluster-scoped name without the deployment prefix, which
 * cluster-scoped-names-prefixed's admission twin refuses from Domino's service accounts: so
 * domino there needs the admission policies off, and the error says so before anything is created.
 */
export function resolveClusterFunctions(
    given: ClusterFunctionsConfig,
    profile: CloudProfile,
    cluster: ClusterModel,
    admissionEnabled: boolean,
    registryCertificates: NodeFunctionOwner,
    issues: Issues,
): ResolvedClusterFunctions {
    const facts = clusterFunctionFacts(profile, cluster);
    // Domino's config has one certificate_management switch (`enabled`, named `install` by 6.2:
    // shared/reference/domino.md), and the registry-certificate DaemonSet is part of it: so this
    // owner follows nodeFunctions.registryCertificates, and may not contradict it.
    const certificates = registryCertificates === "domino" ? "domino" : "cluster";
    const defaults: ResolvedClusterFunctions = {
        ...defaultClusterOwners(facts),
        certificateManagement: {
            owner: certificates,
            reason: `one switch in Domino's config with nodeFunctions.registryCertificates (${registryCertificates})`,
        },
    };
    const out = chooseOwners("clusterFunctions", clusterFunctions, given, defaults, (fn, owner) => checkClusterOwner(fn, owner, facts), issues);
    const chosen = given.certificateManagement;
    // 'program' is refused above, as for any function the program has no copy of.
    if ((chosen === "domino" || chosen === "cluster") && chosen !== certificates)
        issues.add(
            ["clusterFunctions", "certificateManagement"],
            `is ${chosen}, but nodeFunctions.registryCertificates is ${registryCertificates}: Domino's config has one certificate_management switch for both, so Domino owns both or neither; allowed here: ${certificates}`,
        );
    if (given.metricsServer === "domino" && admissionEnabled)
        issues.add(
            ["clusterFunctions", "metricsServer"],
            "is domino, but domino.admission.enabled is true, and cluster-scoped-names-prefixed refuses Domino's metrics-server APIService (v1beta1.metrics.k8s.io cannot carry the deployment prefix); allowed: cluster, or domino with domino.admission.enabled: false",
        );
    return out;
}
