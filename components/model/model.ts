// Validated model: the parsed config with every default resolved and every
// cross-field rule checked. Components read only this; none of them sees raw config
// or asks which cloud it runs on (the profile answers instead).

import { AdoptedCloudProfile, CloudProfile, cloudProfiles, ManagedCloudProfile, PoolDefaults, PoolSizing, StorageClassDefaults } from "../cloud/profiles";
import { ConfigError, ConfigIssue, formatPath, NodePoolConfig, parseTenancyConfig, TenancyConfig, defaultGpuSettings, versionedImages } from "./schema";
import {
    dedicatedTaint,
    poolTolerations,
    defaultNamespaces,
    defaultNodePoolLabel,
    labelKeys,
    maxDeploymentNameLength,
    Namespaces,
    NodePool,
    PodSecurityLevel,
    PoolRole,
    poolLabels,
    poolTaints,
    prefixed,
    Taint,
    taintKeys,
    checkOwner,
    defaultOwners,
    type NodeFunction,
    type NodeFunctionOwner,
    nodeFunctions,
    type ResolvedNodeFunctions,
} from "@domino-tenancy/core";

export interface PodSecurityLevels {
    readonly enforce: PodSecurityLevel;
    readonly warn: PodSecurityLevel;
    readonly exception?: string;
}

export interface StorageClassModel {
    readonly name: string;
    readonly provisioner: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly reclaimPolicy: "Delete" | "Retain";
    readonly accessMode: "ReadWriteOnce" | "ReadWriteMany";
}

export interface GpuSpec {
    /** Accelerator type where the cloud needs one (GKE); undefined where the machine type implies it. */
    readonly type?: string;
    readonly count: number;
    readonly driver: "DEFAULT" | "LATEST" | "INSTALLATION_DISABLED";
}

/** A pool the program creates in a managed cloud: the pool's labels and taints, and how its nodes are sized. */
export interface ManagedNodePool extends NodePool, PoolSizing {
    /** Set on pools with role gpu. */
    readonly gpu?: GpuSpec;
}

/** An EKS cluster, created or adopted by name, with one managed node group per pool. */
export interface AwsClusterModel {
    readonly cloud: "aws";
    readonly mode: "create" | "adopt";
    readonly name: string;
    readonly region: string;
    /** Subnets of the cluster and its node groups; at least two to create, empty to use an adopted cluster's own. */
    readonly subnetIds: readonly string[];
    /** Minor version of a created cluster; undefined: EKS's default. */
    readonly kubernetesVersion?: string;
    readonly pools: readonly ManagedNodePool[];
}

/** A GKE cluster, created or adopted by name, with one node pool per pool. */
export interface GcpClusterModel {
    readonly cloud: "gcp";
    readonly mode: "create" | "adopt";
    readonly name: string;
    /** Region or zone. */
    readonly location: string;
    /** undefined: the provider's project. */
    readonly project?: string;
    /** Minor version of a created cluster; undefined: GKE's default. */
    readonly kubernetesVersion?: string;
    readonly network?: string;
    readonly subnetwork?: string;
    readonly pools: readonly ManagedNodePool[];
}

/** Any cluster, adopted by kubeconfig: its pools are declared, their nodes exist and are not sized here. */
export interface ExistingClusterModel {
    readonly cloud: "existing";
    readonly mode: "adopt";
    readonly name: string;
    /** Where the kubeconfig is read from when no secret gives it (see kubeconfigSource). */
    readonly kubeconfigPath?: string;
    /** undefined: the kubeconfig's current context. */
    readonly context?: string;
    readonly pools: readonly NodePool[];
}

/** The cluster Domino runs in, typed by cloud: each cloud's model has exactly the fields it uses. */
export type ClusterModel = AwsClusterModel | GcpClusterModel | ExistingClusterModel;

export interface DeploymentModel {
    readonly profile: CloudProfile;
    readonly environment: "dev" | "staging" | "prod";
    /** Cluster and node pools refuse deletion in prod. */
    readonly protect: boolean;
    /** The cluster and its pools (every pool, on every cloud, is in `cluster.pools`). */
    readonly cluster: ClusterModel;
    readonly isolation: "shared" | "dedicated";
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
    /** The rules at admission: on/off and what a refusal does (Deny, or Warn/Audit for a staged rollout). */
    readonly admission: TenancyConfig["domino"]["admission"];
    readonly installer: { readonly enabled: boolean; readonly image: string };
    /** NVIDIA's device plugin: enabled exactly where this program owns nodeFunctions.gpuDevicePlugin. */
    readonly devicePlugin: { readonly enabled: boolean; readonly reason: string; readonly image: string };
    /** vm.max_map_count: a mode other than off exactly where this program owns nodeFunctions.sysctl. */
    readonly sysctl: {
        readonly mode: "node-config" | "daemonset" | "off";
        readonly reason: string;
        readonly maxMapCount: number;
        readonly initImage: string;
        readonly pauseImage: string;
    };
}

const defaultPodSecurity: Record<"platform" | "compute" | "system", PodSecurityLevels> = {
    // Domino's services and user runs pass baseline; restricted warnings show what to tighten next.
    platform: { enforce: "baseline", warn: "restricted" },
    compute: { enforce: "baseline", warn: "restricted" },
    // Only the installer runs in system, and it runs restricted.
    system: { enforce: "restricted", warn: "restricted" },
};

const defaultPools: NodePoolConfig[] = [
    { name: "platform", role: "platform", labels: {}, taints: [] },
    { name: "compute", role: "compute", labels: {}, taints: [] },
    { name: "gpu", role: "gpu", labels: {}, taints: [] },
];

/** Collects problems with their config paths so all of them are reported together. */
class Issues {
    readonly list: ConfigIssue[] = [];
    add(path: readonly PropertyKey[], message: string): void {
        this.list.push({ path: formatPath(path), message });
    }
}

/** The per-pool part of a pool's model that depends on the cloud: its sizing, or nothing on an adopted cluster. */
type PoolFinisher<P extends NodePool> = (given: NodePoolConfig, pool: NodePool, at: (...rest: PropertyKey[]) => PropertyKey[]) => P;

function checkSizes(
    role: PoolRole,
    minSize: number | undefined,
    maxSize: number | undefined,
    at: (...rest: PropertyKey[]) => PropertyKey[],
    issues: Issues,
): void {
    if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
        issues.add(at("minSize"), `is ${minSize}, above maxSize ${maxSize}; allowed: 0..maxSize`);
    }
    if (role === "platform" && minSize === 0) issues.add(at("minSize"), "must be at least 1: Domino's platform services always need a node");
}

/** Managed clouds: every pool sized, the stack's values over the cloud's defaults for the role. */
function sizedBy(profile: ManagedCloudProfile, issues: Issues): PoolFinisher<ManagedNodePool> {
    return (given, pool, at) => {
        const defaults: PoolDefaults = profile.pools[given.role];
        const sizing: PoolSizing = {
            machineType: given.machineType ?? defaults.machineType,
            minSize: given.minSize ?? defaults.minSize,
            maxSize: given.maxSize ?? defaults.maxSize,
            diskSizeGb: given.diskSizeGb ?? defaults.diskSizeGb,
        };
        checkSizes(given.role, sizing.minSize, sizing.maxSize, at, issues);
        const gpuSettings = given.gpu ?? defaultGpuSettings;
        const gpu = given.role === "gpu" ? { type: gpuSettings.type ?? defaults.gpuType, count: gpuSettings.count, driver: gpuSettings.driver } : undefined;
        return { ...pool, ...sizing, gpu };
    };
}

/** Adopted clusters: the nodes exist, so sizing them here would be a silent no-op; it is refused. */
function unsized(profile: AdoptedCloudProfile, issues: Issues): PoolFinisher<NodePool> {
    return (given, pool, at) => {
        for (const key of ["machineType", "minSize", "maxSize", "diskSizeGb"] as const) {
            if (given[key] !== undefined) issues.add(at(key), `is not used with cloud '${profile.name}' (its nodes already exist); remove it`);
        }
        if (given.gpu?.type !== undefined) issues.add(at("gpu", "type"), `is not used with cloud '${profile.name}'; remove it`);
        checkSizes(given.role, given.minSize, given.maxSize, at, issues);
        return pool;
    };
}

function resolvePools<P extends NodePool>(
    config: TenancyConfig,
    profile: CloudProfile,
    dedicated: Taint | undefined,
    finish: PoolFinisher<P>,
    issues: Issues,
): P[] {
    const pools = config.nodePools ?? defaultPools;
    const at = (i: number, ...rest: PropertyKey[]): PropertyKey[] => (config.nodePools ? ["nodePools", i, ...rest] : ["nodePools"]);
    const byRole = (role: PoolRole) => pools.filter((p) => p.role === role).length;
    if (byRole("platform") !== 1) issues.add(["nodePools"], `needs exactly one pool with role platform (found ${byRole("platform")})`);
    if (byRole("compute") < 1) issues.add(["nodePools"], "needs at least one pool with role compute");

    const names = new Map<string, number>();
    const poolLabelsSeen = new Map<string, number>();
    const reservedLabels = new Set<string>(Object.values(labelKeys));
    const reservedTaints = new Set<string>(Object.values(taintKeys));

    return pools.map((pool, i): P => {
        if (names.has(pool.name)) issues.add(at(i, "name"), `'${pool.name}' is already used by nodePools[${names.get(pool.name)}]; pool names must be unique`);
        names.set(pool.name, i);
        const nodePoolLabel = pool.nodePoolLabel ?? defaultNodePoolLabel[pool.role];
        if (poolLabelsSeen.has(nodePoolLabel)) {
            issues.add(
                at(i, "nodePoolLabel"),
                `'${nodePoolLabel}' is already used by nodePools[${poolLabelsSeen.get(nodePoolLabel)}]; give each pool its own ${labelKeys.nodePool} value`,
            );
        }
        poolLabelsSeen.set(nodePoolLabel, i);

        for (const key of Object.keys(pool.labels)) {
            if (reservedLabels.has(key)) issues.add(at(i, "labels", key), `is set by the pool's role; remove it (reserved: ${[...reservedLabels].join(", ")})`);
        }
        pool.taints.forEach((t, j) => {
            if (reservedTaints.has(t.key))
                issues.add(
                    at(i, "taints", j, "key"),
                    `'${t.key}' is set by the pool's role and isolation; use another key (reserved: ${[...reservedTaints].join(", ")})`,
                );
        });
        if (pool.gpu && pool.role !== "gpu") issues.add(at(i, "gpu"), `is only allowed on pools with role gpu (this pool's role is ${pool.role})`);

        const taints = poolTaints({ role: pool.role, gpuTaintEffect: profile.gpuTaintEffect, dedicated, extraTaints: pool.taints });
        const base: NodePool = {
            name: pool.name,
            role: pool.role,
            nodePoolLabel,
            labels: poolLabels({ role: pool.role, nodePoolLabel, extraLabels: pool.labels }),
            taints,
            // Where the cloud taints GPU nodes itself (GKE), its taint is tolerated too.
            tolerations: poolTolerations(taints, profile.cloudTaintsGpuNodes),
        };
        return finish(pool, base, (...rest) => at(i, ...rest));
    });
}

/** An EKS or GKE cluster: named, in a region or location, its pools sized. */
function managedCluster(
    config: TenancyConfig,
    profile: ManagedCloudProfile,
    stack: string,
    pools: ManagedNodePool[],
    issues: Issues,
): AwsClusterModel | GcpClusterModel {
    const c = config.cluster;
    const mode = c.mode ?? "create";
    if (!c.name) issues.add(["cluster", "name"], `is required for cloud '${profile.name}'`);
    if (c.kubeconfigPath !== undefined || c.context !== undefined) {
        issues.add(
            ["cluster", c.kubeconfigPath !== undefined ? "kubeconfigPath" : "context"],
            `is only used with cloud 'existing' (the ${profile.name} cluster's kubeconfig is built from the cluster)`,
        );
    }
    // The name's fallback and the empty strings below only fill a model that is never returned: each comes with an issue.
    const name = c.name ?? stack;
    switch (profile.name) {
        case "aws":
            if (!c.region) issues.add(["cluster", "region"], "is required for cloud 'aws' (for example us-west-2)");
            if (mode === "create" && (c.subnetIds?.length ?? 0) < 2)
                issues.add(["cluster", "subnetIds"], "needs at least two subnets in different availability zones to create an EKS cluster");
            for (const key of ["location", "project", "network", "subnetwork"] as const) {
                if (c[key] !== undefined) issues.add(["cluster", key], "is a GCP setting; with cloud 'aws' use region and subnetIds");
            }
            return { cloud: "aws", mode, name, region: c.region ?? "", subnetIds: c.subnetIds ?? [], kubernetesVersion: c.kubernetesVersion, pools };
        case "gcp":
            if (!c.location) issues.add(["cluster", "location"], "is required for cloud 'gcp' (a region such as us-central1, or a zone)");
            for (const key of ["region", "subnetIds"] as const) {
                if (c[key] !== undefined) issues.add(["cluster", key], "is an AWS setting; with cloud 'gcp' use location, network and subnetwork");
            }
            return {
                cloud: "gcp",
                mode,
                name,
                location: c.location ?? "",
                project: c.project,
                kubernetesVersion: c.kubernetesVersion,
                network: c.network,
                subnetwork: c.subnetwork,
                pools,
            };
    }
}

/** Any cluster, adopted by kubeconfig: nothing about it is created or sized. */
function existingCluster(config: TenancyConfig, stack: string, pools: NodePool[], issues: Issues): ExistingClusterModel {
    const c = config.cluster;
    if (c.mode === "create") issues.add(["cluster", "mode"], "cloud 'existing' can only adopt a cluster; allowed: adopt");
    for (const key of ["region", "location", "project", "kubernetesVersion", "subnetIds", "network", "subnetwork"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], `is not used with cloud 'existing'; remove it`);
    }
    return { cloud: "existing", mode: "adopt", name: c.name ?? stack, kubeconfigPath: c.kubeconfigPath, context: c.context, pools };
}

/** Fewest platform nodes the deployment runs with: the platform pool's minimum where the program sizes it, else one. */
export function minPlatformNodes(cluster: ClusterModel): number {
    if (cluster.cloud === "existing") return 1;
    return Math.min(...cluster.pools.filter((p) => p.role === "platform").map((p) => p.minSize));
}

function resolveStorageClass(
    kind: "block" | "shared",
    given: TenancyConfig["domino"]["storageClasses"]["block"],
    defaults: StorageClassDefaults | undefined,
    name: string,
    profile: CloudProfile,
    issues: Issues,
): StorageClassModel {
    const path = ["domino", "storageClasses", kind];
    const provisioner = given?.provisioner ?? defaults?.provisioner;
    if (!provisioner)
        issues.add(
            [...path, "provisioner"],
            `is required with cloud '${profile.name}' (for example ${kind === "block" ? "rancher.io/local-path or ebs.csi.aws.com" : "nfs.csi.k8s.io"})`,
        );
    const parameters = { ...(given?.provisioner === undefined ? (defaults?.parameters ?? {}) : {}), ...(given?.parameters ?? {}) };
    if (given?.provisioner === undefined) {
        for (const required of defaults?.requiredParameters ?? []) {
            if (!(required in parameters)) issues.add([...path, "parameters", required], `is required by ${defaults?.provisioner} on cloud '${profile.name}'`);
        }
    }
    const scName = given?.name ?? prefixed(name, kind === "block" ? "disk" : "shared");
    if (!scName.startsWith(`${name}-`)) issues.add([...path, "name"], `must start with '${name}-' (cluster-scoped objects carry the deployment prefix)`);
    return {
        name: scName,
        provisioner: provisioner ?? "",
        parameters,
        reclaimPolicy: given?.reclaimPolicy ?? "Delete",
        accessMode: kind === "block" ? "ReadWriteOnce" : "ReadWriteMany",
    };
}

/**
 * Each node function's owner: the stack's choice where it names one (checked against what
 * the function allows), else the cloud's default. Where the node image ships a
 * vm.max_map_count below what the stack asks, the default becomes this program.
 */
function resolveNodeFunctions(config: TenancyConfig, profile: CloudProfile, issues: Issues): ResolvedNodeFunctions {
    const given = config.nodeFunctions;
    const maxMapCount = config.plumbing.maxMapCount;
    const defaults = {
        ...defaultOwners({ cloud: profile.name, cloudRunsDevicePlugin: profile.devicePluginAuto === "off", nodesSetMaxMapCount: profile.sysctlAuto === "off" }),
    };
    if (defaults.sysctl.owner === "cluster" && profile.baseMaxMapCount !== undefined && maxMapCount > profile.baseMaxMapCount) {
        defaults.sysctl = {
            owner: "program",
            reason: `plumbing.maxMapCount ${maxMapCount} is above the ${profile.baseMaxMapCount} the ${profile.name} node image ships`,
        };
    }
    const out = {} as Record<NodeFunction, { owner: NodeFunctionOwner; reason: string }>;
    for (const fn of nodeFunctions) {
        const owner = given[fn];
        if (owner === undefined) {
            out[fn] = defaults[fn];
            continue;
        }
        const problem = checkOwner(fn, owner);
        if (problem) issues.add(["nodeFunctions", fn], problem);
        out[fn] = { owner, reason: `set to ${owner} in nodeFunctions.${fn}` };
    }
    return out;
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
    // Pools first: their issues are listed before the cluster's.
    const cluster = profile.managesNodePools
        ? managedCluster(config, profile, stack, resolvePools(config, profile, dedicated, sizedBy(profile, issues), issues), issues)
        : existingCluster(config, stack, resolvePools(config, profile, dedicated, unsized(profile, issues), issues), issues);

    const namespaces = { ...defaultNamespaces(name), ...config.domino.namespaces };
    const seen = new Map<string, string>();
    for (const [role, ns] of Object.entries(namespaces)) {
        if (["default", "kube-system", "kube-public", "kube-node-lease"].includes(ns))
            issues.add(["domino", "namespaces", role], `'${ns}' is shared by every tenant; choose a namespace of Domino's own`);
        if (seen.has(ns)) issues.add(["domino", "namespaces", role], `'${ns}' is already the ${seen.get(ns)} namespace; each namespace must be distinct`);
        seen.set(ns, role);
    }

    for (const [ns, levels] of Object.entries(config.domino.podSecurity)) {
        if (levels?.enforce === "privileged" && !levels.exception) {
            issues.add(["domino", "podSecurity", ns, "exception"], "is required when enforce is privileged: say why Domino's pods there need host access");
        }
    }

    const plumbing = config.plumbing;
    const nodeFunctions = resolveNodeFunctions(config, profile, issues);
    const sysctlMethod = plumbing.sysctlMethod === "auto" ? (profile.sysctlNodeConfigSupported ? "node-config" : "daemonset") : plumbing.sysctlMethod;
    if (plumbing.sysctlMethod === "node-config" && !profile.sysctlNodeConfigSupported) {
        issues.add(["plumbing", "sysctlMethod"], `node-config is not available on cloud '${profile.name}'; allowed: auto, daemonset`);
    }
    const sysctlMode = nodeFunctions.sysctl.owner === "program" ? sysctlMethod : "off";
    const devicePluginEnabled = nodeFunctions.gpuDevicePlugin.owner === "program";

    const storageClasses = {
        block: resolveStorageClass("block", config.domino.storageClasses.block, profile.storage.block, name, profile, issues),
        shared: resolveStorageClass("shared", config.domino.storageClasses.shared, profile.storage.shared, name, profile, issues),
    };

    if (issues.list.length > 0) throw new ConfigError(issues.list);
    const version = config.domino.version;
    return {
        profile,
        environment: config.environment,
        protect: config.environment === "prod",
        cluster,
        isolation: config.isolation,
        dedicatedTaint: dedicated,
        name,
        hostname: config.domino.hostname,
        version,
        namespaces,
        podSecurity: {
            platform: { ...defaultPodSecurity.platform, ...config.domino.podSecurity.platform },
            compute: { ...defaultPodSecurity.compute, ...config.domino.podSecurity.compute },
            system: { ...defaultPodSecurity.system, ...config.domino.podSecurity.system },
        },
        storageClasses,
        computeQuota: config.domino.computeQuota,
        computeLimits: config.domino.computeLimits,
        ingress: config.domino.ingress,
        nodeFunctions,
        admission: config.domino.admission,
        installer: {
            enabled: config.domino.installer.enabled,
            image: config.domino.installer.image ?? versionedImages.installer(version),
        },
        devicePlugin: { enabled: devicePluginEnabled, reason: nodeFunctions.gpuDevicePlugin.reason, image: plumbing.devicePluginImage },
        sysctl: {
            mode: sysctlMode,
            reason: nodeFunctions.sysctl.reason,
            maxMapCount: plumbing.maxMapCount,
            initImage: plumbing.tunerImages.init,
            pauseImage: plumbing.tunerImages.pause,
        },
    };
}
