// The stack's configuration, as one typed object under the `tenancy` key, checked by
// zod before anything is registered. Shape-level rules live here; rules that
// relate fields to each other, or to the cloud, live in ./model.ts.

import { z } from "zod";
import { type NodeFunction, nodeFunctionOwners } from "@domino-tenancy/core";

/** RFC 1123 label: what Kubernetes accepts for namespace and most object names. */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = z
    .string()
    .max(63, { error: "must be at most 63 characters" })
    .regex(dnsLabelPattern, { error: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit" });

// Label keys: optional DNS-subdomain prefix and a name of at most 63 characters.
const labelKeyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const labelKey = z.string().regex(labelKeyPattern, { error: "must be a Kubernetes label key: [prefix/]name, name at most 63 of [A-Za-z0-9-_.]" });
const labelValue = z.string().regex(labelValuePattern, { error: "must be a Kubernetes label value: at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends" });
const labels = z.record(labelKey, labelValue);

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/, { error: "must be a Kubernetes quantity such as 500m, 4, 16Gi" });

/** An image reference pinned to a tag other than latest, or to a digest. */
export const pinnedImage = z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](@sha256:[a-f0-9]{64})?$/, { error: "must be an image reference such as registry/name:1.2.3" })
    .refine((ref) => ref.includes("@sha256:") || (/:[^/:]+$/.test(ref) && !ref.endsWith(":latest")), {
        error: "must be pinned: a tag other than 'latest' (registry/name:1.2.3) or a digest (@sha256:...)",
    });

/** How the reference writes "the configured domino.version" inside a default. */
const versionPlaceholder = "<domino.version>";

/**
 * Images whose default follows domino.version. The one template per image serves both
 * the model (with the version) and the reference text (with the placeholder).
 */
export const versionedImages = {
    installer: (version: string) => `quay.io/domino/fleetcommand-agent:v${version}`,
} as const;

const taint = z.strictObject({
    key: labelKey.describe("Taint key."),
    value: labelValue.optional().describe("Taint value; without one, Domino's tolerations match the key alone."),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).describe("Taint effect."),
});

const gpuSettings = z.strictObject({
    type: z.string().min(1).optional().describe("GKE accelerator type such as nvidia-l4 (gcp); on EKS the machine type implies the GPU. Default: the cloud's."),
    count: z.number().int().min(1).max(16).default(1).describe("GPUs per node."),
    driver: z.enum(["DEFAULT", "LATEST", "INSTALLATION_DISABLED"]).default("DEFAULT").describe("Which NVIDIA driver GKE installs on the pool's nodes."),
});

/** A GPU pool's settings when the stack gives none: the schema's own field defaults. */
export const defaultGpuSettings: z.output<typeof gpuSettings> = gpuSettings.parse({});

const nodePool = z.strictObject({
    /** Pool name: the cloud node group's name suffix. */
    name: dnsLabel
        .max(32, { error: "must be at most 32 characters (cloud node group names are short)" })
        .describe("Pool name, unique: the cloud node group's name suffix."),
    role: z.enum(["platform", "compute", "gpu"]).describe("What runs on the pool: Domino's platform services, user runs (compute), or GPU runs."),
    /** Value of dominodatalab.com/node-pool; @default platform | default | default-gpu by role. */
    nodePoolLabel: labelValue
        .min(1)
        .optional()
        .describe("Value of the dominodatalab.com/node-pool label, unique per pool. Default by role: platform, default, default-gpu."),
    machineType: z.string().min(1).optional().describe("Instance or machine type (aws, gcp). Default: the cloud's for the role."),
    minSize: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .optional()
        .describe("Fewest nodes (aws, gcp); a platform pool needs at least 1. Default: the cloud's for the role."),
    maxSize: z.number().int().min(1).max(1000).optional().describe("Most nodes (aws, gcp); at least minSize. Default: the cloud's for the role."),
    diskSizeGb: z.number().int().min(20).max(16384).optional().describe("Node disk size in GB (aws, gcp). Default: the cloud's for the role."),
    gpu: gpuSettings.optional().describe("GPU settings; only on pools with role gpu."),
    labels: labels.default({}).describe("Extra node labels. The role's labels are set for you and reserved."),
    taints: z
        .array(taint)
        .default([])
        .describe("Extra node taints; Domino's pods on the pool tolerate them. The role's and isolation's taints are set for you and reserved."),
});

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);
const podSecurity = z.strictObject({
    enforce: podSecurityLevel.describe("Pod Security level enforced on the namespace."),
    warn: podSecurityLevel.optional().describe("Pod Security level warned about. Default: restricted."),
    /** Why a level below baseline is needed; required with privileged (policies check it against their allowlist). */
    exception: z
        .string()
        .min(10, { error: "must say why, in at least 10 characters" })
        .optional()
        .describe("Why a level below baseline is needed; required with privileged (policies check it against their allowlist)."),
});

const storageClass = z.strictObject({
    /** Name of the StorageClass; @default `<name>-disk` / `<name>-shared`. */
    name: dnsLabel
        .optional()
        .describe("StorageClass name; starts with `<domino.name>-`. Default: `<domino.name>-disk` (block), `<domino.name>-shared` (shared)."),
    provisioner: z
        .string()
        .min(1)
        .optional()
        .describe(
            "CSI provisioner. Default on aws: ebs.csi.aws.com (block), efs.csi.aws.com (shared); on gcp: pd.csi.storage.gke.io, filestore.csi.storage.gke.io; required with existing.",
        ),
    parameters: z
        .record(z.string(), z.string())
        .default({})
        .describe(
            "StorageClass parameters, added to the cloud's defaults when the provisioner is the cloud's (shared needs fileSystemId on aws, network on gcp).",
        ),
    reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete").describe("What happens to a volume when its claim is deleted."),
});

const resources = z.strictObject({ cpu: quantity.describe("CPU quantity."), memory: quantity.describe("Memory quantity.") });

/** Each node function's description: what it is, who may own it, and the default. */
const nodeFunctionReference: Record<NodeFunction, string> = {
    logs: "Log shipping (Domino's fluentd). Allowed: domino (Domino's config has no switch for it). Default: domino.",
    nodeMetrics: "Node metrics (node exporter). Allowed: domino (monitoring.prometheus_metrics), cluster. Default: domino.",
    imageCache: "Image cache agent on the pools where runs execute. Allowed: domino (image_caching.enabled), cluster. Default: domino.",
    registryCertificates: "Registry certificates on Domino's nodes. Allowed: domino (certificate_management.enabled), cluster. Default: domino.",
    gpuDevicePlugin:
        "GPU device plugin on GPU pools. Allowed: domino (gpu.enabled), cluster, program (NVIDIA's plugin, scoped to GPU pools). Default: cluster with gcp (GKE runs its own), program with aws and existing.",
    sysctl: "vm.max_map_count on the platform pool, for Elasticsearch. Allowed: cluster, program (plumbing.sysctlMethod). Default: cluster with aws (AL2023 ships 524288, unless plumbing.maxMapCount is higher), program elsewhere.",
};

const owner = (fn: NodeFunction) => z.enum(nodeFunctionOwners).optional().describe(nodeFunctionReference[fn]);

export const tenancyConfigSchema = z.strictObject({
    cloud: z.enum(["aws", "gcp", "existing"]).describe("Where the cluster runs: aws (EKS), gcp (GKE), or existing (any cluster, adopted by kubeconfig)."),
    /** prod stacks protect the cluster and node pools from deletion. */
    environment: z.enum(["dev", "staging", "prod"]).default("dev").describe("prod protects the cluster and node pools from deletion."),
    cluster: z
        .strictObject({
            /** create a new cluster, or adopt one that exists (aws/gcp by name; existing always adopts). */
            mode: z
                .enum(["create", "adopt"])
                .optional()
                .describe("create a new cluster, or adopt one that exists (aws, gcp: by name). Default: create; existing always adopts."),
            name: dnsLabel
                .max(40, { error: "must be at most 40 characters" })
                .optional()
                .describe("Cluster name; required with aws and gcp. Default: the stack name."),
            region: z.string().min(1).optional().describe("AWS region such as us-west-2; required with aws, aws only."),
            location: z.string().min(1).optional().describe("GCP region such as us-central1, or a zone; required with gcp, gcp only."),
            project: z.string().min(1).optional().describe("GCP project ID (gcp only). Default: the provider's project."),
            kubernetesVersion: z
                .string()
                .regex(/^1\.[0-9]+$/, { error: "must be a minor version such as 1.33" })
                .optional()
                .describe("Kubernetes minor version of a created cluster (aws, gcp). Default: the cloud's."),
            subnetIds: z
                .array(z.string().min(1))
                .optional()
                .describe("Subnets of a created EKS cluster: at least two, in different availability zones (aws only)."),
            network: z.string().min(1).optional().describe("VPC network of a created GKE cluster (gcp only)."),
            subnetwork: z.string().min(1).optional().describe("Subnetwork of a created GKE cluster (gcp only)."),
            /** existing clusters: a kubeconfig file to read; the secret `kubeconfig` key or $KUBECONFIG otherwise. */
            kubeconfigPath: z
                .string()
                .min(1)
                .optional()
                .describe(
                    "existing only: a kubeconfig file to read (relative to the project, or ~/). The secret config value `kubeconfig` wins over it; $KUBECONFIG is the fallback.",
                ),
            /** kubeconfig context to use; @default the file's current context. */
            context: z.string().min(1).optional().describe("existing only: the kubeconfig context to use. Default: the file's current context."),
        })
        .default({})
        .describe("The cluster Domino runs in."),
    /** shared: Domino pools also take other tenants' work; dedicated: Domino pools are tainted for Domino only. */
    isolation: z
        .enum(["shared", "dedicated"])
        .default("dedicated")
        .describe("shared: Domino's pools also take other tenants' work; dedicated: Domino's pools are tainted for Domino alone."),
    nodePools: z
        .array(nodePool)
        .min(1)
        .optional()
        .describe(
            "Domino's node pools: exactly one platform pool and at least one compute pool. Default: pools named platform, compute and gpu, one per role.",
        ),
    domino: z
        .strictObject({
            /** Deployment name: prefixes every namespace and cluster-scoped object. */
            name: dnsLabel.default("domino").describe("Deployment name: prefixes every namespace and cluster-scoped object; at most 49 characters."),
            hostname: z
                .string()
                .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
                    error: "must be a fully qualified DNS name such as domino.example.com",
                })
                .describe("Domino's host name."),
            version: z
                .string()
                .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Domino version such as 6.1.0" })
                .default("6.1.0")
                .describe("Domino version to install; picks the installer's default image."),
            namespaces: z
                .strictObject({
                    platform: dnsLabel.optional().describe("Namespace of Domino's platform services. Default: `<domino.name>-platform`."),
                    compute: dnsLabel.optional().describe("Namespace of Domino's user runs. Default: `<domino.name>-compute`."),
                    system: dnsLabel.optional().describe("Namespace of Domino's installer. Default: `<domino.name>-system`."),
                })
                .default({})
                .describe("Names of Domino's namespaces; each distinct, none of the cluster's shared ones (default, kube-system ...)."),
            podSecurity: z
                .strictObject({
                    platform: podSecurity.optional().describe("Pod Security of the platform namespace. Default: enforce baseline, warn restricted."),
                    compute: podSecurity.optional().describe("Pod Security of the compute namespace. Default: enforce baseline, warn restricted."),
                    system: podSecurity.optional().describe("Pod Security of the system namespace. Default: enforce restricted, warn restricted."),
                })
                .default({})
                .describe("Pod Security Admission levels of Domino's namespaces."),
            storageClasses: z
                .strictObject({
                    block: storageClass.optional().describe("Block storage (ReadWriteOnce) for Domino's services."),
                    shared: storageClass.optional().describe("Shared file storage (ReadWriteMany) for datasets and projects."),
                })
                .default({})
                .describe("Domino's StorageClasses."),
            computeQuota: z
                .strictObject({
                    cpu: quantity.default("200").describe("CPU requests, in total."),
                    memory: quantity.default("800Gi").describe("Memory requests and limits, each in total."),
                    gpu: quantity.default("8").describe("nvidia.com/gpu requests, in total."),
                    storage: quantity.default("10Ti").describe("Storage requests of volume claims, in total."),
                    pods: z.number().int().min(1).default(500).describe("Pods."),
                    persistentVolumeClaims: z.number().int().min(0).default(200).describe("Volume claims."),
                })
                .prefault({})
                .describe("ResourceQuota of the compute namespace: what all of Domino's runs may take together."),
            computeLimits: z
                .strictObject({
                    defaultRequest: resources.default({ cpu: "100m", memory: "256Mi" }).describe("Requests of a container that sets none."),
                    defaultLimit: resources.default({ cpu: "2", memory: "4Gi" }).describe("Limits of a container that sets none."),
                    max: resources.default({ cpu: "64", memory: "512Gi" }).describe("Largest limits of any one container."),
                })
                .prefault({})
                .describe("LimitRange of the compute namespace, per container."),
            ingress: z
                .strictObject({
                    namespace: dnsLabel
                        .default("ingress-nginx")
                        .describe("Namespace of the cluster's ingress controller; allowed through Domino's network guards."),
                    className: dnsLabel.default("nginx").describe("IngressClass of Domino's ingresses."),
                })
                .prefault({})
                .describe("The cluster's ingress controller, which Domino uses and does not install."),
            admission: z
                .strictObject({
                    enabled: z
                        .boolean()
                        .default(true)
                        .describe(
                            "Register each single-object tenancy rule as a ValidatingAdmissionPolicy bound to Domino's namespaces and service accounts (needs Kubernetes 1.30+), with Domino's own API priority level.",
                        ),
                    validationActions: z
                        .enum(["Deny", "Warn", "Audit"])
                        .default("Deny")
                        .describe("What a broken rule does at runtime: Deny refuses the request; Warn and Audit only report it, for a staged rollout."),
                })
                .default({ enabled: true, validationActions: "Deny" })
                .describe("The tenancy rules at admission, for the objects Domino's operator creates at runtime."),
            installer: z
                .strictObject({
                    enabled: z.boolean().default(true).describe("Run Domino's installer as a Job."),
                    image: pinnedImage.optional().describe(`Installer image. Default: ${versionedImages.installer(versionPlaceholder)}.`),
                })
                .prefault({})
                .describe("Domino's installer (fleetcommand-agent) and its generated domino.yml."),
        })
        .describe("Domino itself."),
    plumbing: z
        .strictObject({
            devicePluginImage: pinnedImage.default("nvcr.io/nvidia/k8s-device-plugin:v0.20.0").describe("NVIDIA device plugin image."),
            sysctlMethod: z
                .enum(["auto", "node-config", "daemonset"])
                .default("auto")
                .describe(
                    "How this program sets vm.max_map_count on the platform pool when it owns nodeFunctions.sysctl. auto: node-config with gcp, daemonset elsewhere; node-config is gcp only.",
                ),
            maxMapCount: z
                .number()
                .int()
                .min(262144, { error: "must be at least 262144 (Elasticsearch's bootstrap check)" })
                .max(2147483647)
                .default(262144)
                .describe("vm.max_map_count for Domino's Elasticsearch."),
            tunerImages: z
                .strictObject({
                    init: pinnedImage.default("busybox:1.37.0").describe("Image of the tuner's init container, which sets the sysctl."),
                    pause: pinnedImage.default("registry.k8s.io/pause:3.10").describe("Image that keeps the tuner's pod running."),
                })
                .prefault({})
                .describe("Images of the sysctl tuner DaemonSet (sysctlMethod daemonset)."),
        })
        .prefault({})
        .describe("How this program does the node functions it owns (nodeFunctions: program): the GPU device plugin and vm.max_map_count."),
    nodeFunctions: z
        .strictObject({
            logs: owner("logs"),
            nodeMetrics: owner("nodeMetrics"),
            imageCache: owner("imageCache"),
            registryCertificates: owner("registryCertificates"),
            gpuDevicePlugin: owner("gpuDevicePlugin"),
            sysctl: owner("sysctl"),
        } satisfies Record<NodeFunction, unknown>)
        .default({})
        .describe(
            "Who runs each node-level function, exactly one owner each: domino (Domino's own DaemonSet, switched on in the generated Domino config), cluster (the cluster's admins or the cloud; Domino's is switched off), program (this program deploys it).",
        ),
});

export type TenancyConfig = z.output<typeof tenancyConfigSchema>;
export type TenancyConfigInput = z.input<typeof tenancyConfigSchema>;
export type NodePoolConfig = z.output<typeof nodePool>;

/** One problem with the configuration: where it is and what is allowed. */
export interface ConfigIssue {
    readonly path: string;
    readonly message: string;
}

/** Thrown with every problem at once, before any resource is registered. */
export class ConfigError extends Error {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(
            `invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

/** The config key the whole object lives under: `<project>:tenancy`. */
export const configKey = "tenancy";

export function formatPath(path: readonly PropertyKey[], root: string = configKey): string {
    let out = root;
    for (const part of path) out += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
    return out;
}

/** Keys an object schema accepts at a path, to say what is allowed next to an unknown key. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
    let schema: z.ZodType = tenancyConfigSchema;
    for (const part of [...path, null]) {
        // Unwrap defaults and optionals to reach the object or array underneath.
        for (let guard = 0; guard < 5; guard++) {
            const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
            if ((def.type === "default" || def.type === "prefault" || def.type === "optional") && def.innerType) schema = def.innerType;
            else break;
        }
        if (part === null) break;
        if (schema instanceof z.ZodObject) schema = schema.shape[String(part)] as z.ZodType;
        else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
        else return [];
        if (!schema) return [];
    }
    return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** Keys that moved when node functions got one owner each: the error says where to. */
const movedKeys: Readonly<Record<string, string>> = {
    "tenancy.plumbing.gpuDevicePlugin": "moved: set tenancy.nodeFunctions.gpuDevicePlugin to program (was on), cluster (was off) or domino",
    "tenancy.plumbing.sysctl":
        "moved: set tenancy.nodeFunctions.sysctl to program (was node-config or daemonset; the method is tenancy.plumbing.sysctlMethod) or cluster (was off)",
    "tenancy.domino.prometheusMetrics": "moved: set tenancy.nodeFunctions.nodeMetrics to domino (was true) or cluster (was false)",
    "tenancy.domino.imageCaching": "moved: set tenancy.nodeFunctions.imageCache to domino (was true) or cluster (was false)",
    "tenancy.domino.certificateManagement": "moved: set tenancy.nodeFunctions.registryCertificates to domino (was true) or cluster (was false)",
    "tenancy.domino.images": "removed with the program's stand-in node agents: Domino's own agents use the images of Domino's release",
};

/** Checks the shape of the raw config; every problem is reported, none is thrown alone. */
export function parseTenancyConfig(raw: unknown): { config?: TenancyConfig; issues: ConfigIssue[] } {
    if (raw === undefined || raw === null) {
        return { issues: [{ path: configKey, message: "is missing: every stack sets `tenancy` (see README, Configuration)" }] };
    }
    const result = tenancyConfigSchema.safeParse(raw);
    if (result.success) return { config: result.data, issues: [] };
    const issues: ConfigIssue[] = [];
    for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(issue.path);
            for (const key of issue.keys) {
                const path = formatPath([...issue.path, key]);
                issues.push({ path, message: movedKeys[path] ?? `unknown key; allowed here: ${allowed.join(", ")}` });
            }
        } else {
            issues.push({ path: formatPath(issue.path), message: issue.message });
        }
    }
    return { issues };
}
