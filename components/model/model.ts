// Validated model: the parsed config with every default resolved and every
// cross-field rule checked. Components read only this; none of them sees raw config
// or asks which cloud it runs on (the profile answers instead).
//
// Each concern resolves itself in its own folder (cluster, pools, storage, install,
// dataProtection, nodeFunctions, clusterFunctions, namespaces, consumers); buildModel composes them, in
// the order their issues are listed.

import { type CloudProfile, cloudProfiles } from "../cloud/profiles";
import {
    dedicatedTaint,
    maxDeploymentNameLength,
    type Namespaces,
    type ResolvedClusterFunctions,
    type ResolvedNodeFunctions,
    type Taint,
} from "@domino-tenancy/core";
import { resolveClusterFunctions } from "./clusterFunctions/model";
import { type ClusterModel, resolveCluster } from "./cluster/model";
import { type ConsumerModel, resolveConsumers } from "./consumers/model";
import { type DataProtectionModel, resolveDataProtection } from "./dataProtection/model";
import { type InstallModel, resolveInstall } from "./install/model";
import { ConfigError, Issues } from "./issues";
import { type PodSecurityLevels, resolveNamespaces, resolvePodSecurity } from "./namespaces/model";
import { type DevicePluginModel, resolveNodeFunctions, type SysctlModel } from "./nodeFunctions/model";
import { parseTenancyConfig, type TenancyConfig } from "./schema";
import { resolveStorageClasses, type StorageClassModel } from "./storage/model";

export type { AwsClusterModel } from "./cluster/aws";
export type { ExistingClusterModel } from "./cluster/existing";
export { defaultGkeMaintenanceWindow, type GcpClusterModel, type GkeMaintenance } from "./cluster/gcp";
export { type ClusterModel, minPlatformNodes } from "./cluster/model";
export type { SystemPool } from "./cluster/managed";
export type { ConsumerModel } from "./consumers/model";
export type { DataProtectionMode, DataProtectionModel } from "./dataProtection/model";
export { type ChartSource, type InstallModel, missingRegistryPassword } from "./install/model";
export type { PodSecurityLevels } from "./namespaces/model";
export type { DevicePluginModel, SysctlModel } from "./nodeFunctions/model";
export type { GpuSpec, ManagedNodePool } from "./pools/model";
export type { StorageClassModel } from "./storage/model";

export interface DeploymentModel {
    readonly profile: CloudProfile;
    readonly environment: "dev" | "staging" | "prod";
    /** Cluster and node pools refuse deletion in prod. */
    readonly protect: boolean;
    /** How Domino's data survives a destroy or a rename (resolved from dataProtection.mode and environment). */
    readonly dataProtection: DataProtectionModel;
    /** The cluster and its pools (every pool, on every cloud, is in `cluster.pools`). */
    readonly cluster: ClusterModel;
    readonly isolation: "shared" | "dedicated";
    /** What preview does with preflight's live checks (components/preflight/atPreview.ts). */
    readonly preflight: "error" | "warn" | "off";
    readonly dedicatedTaint?: Taint;
    /** The deployment name: the prefix of every namespace and cluster-scoped object. */
    readonly name: string;
    readonly hostname: string;
    readonly version: string;
    readonly namespaces: Namespaces;
    readonly podSecurity: Readonly<Record<"platform" | "compute" | "system", PodSecurityLevels>>;
    readonly storageClasses: { readonly block: StorageClassModel; readonly shared: StorageClassModel };
    readonly computeQuota: TenancyConfig["domino"]["computeQuota"];
    readonly computeLimits: TenancyConfig["domino"]["computeLimits"];
    readonly ingress: { readonly namespace: string; readonly className: string };
    /** Who runs each node-level function, and why: exactly one owner each. */
    readonly nodeFunctions: ResolvedNodeFunctions;
    /** Who runs each cluster-wide function Domino's config can install itself, and why: exactly one owner each. */
    readonly clusterFunctions: ResolvedClusterFunctions;
    /** The rules at admission: on/off and what a refusal does (Deny, or Warn/Audit for a staged rollout). */
    readonly admission: TenancyConfig["domino"]["admission"];
    /** How Domino itself is installed (see InstallModel). */
    readonly install: InstallModel;
    /** NVIDIA's device plugin: enabled exactly where this program owns nodeFunctions.gpuDevicePlugin. */
    readonly devicePlugin: DevicePluginModel;
    /** vm.max_map_count: a mode other than off exactly where this program owns nodeFunctions.sysctl. */
    readonly sysctl: SysctlModel;
    /** Consuming teams, each scoped to its own namespace. */
    readonly consumers: readonly ConsumerModel[];
}

/** Parses and resolves the raw `tenancy` config; throws one ConfigError listing every problem. */
export function buildModel(raw: unknown, stack: string): DeploymentModel {
    const parsed = parseTenancyConfig(raw);
    if (!parsed.config) throw new ConfigError(parsed.issues);
    const config = parsed.config;
    const issues = new Issues();
    const profile = cloudProfiles[config.cloud];
    const name = config.domino.name;
    if (name.length > maxDeploymentNameLength) {
        issues.add(
            ["domino", "name"],
            `'${name}' is ${name.length} characters; at most ${maxDeploymentNameLength}, so that '${name}-device-plugin' and the other derived namespaces stay within 63`,
        );
    }
    const dedicated = config.isolation === "dedicated" ? dedicatedTaint(name) : undefined;
    const cluster = resolveCluster(config, profile, stack, dedicated, issues);
    const { namespaces, taken } = resolveNamespaces(name, config.domino.namespaces, issues);
    const consumers = resolveConsumers(config.consumers, name, taken, issues);
    const podSecurity = resolvePodSecurity(config.domino.podSecurity, issues);
    const { nodeFunctions, devicePlugin, sysctl } = resolveNodeFunctions(config.nodeFunctions, config.plumbing, profile, issues);
    const clusterFunctions = resolveClusterFunctions(
        config.clusterFunctions,
        profile,
        cluster,
        config.domino.admission.enabled,
        nodeFunctions.registryCertificates.owner,
        issues,
    );
    const dataProtection = resolveDataProtection(config.dataProtection, config.environment);
    const storageClasses = resolveStorageClasses(config.domino.storageClasses, name, profile, cluster.mode === "create", dataProtection, issues);
    const install = resolveInstall(config.domino.version, config.domino.install, issues);

    if (issues.list.length > 0) throw new ConfigError(issues.list);
    return {
        profile,
        environment: config.environment,
        protect: config.environment === "prod",
        dataProtection,
        cluster,
        isolation: config.isolation,
        preflight: config.preflight,
        dedicatedTaint: dedicated,
        name,
        hostname: config.domino.hostname,
        version: config.domino.version,
        namespaces,
        podSecurity,
        storageClasses,
        computeQuota: config.domino.computeQuota,
        computeLimits: config.domino.computeLimits,
        ingress: config.domino.ingress,
        nodeFunctions,
        clusterFunctions,
        admission: config.domino.admission,
        install,
        devicePlugin,
        sysctl,
        consumers,
    };
}
