// Validated model: the parsed config with every default resolved and every
// cross-field rule checked. Components read only this; none of them sees raw config
// or asks which cloud it runs on (the profile answers instead).

import { CloudProfile, cloudProfiles, StorageClassDefaults } from "../cloud/profiles";
import { ConfigError, ConfigIssue, formatPath, NodePoolConfig, parseTenancyConfig, TenancyConfig } from "./schema";
import { dedicatedTaint, defaultNamespaces, defaultNodePoolLabel, labelKeys, maxDeploymentNameLength, Namespaces, NodePool, PodSecurityLevel, PoolRole, poolLabels, poolTaints, prefixed, Taint, taintKeys } from "@domino-tenancy/core";


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

export interface ClusterModel {
    readonly mode: "create" | "adopt";
    readonly name: string;
    readonly region?: string;
    readonly location?: string;
    readonly project?: string;
    readonly kubernetesVersion?: string;
    readonly subnetIds: readonly string[];
    readonly network?: string;
    readonly subnetwork?: string;
    readonly kubeconfigPath?: string;
    readonly context?: string;
}

export interface DeploymentModel {
    readonly profile: CloudProfile;
    readonly environment: "dev" | "staging" | "prod";
    /** Cluster and node pools refuse deletion in prod. */
    readonly protect: boolean;
    readonly cluster: ClusterModel;
    readonly isolation: "shared" | "dedicated";
    readonly dedicatedTaint?: Taint;
    /** The deployment name: the prefix of every namespace and cluster-scoped object. */
    readonly name: string;
    readonly hostname: string;
    readonly version: string;
    readonly pools: readonly NodePool[];
    readonly namespaces: Namespaces;
    readonly podSecurity: Readonly<Record<"platform" | "compute" | "system", PodSecurityLevels>>;
    readonly storageClasses: { readonly block: StorageClassModel; readonly shared: StorageClassModel };
    readonly computeQuota: TenancyConfig["domino"]["computeQuota"];
    readonly computeLimits: TenancyConfig["domino"]["computeLimits"];
    readonly ingress: { readonly namespace: string; readonly className: string };
    readonly prometheusMetrics: boolean;
    readonly imageCaching: boolean;
    readonly certificateManagement: boolean;
    /** The rules at admission: on/off and what a refusal does (Deny, or Warn/Audit for a staged rollout). */
    readonly admission: TenancyConfig["domino"]["admission"];
    readonly installer: { readonly enabled: boolean; readonly image: string };
    readonly images: { readonly fluentd: string; readonly nodeExporter: string; readonly imageCacheAgent: string; readonly registryCerts: string };
    readonly devicePlugin: { readonly enabled: boolean; readonly reason: string; readonly image: string };
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

function resolvePools(config: TenancyConfig, profile: CloudProfile, dedicated: Taint | undefined, issues: Issues): NodePool[] {
    const pools = config.nodePools ?? defaultPools;
    const at = (i: number, ...rest: PropertyKey[]): PropertyKey[] => (config.nodePools ? ["nodePools", i, ...rest] : ["nodePools"]);
    const byRole = (role: PoolRole) => pools.filter((p) => p.role === role).length;
    if (byRole("platform") !== 1) issues.add(["nodePools"], `needs exactly one pool with role platform (found ${byRole("platform")})`);
    if (byRole("compute") < 1) issues.add(["nodePools"], "needs at least one pool with role compute");

    const names = new Map<string, number>();
    const poolLabelsSeen = new Map<string, number>();
    const reservedLabels = new Set<string>(Object.values(labelKeys));
    const reservedTaints = new Set<string>(Object.values(taintKeys));

    return pools.map((pool, i): NodePool => {
        if (names.has(pool.name)) issues.add(at(i, "name"), `'${pool.name}' is already used by nodePools[${names.get(pool.name)}]; pool names must be unique`);
        names.set(pool.name, i);
        const nodePoolLabel = pool.nodePoolLabel ?? defaultNodePoolLabel[pool.role];
        if (poolLabelsSeen.has(nodePoolLabel)) {
            issues.add(at(i, "nodePoolLabel"), `'${nodePoolLabel}' is already used by nodePools[${poolLabelsSeen.get(nodePoolLabel)}]; give each pool its own ${labelKeys.nodePool} value`);
        }
        poolLabelsSeen.set(nodePoolLabel, i);

        for (const key of Object.keys(pool.labels)) {
            if (reservedLabels.has(key)) issues.add(at(i, "labels", key), `is set by the pool's role; remove it (reserved: ${[...reservedLabels].join(", ")})`);
        }
        pool.taints.forEach((t, j) => {
            if (reservedTaints.has(t.key)) issues.add(at(i, "taints", j, "key"), `'${t.key}' is set by the pool's role and isolation; use another key (reserved: ${[...reservedTaints].join(", ")})`);
        });
        if (pool.gpu && pool.role !== "gpu") issues.add(at(i, "gpu"), `is only allowed on pools with role gpu (this pool's role is ${pool.role})`);

        const defaults = profile.pools[pool.role];
        if (!profile.managesNodePools) {
            // The nodes of an adopted cluster exist already: sizing them here would be a silent no-op.
            for (const key of ["machineType", "minSize", "maxSize", "diskSizeGb"] as const) {
                if (pool[key] !== undefined) issues.add(at(i, key), `is not used with cloud '${profile.name}' (its nodes already exist); remove it`);
            }
            if (pool.gpu?.type !== undefined) issues.add(at(i, "gpu", "type"), `is not used with cloud '${profile.name}'; remove it`);
        }
        const minSize = pool.minSize ?? defaults.minSize;
        const maxSize = pool.maxSize ?? defaults.maxSize;
        if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
            issues.add(at(i, "minSize"), `is ${minSize}, above maxSize ${maxSize}; allowed: 0..maxSize`);
        }
        if (pool.role === "platform" && minSize === 0) issues.add(at(i, "minSize"), "must be at least 1: Domino's platform services always need a node");

        const gpu =
            pool.role === "gpu"
                ? { type: profile.managesNodePools ? (pool.gpu?.type ?? defaults.gpuType) : undefined, count: pool.gpu?.count ?? 1, driver: pool.gpu?.driver ?? "DEFAULT" }
                : undefined;
        return {
            name: pool.name,
            role: pool.role,
            nodePoolLabel,
            labels: poolLabels({ role: pool.role, nodePoolLabel, extraLabels: pool.labels }),
            taints: poolTaints({ role: pool.role, gpuTaintEffect: profile.gpuTaintEffect, dedicated, extraTaints: pool.taints }),
            machineType: pool.machineType ?? defaults.machineType,
            minSize,
            maxSize,
            diskSizeGb: pool.diskSizeGb ?? defaults.diskSizeGb,
            gpu,
        };
    });
}

function resolveCluster(config: TenancyConfig, profile: CloudProfile, stack: string, issues: Issues): ClusterModel {
    const c = config.cluster;
    const onCloud = profile.managesNodePools;
    const mode = profile.name === "existing" ? "adopt" : (c.mode ?? "create");
    if (profile.name === "existing" && c.mode === "create") issues.add(["cluster", "mode"], "cloud 'existing' can only adopt a cluster; allowed: adopt");
    if (onCloud && !c.name) issues.add(["cluster", "name"], `is required for cloud '${profile.name}'`);
    if (!onCloud) {
        for (const key of ["region", "location", "project", "kubernetesVersion", "subnetIds", "network", "subnetwork"] as const) {
            if (c[key] !== undefined) issues.add(["cluster", key], `is not used with cloud 'existing'; remove it`);
        }
    } else if (c.kubeconfigPath !== undefined || c.context !== undefined) {
        issues.add(["cluster", c.kubeconfigPath !== undefined ? "kubeconfigPath" : "context"], `is only used with cloud 'existing' (the ${profile.name} cluster's kubeconfig is built from the cluster)`);
    }
    if (profile.name === "aws") {
        if (!c.region) issues.add(["cluster", "region"], "is required for cloud 'aws' (for example us-west-2)");
        if (mode === "create" && (c.subnetIds?.length ?? 0) < 2) issues.add(["cluster", "subnetIds"], "needs at least two subnets in different availability zones to create an EKS cluster");
        for (const key of ["location", "project", "network", "subnetwork"] as const) {
            if (c[key] !== undefined) issues.add(["cluster", key], "is a GCP setting; with cloud 'aws' use region and subnetIds");
        }
    }
    if (profile.name === "gcp") {
        if (!c.location) issues.add(["cluster", "location"], "is required for cloud 'gcp' (a region such as us-central1, or a zone)");
        for (const key of ["region", "subnetIds"] as const) {
            if (c[key] !== undefined) issues.add(["cluster", key], "is an AWS setting; with cloud 'gcp' use location, network and subnetwork");
        }
    }
    return {
        mode,
        name: c.name ?? stack,
        region: c.region,
        location: c.location,
        project: c.project,
        kubernetesVersion: c.kubernetesVersion,
        subnetIds: c.subnetIds ?? [],
        network: c.network,
        subnetwork: c.subnetwork,
        kubeconfigPath: c.kubeconfigPath,
        context: c.context,
    };
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
    if (!provisioner) issues.add([...path, "provisioner"], `is required with cloud '${profile.name}' (for example ${kind === "block" ? "rancher.io/local-path or ebs.csi.aws.com" : "nfs.csi.k8s.io"})`);
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

/** Parses and resolves the raw `tenancy` config; throws one ConfigError listing every problem. */
export function buildModel(raw: unknown, stack: string): DeploymentModel {
    const parsed = parseTenancyConfig(raw);
    if (!parsed.config) throw new ConfigError(parsed.issues);
    const config = parsed.config;
    const issues = new Issues();
    const profile = cloudProfiles[config.cloud];
    const name = config.domino.name;
    if (name.length > maxDeploymentNameLength) {
        issues.add(["domino", "name"], `'${name}' is ${name.length} characters; at most ${maxDeploymentNameLength}, so that '${name}-device-plugin' and the other derived namespaces stay within 63`);
    }
    const dedicated = config.isolation === "dedicated" ? dedicatedTaint(name) : undefined;
    const pools = resolvePools(config, profile, dedicated, issues);
    const cluster = resolveCluster(config, profile, stack, issues);

    const namespaces = { ...defaultNamespaces(name), ...config.domino.namespaces };
    const seen = new Map<string, string>();
    for (const [role, ns] of Object.entries(namespaces)) {
        if (["default", "kube-system", "kube-public", "kube-node-lease"].includes(ns)) issues.add(["domino", "namespaces", role], `'${ns}' is shared by every tenant; choose a namespace of Domino's own`);
        if (seen.has(ns)) issues.add(["domino", "namespaces", role], `'${ns}' is already the ${seen.get(ns)} namespace; each namespace must be distinct`);
        seen.set(ns, role);
    }

    for (const [ns, levels] of Object.entries(config.domino.podSecurity)) {
        if (levels?.enforce === "privileged" && !levels.exception) {
            issues.add(["domino", "podSecurity", ns, "exception"], "is required when enforce is privileged: say why Domino's pods there need host access");
        }
    }

    const plumbing = config.plumbing;
    let sysctlMode = plumbing.sysctl === "auto" ? profile.sysctlAuto : plumbing.sysctl;
    let sysctlReason = plumbing.sysctl === "auto" ? profile.sysctlAutoReason : `set to ${plumbing.sysctl} in plumbing.sysctl`;
    if (plumbing.sysctl === "node-config" && !profile.sysctlNodeConfigSupported) {
        issues.add(["plumbing", "sysctl"], `node-config is not available on cloud '${profile.name}'; allowed: auto, daemonset, off`);
    }
    if (plumbing.sysctl === "auto" && profile.baseMaxMapCount !== undefined && plumbing.maxMapCount > profile.baseMaxMapCount) {
        // The node image's value is too low for what the stack asks: tune it after all.
        sysctlMode = "daemonset";
        sysctlReason = `maxMapCount ${plumbing.maxMapCount} is above the ${profile.baseMaxMapCount} the ${profile.name} node image ships`;
    }
    const devicePluginEnabled = plumbing.gpuDevicePlugin === "auto" ? profile.devicePluginAuto === "on" : plumbing.gpuDevicePlugin === "on";
    const devicePluginReason = plumbing.gpuDevicePlugin === "auto" ? profile.devicePluginAutoReason : `set to ${plumbing.gpuDevicePlugin} in plumbing.gpuDevicePlugin`;

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
        pools,
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
        prometheusMetrics: config.domino.prometheusMetrics,
        imageCaching: config.domino.imageCaching,
        certificateManagement: config.domino.certificateManagement,
        admission: config.domino.admission,
        installer: {
            enabled: config.domino.installer.enabled,
            image: config.domino.installer.image ?? `quay.io/domino/fleetcommand-agent:v${version}`,
        },
        images: {
            fluentd: config.domino.images.fluentd ?? "fluent/fluentd-kubernetes-daemonset:v1.18.0-debian-forward-1.0",
            nodeExporter: config.domino.images.nodeExporter ?? "quay.io/prometheus/node-exporter:v1.9.1",
            imageCacheAgent: config.domino.images.imageCacheAgent ?? `quay.io/domino/image-cache-agent:${version}`,
            registryCerts: config.domino.images.registryCerts ?? `quay.io/domino/docker-registry-certs:${version}`,
        },
        devicePlugin: { enabled: devicePluginEnabled, reason: devicePluginReason, image: plumbing.devicePluginImage },
        sysctl: {
            mode: sysctlMode,
            reason: sysctlReason,
            maxMapCount: plumbing.maxMapCount,
            initImage: plumbing.tunerImages.init,
            pauseImage: plumbing.tunerImages.pause,
        },
    };
}
