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
    reclaimPolicy: z
        .enum(["Delete", "Retain"])
        .optional()
        .describe(
            "What happens to a volume when its claim is deleted. Default: Retain when dataProtection.mode resolves to protect or retain (prod), else Delete; Delete is refused while data is protected.",
        ),
});

/** An IAM role's ARN (access entries name roles, never assumed-role sessions). */
const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, {
    error: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy",
});

// GKE stores maintenance times in UTC and shows any other form as a permanent diff, so only Zulu times are accepted.
const utcTime = z.iso.datetime({ error: "must be an RFC 3339 time in UTC such as 2026-01-03T04:00:00Z (GKE keeps UTC; other forms show a permanent diff)" });
const rrulePattern = /^FREQ=(DAILY|WEEKLY|MONTHLY)(;(BYDAY|BYMONTHDAY|BYMONTH|BYSETPOS|INTERVAL|COUNT|UNTIL|WKST)=[A-Z0-9,+-]+)*$/;

/** GKE's maintenance exclusion scopes: what an exclusion holds back. */
export const gkeExclusionScopes = ["NO_UPGRADES", "NO_MINOR_UPGRADES", "NO_MINOR_OR_NODE_UPGRADES"] as const;

const maintenanceWindow = z.strictObject({
    start: utcTime.describe("Start of the first window (UTC)."),
    end: utcTime.describe("End of the first window (UTC): with start, every window's length (at least 4 hours)."),
    recurrence: z
        .string()
        .regex(rrulePattern, { error: "must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SA,SU (FREQ DAILY, WEEKLY or MONTHLY first)" })
        .describe("When the window recurs, as an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SA,SU."),
});

const maintenanceExclusion = z.strictObject({
    name: z.string().min(1).max(63).describe("Exclusion name, unique in the list."),
    start: utcTime.describe("Start (UTC)."),
    end: utcTime.describe("End (UTC); NO_UPGRADES lasts at most 30 days."),
    scope: z
        .enum(gkeExclusionScopes)
        .default("NO_UPGRADES")
        .describe("What is held back: NO_UPGRADES (all, at most 30 days), NO_MINOR_UPGRADES, or NO_MINOR_OR_NODE_UPGRADES."),
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
    /** prod stacks protect the cluster and node pools from deletion, and (dataProtection auto) Domino's data. */
    environment: z
        .enum(["dev", "staging", "prod"])
        .default("dev")
        .describe("prod protects the cluster and node pools from deletion, and with dataProtection.mode auto Domino's namespaces and StorageClasses."),
    dataProtection: z
        .strictObject({
            mode: z
                .enum(["auto", "protect", "retain", "off"])
                .default("auto")
                .describe(
                    "How Domino's data survives a destroy or a rename. protect: Domino's platform, compute and system namespaces refuse deletion and replacement (`protect`), its StorageClasses stay in the cluster when they leave the stack (`retainOnDelete`); retain: both stay in the cluster when they leave the stack, nothing refuses; off: neither. auto: protect with environment prod, off otherwise.",
                ),
            renameFrom: dnsLabel
                .optional()
                .describe(
                    "Acknowledges renaming the deployment on purpose: the domino.name this stack last deployed. Without it, a changed domino.name fails preview while data is protected.",
                ),
        })
        .prefault({})
        .describe("Protection of Domino's namespaces and StorageClasses, where its volume claims live; see docs/operations.md."),
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
            access: z
                .strictObject({
                    deployRoleArns: z
                        .array(iamRoleArn)
                        .default([])
                        .describe(
                            "IAM roles that deploy the stack (the deploy workflow's OIDC role): each gets an EKS access entry with AmazonEKSClusterAdminPolicy. When set, the creator's implicit admin entry is not made, so list the role that runs `pulumi up` here.",
                        ),
                    previewRoleArns: z
                        .array(iamRoleArn)
                        .default([])
                        .describe(
                            "IAM roles that only preview (the pull-request and drift workflows' roles): each gets an access entry with AmazonEKSViewPolicy.",
                        ),
                })
                .optional()
                .describe(
                    "aws only, created clusters: who reaches the API, as EKS access entries (authentication mode API). Default: only the identity that creates the cluster.",
                ),
            releaseChannel: z
                .enum(["RAPID", "REGULAR", "STABLE", "EXTENDED"])
                .optional()
                .describe("GKE release channel of a created cluster, which upgrades it from kubernetesVersion on (gcp only). Default: REGULAR."),
            maintenance: z
                .strictObject({
                    window: maintenanceWindow
                        .optional()
                        .describe(
                            "When GKE may upgrade and repair: one recurring window, at least 48 hours in any 32 days. Default: weekends, Saturday and Sunday 04:00-12:00 UTC.",
                        ),
                    exclusions: z
                        .array(maintenanceExclusion.describe("One period when GKE holds upgrades back."))
                        .max(20, { error: "GKE allows at most 20 maintenance exclusions" })
                        .default([])
                        .describe("Periods when GKE holds upgrades back, such as a release freeze."),
                })
                .optional()
                .describe("Maintenance window and exclusions of a created GKE cluster (gcp only)."),
            systemPool: z
                .strictObject({
                    machineType: z.string().min(1).optional().describe("Instance or machine type. Default: m6i.large (aws), e2-standard-4 (gcp)."),
                    nodes: z
                        .number()
                        .int({ error: "must be a whole number" })
                        .min(1, { error: "must be at least 1" })
                        .max(20, { error: "must be at most 20" })
                        .optional()
                        .describe("Fixed node count (the autoscaler leaves this pool alone). Default: 2."),
                })
                .optional()
                .describe(
                    "The created cluster's own pool (aws, gcp, mode create): untainted, without Domino's labels, for the cluster's system workloads (DNS, the CSI controllers) and other tenants. Created with isolation dedicated, where every Domino pool is tainted; with shared isolation only when set.",
                ),
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
    /** What preview does with preflight's live checks, where the program can read the cluster before creating anything. */
    preflight: z
        .enum(["error", "warn", "off"])
        .default("error")
        .describe(
            "Preflight's read-only checks at preview and up, on an adopted cluster whose kubeconfig the program can read (cloud existing): error fails on an error finding or an unreachable cluster; warn logs every finding and an unreachable cluster as warnings (for previews where the cluster may be out of reach, such as pull requests); off skips them. Created clusters are never checked at preview (they do not exist yet).",
        ),
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
                .describe("Domino version to install; picks the install method and the fleetcommand-agent tag."),
            namespaces: z
                .strictObject({
                    platform: dnsLabel.optional().describe("Namespace of Domino's platform services. Default: `<domino.name>-platform`."),
                    compute: dnsLabel.optional().describe("Namespace of Domino's user runs. Default: `<domino.name>-compute`."),
                    system: dnsLabel
                        .optional()
                        .describe(
                            "Namespace of Domino's installer: the Platform Operator and the `Domino` resource, or the agent Job. Default: `<domino.name>-system`.",
                        ),
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
            install: z
                .strictObject({
                    method: z
                        .enum(["operator", "agent"])
                        .optional()
                        .describe(
                            "How Domino is installed. operator: Domino's Platform Operator (a Helm chart) and a `Domino` custom resource, the only supported path since 6.0.0; agent: fleetcommand-agent `run` as a Job, the 5.x path. Default by domino.version: operator for 6.x and later, agent for 5.x; the other choice is refused.",
                        ),
                    agentVersion: z
                        .string()
                        .optional()
                        .describe(
                            "fleetcommand-agent tag of the release, <domino.version>.catalog-<commit> such as 6.1.0.catalog-b50f131 (v<number> before 5.10). Default: the tag of a known release (5.9.0-5.11.1, 6.0.0, 6.1.0, 6.1.4, 6.2.0, 6.2.2); required for any other version.",
                        ),
                    agentRepository: z
                        .string()
                        .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, { error: "must be an image repository such as quay.io/domino/fleetcommand-agent" })
                        .default("quay.io/domino/fleetcommand-agent")
                        .describe("Repository of the fleetcommand-agent image (agent method), to pull it from a mirror; its tag is agentVersion."),
                    registry: z
                        .strictObject({
                            server: z.string().min(1).default("quay.io").describe("Registry of Domino's images."),
                            username: z
                                .string()
                                .min(1)
                                .optional()
                                .describe("Registry user name Domino gave you; required. Its password is secret config, never here (see passwordKey)."),
                            passwordKey: z
                                .string()
                                .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: "must be a config key name such as registryPassword" })
                                .default("registryPassword")
                                .describe("Secret config key of the registry password: `pulumi config set --secret <passwordKey> ...`."),
                        })
                        .prefault({})
                        .describe("Credentials for Domino's image registry: a pull secret, and the generated config's helm.image_registries."),
                    operator: z
                        .enum(["install", "shared"])
                        .default("install")
                        .describe(
                            "operator method: install the Platform Operator chart and its CRD, or shared: another stack in the cluster installed them (one operator reconciles every Domino resource cluster-wide); this stack then creates only its registry secret and its Domino resource.",
                        ),
                    chart: z
                        .strictObject({
                            repo: z
                                .string()
                                .regex(/^(https?|oci):\/\/\S+$/, { error: "must be an https:// or oci:// chart repository URL" })
                                .optional()
                                .describe("Chart repository URL; with name and version."),
                            name: z.string().min(1).default("platform-operator").describe("Chart name in the repository."),
                            version: z
                                .string()
                                .regex(/^[0-9]+\.[0-9]+\.[0-9]+\S*$/, { error: "must be a pinned chart version such as 0.5.4" })
                                .optional()
                                .describe("Pinned chart version; required with repo."),
                            archive: z
                                .string()
                                .min(1)
                                .optional()
                                .describe(
                                    "Instead of a repository: the chart archive (platform-operator-<version>.tgz, a URL or a path) or its unpacked folder, Domino's documented offline path. Relative paths are relative to the project.",
                                ),
                        })
                        .optional()
                        .describe("Where the Platform Operator chart comes from (operator method with operator: install): repo, name and version, or archive."),
                    customResourceApiVersion: z
                        .string()
                        .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/v[0-9]+((alpha|beta)[0-9]+)?$/, {
                            error: "must be <group>/<version> such as platform.dominodatalab.com/v1alpha1",
                        })
                        .default("platform.dominodatalab.com/v1alpha1")
                        .describe(
                            "apiVersion of the `Domino` custom resource. Domino's public docs name the kind but not its group and version; the default is this project's best evidence, not confirmed: check `kubectl get crd` after installing the chart.",
                        ),
                })
                .prefault({})
                .describe("How Domino itself is installed, and the generated configuration it reads."),
        })
        .describe("Domino itself."),
    consumers: z
        .array(
            z.strictObject({
                name: dnsLabel
                    .refine((v) => v.length <= 40, { error: "must be at most 40 characters, so that the derived names stay within 63" })
                    .describe("The consuming team's name: names its ServiceAccount and, by default, its namespace."),
                namespace: dnsLabel
                    .optional()
                    .describe(
                        "The namespace the team deploys into, created by the program. Default: `<domino.name>-<name>`; must start with `<domino.name>-`.",
                    ),
                tokenLifetimeHours: z
                    .number()
                    .int()
                    .min(24)
                    .max(2160)
                    .default(720)
                    .describe(
                        "Lifetime asked of the TokenRequest API for the team's token (24h to 90 days; the API server may shorten it). `pulumi up` renews it once less than a third is left.",
                    ),
                quota: z
                    .strictObject({
                        cpu: quantity.default("4").describe("CPU requests and limits, each in total."),
                        memory: quantity.default("16Gi").describe("Memory requests and limits, each in total."),
                        pods: z.number().int().min(1).default(20).describe("Pods."),
                    })
                    .prefault({})
                    .describe("ResourceQuota of the team's namespace: its pods land on Domino's compute nodes, so it is bounded."),
            }),
        )
        .default([])
        .describe(
            "Consuming teams: each gets its own namespace and a kubeconfig scoped to deploying there and reading the exports, from a ServiceAccount token.",
        ),
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
        return { issues: [{ path: configKey, message: "is missing: every stack sets `tenancy` (see docs/configuration.md)" }] };
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
