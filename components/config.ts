// The stack's configuration, as one typed object under the `tenancy` key, checked by
// zod before anything is registered. Shape-level rules live here; rules that
// relate fields to each other, or to the cloud, live in ./model.ts.

import { z } from "zod";

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

const quantity = z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/, { error: "must be a Kubernetes quantity such as 500m, 4, 16Gi" });

/** An image reference pinned to a tag other than latest, or to a digest. */
export const pinnedImage = z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](@sha256:[a-f0-9]{64})?$/, { error: "must be an image reference such as registry/name:1.2.3" })
    .refine((ref) => ref.includes("@sha256:") || (/:[^/:]+$/.test(ref) && !ref.endsWith(":latest")), {
        error: "must be pinned: a tag other than 'latest' (registry/name:1.2.3) or a digest (@sha256:...)",
    });

const taint = z.strictObject({
    key: labelKey,
    value: labelValue.optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

const nodePool = z.strictObject({
    /** Pool name: the cloud node group's name suffix. */
    name: dnsLabel.max(32, { error: "must be at most 32 characters (cloud node group names are short)" }),
    role: z.enum(["platform", "compute", "gpu"]),
    /** Value of dominodatalab.com/node-pool; @default platform | default | default-gpu by role. */
    nodePoolLabel: labelValue.min(1).optional(),
    machineType: z.string().min(1).optional(),
    minSize: z.number().int().min(0).max(1000).optional(),
    maxSize: z.number().int().min(1).max(1000).optional(),
    diskSizeGb: z.number().int().min(20).max(16384).optional(),
    gpu: z
        .strictObject({
            type: z.string().min(1).optional(),
            count: z.number().int().min(1).max(16).default(1),
            driver: z.enum(["DEFAULT", "LATEST", "INSTALLATION_DISABLED"]).default("DEFAULT"),
        })
        .optional(),
    labels: labels.default({}),
    taints: z.array(taint).default([]),
});

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);
const podSecurity = z.strictObject({
    enforce: podSecurityLevel,
    warn: podSecurityLevel.optional(),
    /** Why a level below baseline is needed; required with privileged (policies check it against their allowlist). */
    exception: z.string().min(10, { error: "must say why, in at least 10 characters" }).optional(),
});

const storageClass = z.strictObject({
    /** Name of the StorageClass; @default `<name>-disk` / `<name>-shared`. */
    name: dnsLabel.optional(),
    provisioner: z.string().min(1).optional(),
    parameters: z.record(z.string(), z.string()).default({}),
    reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
});

const resources = z.strictObject({ cpu: quantity, memory: quantity });

export const tenancyConfigSchema = z.strictObject({
    cloud: z.enum(["aws", "gcp", "existing"]),
    /** prod stacks protect the cluster and node pools from deletion. */
    environment: z.enum(["dev", "staging", "prod"]).default("dev"),
    cluster: z
        .strictObject({
            /** create a new cluster, or adopt one that exists (aws/gcp by name; existing always adopts). */
            mode: z.enum(["create", "adopt"]).optional(),
            name: dnsLabel.max(40, { error: "must be at most 40 characters" }).optional(),
            region: z.string().min(1).optional(),
            location: z.string().min(1).optional(),
            project: z.string().min(1).optional(),
            kubernetesVersion: z.string().regex(/^1\.[0-9]+$/, { error: "must be a minor version such as 1.33" }).optional(),
            subnetIds: z.array(z.string().min(1)).optional(),
            network: z.string().min(1).optional(),
            subnetwork: z.string().min(1).optional(),
            /** existing clusters: a kubeconfig file to read; the secret `kubeconfig` key or $KUBECONFIG otherwise. */
            kubeconfigPath: z.string().min(1).optional(),
            /** kubeconfig context to use; @default the file's current context. */
            context: z.string().min(1).optional(),
        })
        .default({}),
    /** shared: Domino pools also take other tenants' work; dedicated: Domino pools are tainted for Domino only. */
    isolation: z.enum(["shared", "dedicated"]).default("dedicated"),
    nodePools: z.array(nodePool).min(1).optional(),
    domino: z
        .strictObject({
            /** Deployment name: prefixes every namespace and cluster-scoped object. */
            name: dnsLabel.default("domino"),
            hostname: z
                .string()
                .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a fully qualified DNS name such as domino.example.com" }),
            version: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Domino version such as 6.1.0" }).default("6.1.0"),
            namespaces: z
                .strictObject({ platform: dnsLabel.optional(), compute: dnsLabel.optional(), system: dnsLabel.optional() })
                .default({}),
            podSecurity: z
                .strictObject({ platform: podSecurity.optional(), compute: podSecurity.optional(), system: podSecurity.optional() })
                .default({}),
            storageClasses: z.strictObject({ block: storageClass.optional(), shared: storageClass.optional() }).default({}),
            computeQuota: z
                .strictObject({
                    cpu: quantity.default("200"),
                    memory: quantity.default("800Gi"),
                    gpu: quantity.default("8"),
                    storage: quantity.default("10Ti"),
                    pods: z.number().int().min(1).default(500),
                    persistentVolumeClaims: z.number().int().min(0).default(200),
                })
                .default({ cpu: "200", memory: "800Gi", gpu: "8", storage: "10Ti", pods: 500, persistentVolumeClaims: 200 }),
            computeLimits: z
                .strictObject({ defaultRequest: resources, defaultLimit: resources, max: resources })
                .default({
                    defaultRequest: { cpu: "100m", memory: "256Mi" },
                    defaultLimit: { cpu: "2", memory: "4Gi" },
                    max: { cpu: "64", memory: "512Gi" },
                }),
            ingress: z
                .strictObject({ namespace: dnsLabel.default("ingress-nginx"), className: dnsLabel.default("nginx") })
                .default({ namespace: "ingress-nginx", className: "nginx" }),
            prometheusMetrics: z.boolean().default(true),
            imageCaching: z.boolean().default(true),
            certificateManagement: z.boolean().default(true),
            installer: z
                .strictObject({
                    enabled: z.boolean().default(true),
                    image: pinnedImage.optional(),
                })
                .default({ enabled: true }),
            images: z
                .strictObject({
                    fluentd: pinnedImage.optional(),
                    nodeExporter: pinnedImage.optional(),
                    imageCacheAgent: pinnedImage.optional(),
                    registryCerts: pinnedImage.optional(),
                })
                .default({}),
        }),
    plumbing: z
        .strictObject({
            gpuDevicePlugin: z.enum(["auto", "on", "off"]).default("auto"),
            devicePluginImage: pinnedImage.default("nvcr.io/nvidia/k8s-device-plugin:v0.20.0"),
            sysctl: z.enum(["auto", "node-config", "daemonset", "off"]).default("auto"),
            maxMapCount: z.number().int().min(262144, { error: "must be at least 262144 (Elasticsearch's bootstrap check)" }).max(2147483647).default(262144),
            tunerImages: z
                .strictObject({ init: pinnedImage.default("busybox:1.37.0"), pause: pinnedImage.default("registry.k8s.io/pause:3.10") })
                .default({ init: "busybox:1.37.0", pause: "registry.k8s.io/pause:3.10" }),
        })
        .default({
            gpuDevicePlugin: "auto",
            devicePluginImage: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
            sysctl: "auto",
            maxMapCount: 262144,
            tunerImages: { init: "busybox:1.37.0", pause: "registry.k8s.io/pause:3.10" },
        }),
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
        super(`invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
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
            if ((def.type === "default" || def.type === "optional") && def.innerType) schema = def.innerType;
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
                issues.push({ path: formatPath([...issue.path, key]), message: `unknown key; allowed here: ${allowed.join(", ")}` });
            }
        } else {
            issues.push({ path: formatPath(issue.path), message: issue.message });
        }
    }
    return { issues };
}
