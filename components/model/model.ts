// Validated model: the parsed config with every default resolved and every
// cross-field rule checked. Components read only this; none of them sees raw config
// or asks which cloud it runs on (the profile answers instead).

import {
    AdoptedCloudProfile,
    CloudProfile,
    cloudProfiles,
    eksKubernetesVersions,
    GkeReleaseChannel,
    gkeKubernetesVersions,
    ManagedCloudProfile,
    PoolDefaults,
    PoolSizing,
    StorageClassDefaults,
} from "../cloud/profiles";
import { ConfigError, ConfigIssue, gkeExclusionScopes, NodePoolConfig, parseTenancyConfig, TenancyConfig, defaultGpuSettings } from "./schema";
import { Issues } from "./issues";
import { agentTagProblem, defaultMethod, type InstallMethod, knownAgentTags, majorOf } from "./releases";
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

/** protect: refuse deletion; retain: leave in the cluster when removed from the stack; off: neither. */
export type DataProtectionMode = "protect" | "retain" | "off";

export interface DataProtectionModel {
    readonly mode: DataProtectionMode;
    /** Why this mode (the config value, or what auto chose), for messages and the report. */
    readonly reason: string;
    /** The deployment name a rename on purpose moves from; undefined: no rename acknowledged. */
    readonly renameFrom?: string;
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
    /** Minor version of a created cluster, one EKS supports; undefined on an adopted cluster. */
    readonly kubernetesVersion?: string;
    /** IAM roles given EKS access entries on a created cluster; both empty: only the creator's implicit admin entry. */
    readonly access: { readonly deployRoleArns: readonly string[]; readonly previewRoleArns: readonly string[] };
    readonly pools: readonly ManagedNodePool[];
    /** The created cluster's own untainted pool; undefined when adopted, or shared isolation without one asked for. */
    readonly systemPool?: SystemPool;
}

/** A created cluster's own pool: no Domino label, no taint, a fixed size (see core systemPoolLabel). */
export interface SystemPool {
    readonly machineType: string;
    readonly nodes: number;
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
    /** Minor version of a created cluster, one GKE offers in its channel (a floor: the channel upgrades from it); undefined when adopted. */
    readonly kubernetesVersion?: string;
    readonly network?: string;
    readonly subnetwork?: string;
    /** Release channel of a created cluster; undefined when adopted (the cluster keeps its own). */
    readonly releaseChannel?: GkeReleaseChannel;
    /** Maintenance policy of a created cluster; undefined when adopted. */
    readonly maintenance?: GkeMaintenance;
    readonly pools: readonly ManagedNodePool[];
    /** The created cluster's own untainted pool; undefined when adopted, or shared isolation without one asked for. */
    readonly systemPool?: SystemPool;
}

/** When GKE may do automatic maintenance (one recurring window), and when it must not (exclusions). Times are RFC 3339 UTC. */
export interface GkeMaintenance {
    readonly window: { readonly start: string; readonly end: string; readonly recurrence: string };
    readonly exclusions: readonly {
        readonly name: string;
        readonly start: string;
        readonly end: string;
        readonly scope: (typeof gkeExclusionScopes)[number];
    }[];
}

/** Weekends, 04:00-12:00 UTC: 64 hours a month, above GKE's 48 in any 32 days, in windows longer than its 4-hour minimum. */
export const defaultGkeMaintenanceWindow: GkeMaintenance["window"] = {
    start: "2026-01-03T04:00:00Z",
    end: "2026-01-03T12:00:00Z",
    recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
};

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

/** A consuming team: its own namespace, and a ServiceAccount whose token it receives. */
export interface ConsumerModel {
    readonly name: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly tokenLifetimeSeconds: number;
    readonly quota: TenancyConfig["consumers"][number]["quota"];
}

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
    /** The rules at admission: on/off and what a refusal does (Deny, or Warn/Audit for a staged rollout). */
    readonly admission: TenancyConfig["domino"]["admission"];
    /** How Domino itself is installed (see InstallModel). */
    readonly install: InstallModel;
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
    /** Consuming teams, each scoped to its own namespace. */
    readonly consumers: readonly ConsumerModel[];
}

/** Where the Platform Operator chart comes from: a chart repository, or an archive or folder (Domino's offline path). */
export type ChartSource =
    { readonly kind: "repo"; readonly repo: string; readonly name: string; readonly version: string } | { readonly kind: "archive"; readonly archive: string };

export interface InstallModel {
    readonly method: InstallMethod;
    /** fleetcommand-agent tag of the release. */
    readonly agentVersion: string;
    /** The agent image (agent method): repository and tag. */
    readonly agentImage: string;
    readonly registry: { readonly server: string; readonly username: string; readonly passwordKey: string };
    /** operator method: install the chart and its CRD, or use the operator another stack installed. */
    readonly operator: "install" | "shared";
    /** operator method with operator install. */
    readonly chart?: ChartSource;
    /** apiVersion of the `Domino` custom resource. */
    readonly customResourceApiVersion: string;
}

const defaultPodSecurity: Record<"platform" | "compute" | "system", PodSecurityLevels> = {
    // Domino's services and user runs pass baseline; restricted warnings show what to tighten next.
    platform: { enforce: "baseline", warn: "restricted" },
    compute: { enforce: "baseline", warn: "restricted" },
    // Only the installer runs in system (the Platform Operator, or the agent Job), and it runs restricted.
    system: { enforce: "restricted", warn: "restricted" },
};

const defaultPools: NodePoolConfig[] = [
    { name: "platform", role: "platform", labels: {}, taints: [] },
    { name: "compute", role: "compute", labels: {}, taints: [] },
    { name: "gpu", role: "gpu", labels: {}, taints: [] },
];

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

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

/** Release channel and maintenance are GKE's: any other cloud refuses them rather than ignoring them. */
function rejectGkeSettings(c: TenancyConfig["cluster"], cloud: string, issues: Issues): void {
    for (const key of ["releaseChannel", "maintenance"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], `is a GKE setting; it is not used with cloud '${cloud}'`);
    }
}

/**
 * A created GKE cluster's version, release channel and maintenance policy, checked against
 * what GKE accepts. An adopted cluster keeps its own, so setting them there is refused.
 */
function gkeLifecycle(
    c: TenancyConfig["cluster"],
    mode: "create" | "adopt",
    issues: Issues,
): Pick<GcpClusterModel, "kubernetesVersion" | "releaseChannel" | "maintenance"> {
    if (mode === "adopt") {
        for (const key of ["kubernetesVersion", "releaseChannel", "maintenance"] as const) {
            if (c[key] !== undefined)
                issues.add(["cluster", key], "is only used when the program creates the GKE cluster (mode create); an adopted cluster keeps its own");
        }
        return {};
    }
    const releaseChannel = c.releaseChannel ?? "REGULAR";
    const kubernetesVersion = c.kubernetesVersion ?? gkeKubernetesVersions.default;
    const offered = gkeKubernetesVersions.byChannel[releaseChannel];
    if (!offered.includes(kubernetesVersion)) {
        issues.add(
            ["cluster", "kubernetesVersion"],
            `'${kubernetesVersion}' is not offered for new GKE clusters in the ${releaseChannel} channel; allowed: ${offered.join(", ")}`,
        );
    }
    const window = c.maintenance?.window ?? defaultGkeMaintenanceWindow;
    const windowHours = hours(window.start, window.end);
    if (windowHours < 4) {
        issues.add(["cluster", "maintenance", "window", "end"], `is ${windowHours} hours after start; GKE counts only windows of at least 4 hours`);
    }
    const exclusions = c.maintenance?.exclusions ?? [];
    const seen = new Set<string>();
    exclusions.forEach((e, i) => {
        const at = ["cluster", "maintenance", "exclusions", i];
        if (seen.has(e.name)) issues.add([...at, "name"], `'${e.name}' is already used; exclusion names must be unique`);
        seen.add(e.name);
        const length = hours(e.start, e.end);
        if (length <= 0) issues.add([...at, "end"], "must be after start");
        else if (e.scope === "NO_UPGRADES" && length > 30 * 24) {
            issues.add(
                [...at, "end"],
                `is ${Math.ceil(length / 24)} days after start; a NO_UPGRADES exclusion lasts at most 30 days (use NO_MINOR_UPGRADES for longer)`,
            );
        }
    });
    return { kubernetesVersion, releaseChannel, maintenance: { window, exclusions } };
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
    // Every Domino pool is tainted under dedicated isolation: without a pool of its own, a
    // created cluster's DNS and CSI controllers would have no node to run on.
    if (mode === "adopt" && c.systemPool !== undefined)
        issues.add(["cluster", "systemPool"], "is only used when the program creates the cluster (mode create); an adopted cluster keeps its own pools");
    const systemPool =
        mode === "create" && (config.isolation === "dedicated" || c.systemPool !== undefined)
            ? { machineType: c.systemPool?.machineType ?? profile.systemPool.machineType, nodes: c.systemPool?.nodes ?? profile.systemPool.nodes }
            : undefined;
    if (profile.name !== "gcp") rejectGkeSettings(c, profile.name, issues);
    switch (profile.name) {
        case "aws":
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
                network: c.network,
                subnetwork: c.subnetwork,
                ...gkeLifecycle(c, mode, issues),
                pools,
                ...(systemPool ? { systemPool } : {}),
            };
    }
}

/** Any cluster, adopted by kubeconfig: nothing about it is created or sized. */
function existingCluster(config: TenancyConfig, stack: string, pools: NodePool[], issues: Issues): ExistingClusterModel {
    const c = config.cluster;
    if (c.mode === "create") issues.add(["cluster", "mode"], "cloud 'existing' can only adopt a cluster; allowed: adopt");
    for (const key of ["region", "location", "project", "kubernetesVersion", "subnetIds", "network", "subnetwork", "systemPool"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], `is not used with cloud 'existing'; remove it`);
    }
    rejectGkeSettings(c, "existing", issues);
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

/** The problem when the registry password's secret config is missing (loadInputs and `config check` alike). */
export function missingRegistryPassword(install: InstallModel, project: string): ConfigIssue {
    const key = install.registry.passwordKey;
    return {
        path: `${project}:${key}`,
        message: `is missing: the ${install.registry.server} password Domino gave you, as secret config (pulumi config set --secret ${key}); tenancy.domino.install.registry.passwordKey names the key`,
    };
}

/** The install method, the agent's tag and the chart's source, each checked against domino.version. */
function resolveInstall(version: string, given: TenancyConfig["domino"]["install"], issues: Issues): InstallModel {
    const at = (...rest: string[]) => ["domino", "install", ...rest];
    const major = majorOf(version);
    const method = given.method ?? defaultMethod(version);
    if (given.method === "agent" && major >= 6)
        issues.add(at("method"), `'agent' cannot install Domino ${version}: from 6.0.0 the Platform Operator is the only supported path; allowed: operator`);
    if (given.method === "operator" && major < 6)
        issues.add(at("method"), `'operator' cannot install Domino ${version}: the Platform Operator manages 6.0.0 and later; allowed: agent`);
    if (major < 5) issues.add(["domino", "version"], `${version} is older than this program supports; allowed: 5.x (agent) or 6.x and later (operator)`);

    const agentVersion = given.agentVersion ?? knownAgentTags[version];
    if (agentVersion === undefined) {
        issues.add(
            at("agentVersion"),
            `is required for Domino ${version}, which this program has no tag for: set the fleetcommand-agent tag from Domino's releases page, ${version}.catalog-<commit hex> (known: ${Object.keys(knownAgentTags).join(", ")})`,
        );
    } else {
        const problem = agentTagProblem(agentVersion, version);
        if (problem) issues.add(at("agentVersion"), problem);
        else if (method === "operator" && !agentVersion.includes(".catalog-"))
            issues.add(at("agentVersion"), `'${agentVersion}' is a 5.x agent tag; the operator runs ${version}.catalog-<commit hex>`);
    }

    if (!given.registry.username)
        issues.add(
            at("registry", "username"),
            `is required: the ${given.registry.server} user name Domino gave you (its password is the secret config value '${given.registry.passwordKey}')`,
        );

    let chart: ChartSource | undefined;
    const c = given.chart;
    if (method === "agent") {
        if (c !== undefined) issues.add(at("chart"), "is only used with method 'operator'; remove it");
        if (given.operator !== "install") issues.add(at("operator"), "is only used with method 'operator'; remove it");
    } else if (given.operator === "shared") {
        if (c !== undefined) issues.add(at("chart"), "is not used with operator 'shared' (the stack that installs the operator owns its chart); remove it");
    } else if (c === undefined) {
        issues.add(
            at("chart"),
            "is required with operator 'install': a chart repository (repo, name, version) or Domino's chart archive (archive: platform-operator-<version>.tgz from https://mirrors.domino.tech/s3/domino-artifacts/platform-operator/, or its unpacked folder)",
        );
    } else if (c.archive !== undefined) {
        if (c.repo !== undefined || c.version !== undefined)
            issues.add(
                at("chart", c.repo !== undefined ? "repo" : "version"),
                "is not used with archive (the archive pins its version); give archive or repo and version, not both",
            );
        chart = { kind: "archive", archive: c.archive };
    } else if (c.repo === undefined || c.version === undefined) {
        issues.add(at("chart", c.repo === undefined ? "repo" : "version"), "is required: give repo, name and a pinned version, or archive");
    } else {
        chart = { kind: "repo", repo: c.repo, name: c.name, version: c.version };
    }

    const tag = agentVersion ?? "";
    return {
        method,
        agentVersion: tag,
        agentImage: `${given.agentRepository}:${tag}`,
        registry: { server: given.registry.server, username: given.registry.username ?? "", passwordKey: given.registry.passwordKey },
        operator: given.operator,
        chart,
        customResourceApiVersion: given.customResourceApiVersion,
    };
}

/** dataProtection.mode with auto resolved: prod stacks protect Domino's data, others leave it unguarded as before. */
function resolveDataProtection(config: TenancyConfig): DataProtectionModel {
    const { mode, renameFrom } = config.dataProtection;
    if (mode !== "auto") return { mode, reason: `set to ${mode} in dataProtection.mode`, renameFrom };
    return config.environment === "prod"
        ? { mode: "protect", reason: "auto, environment prod", renameFrom }
        : { mode: "off", reason: `auto, environment ${config.environment}`, renameFrom };
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
    if (config.cluster.access !== undefined && config.cloud !== "aws") {
        issues.add(["cluster", "access"], `is an AWS setting (EKS access entries), not used with cloud '${config.cloud}'; remove it`);
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

    // Consumers' namespaces are cluster-scoped objects the program creates: prefixed, and none of Domino's own.
    const consumers: ConsumerModel[] = config.consumers.map((c, i) => {
        const namespace = c.namespace ?? `${name}-${c.name}`;
        if (!namespace.startsWith(`${name}-`))
            issues.add(["consumers", i, "namespace"], `'${namespace}' does not start with '${name}-'; allowed: a name prefixed with the deployment name`);
        if (seen.has(namespace))
            issues.add(["consumers", i, "namespace"], `'${namespace}' is already the ${seen.get(namespace)} namespace; each namespace must be distinct`);
        seen.set(namespace, `consumer ${c.name}`);
        if (config.consumers.findIndex((o) => o.name === c.name) !== i)
            issues.add(["consumers", i, "name"], `'${c.name}' is listed twice; each consumer name must be distinct`);
        return { name: c.name, namespace, serviceAccount: `${c.name}-deployer`, tokenLifetimeSeconds: c.tokenLifetimeHours * 3600, quota: c.quota };
    });

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

    const clusterCreated = cluster.mode === "create";
    const dataProtection = resolveDataProtection(config);
    const storageClasses = {
        block: resolveStorageClass("block", config.domino.storageClasses.block, profile.storage.block, name, profile, clusterCreated, dataProtection, issues),
        shared: resolveStorageClass(
            "shared",
            config.domino.storageClasses.shared,
            profile.storage.shared,
            name,
            profile,
            clusterCreated,
            dataProtection,
            issues,
        ),
    };

    const install = resolveInstall(config.domino.version, config.domino.install, issues);

    if (issues.list.length > 0) throw new ConfigError(issues.list);
    const version = config.domino.version;
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
        install,
        devicePlugin: { enabled: devicePluginEnabled, reason: nodeFunctions.gpuDevicePlugin.reason, image: plumbing.devicePluginImage },
        sysctl: {
            mode: sysctlMode,
            reason: nodeFunctions.sysctl.reason,
            maxMapCount: plumbing.maxMapCount,
            initImage: plumbing.tunerImages.init,
            pauseImage: plumbing.tunerImages.pause,
        },
        consumers,
    };
}
