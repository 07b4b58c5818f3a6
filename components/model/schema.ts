// The stack's configuration, as one typed object under the `tenancy` key, checked by
// zod before anything is registered. Each concern's fields live in its folder's
// schema.ts and are composed here; shape-level rules live in the schemas, rules that
// relate fields to each other, or to the cloud, in each concern's model.ts.

import { z } from "zod";
import { clusterConfig } from "./cluster/schema";
import { consumersConfig } from "./consumers/schema";
import { dataProtectionConfig } from "./dataProtection/schema";
import { dominoVersionConfig, installConfig } from "./install/schema";
import { type ConfigIssue, configKey, formatPath } from "./issues";
import { namespacesConfig, podSecurityConfig } from "./namespaces/schema";
import { nodeFunctionsConfig, plumbingConfig } from "./nodeFunctions/schema";
import { clusterFunctionsConfig } from "./clusterFunctions/schema";
import { nodePoolsConfig } from "./pools/schema";
import { configErrorMap, dnsLabel, quantity } from "./primitives";
import { storageClassesConfig } from "./storage/schema";

export { gkeExclusionScopes } from "./cluster/schema";
export { ConfigError, type ConfigIssue, configKey, formatPath } from "./issues";
export { defaultGpuSettings, type NodePoolConfig } from "./pools/schema";
export { dnsLabelPattern, pinnedImage } from "./primitives";

const resources = z.strictObject({ cpu: quantity.describe("CPU quantity."), memory: quantity.describe("Memory quantity.") });

export const tenancyConfigSchema = z.strictObject({
    cloud: z.enum(["aws", "gcp", "existing"]).describe("Where the cluster runs: aws (EKS), gcp (GKE), or existing (any cluster, adopted by kubeconfig)."),
    /** prod stacks protect the cluster and node pools from deletion, and (dataProtection auto) Domino's data. */
    environment: z
        .enum(["dev", "staging", "prod"])
        .default("dev")
        .describe("prod protects the cluster and node pools from deletion, and with dataProtection.mode auto Domino's namespaces and StorageClasses."),
    dataProtection: dataProtectionConfig,
    cluster: clusterConfig,
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
    nodePools: nodePoolsConfig,
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
            version: dominoVersionConfig,
            namespaces: namespacesConfig,
            podSecurity: podSecurityConfig,
            storageClasses: storageClassesConfig,
            computeQuota: z
                .strictObject({
                    cpu: quantity.default("200").describe("CPU requests, in total."),
                    memory: quantity.default("800Gi").describe("Memory requests and limits, each in total."),
                    gpu: quantity.default("8").describe("nvidia.com/gpu requests, in total."),
                    storage: quantity.default("10Ti").describe("Storage requests of volume claims, in total."),
                    ephemeralStorage: quantity
                        .default("2Ti")
                        .describe("Ephemeral-storage requests (container writable layers, logs, emptyDir on node disk), in total: 500 runs at 4Gi."),
                    pods: z.number().int().min(1).default(500).describe("Pods."),
                    persistentVolumeClaims: z.number().int().min(0).default(200).describe("Volume claims."),
                    objects: z
                        .strictObject({
                            services: z.number().int().min(0).default(500).describe("Services: one per workspace or app run at most."),
                            secrets: z.number().int().min(0).default(1000).describe("Secrets: two per run at most."),
                            configMaps: z.number().int().min(0).default(1000).describe("ConfigMaps: two per run at most."),
                            replicationControllers: z
                                .number()
                                .int()
                                .min(0)
                                .default(0)
                                .describe("ReplicationControllers: Domino runs Deployments, StatefulSets and Jobs, never these."),
                            resourceQuotas: z
                                .number()
                                .int()
                                .min(1)
                                .default(1)
                                .describe("ResourceQuotas: the program's own only, so no one adds a looser one beside it."),
                        })
                        .prefault({})
                        .describe("Object counts (MTB-PL1-CC-FNS-2): what all of Domino's runs may create, so a runaway loop cannot fill etcd."),
                })
                .prefault({})
                .describe("ResourceQuota of the compute namespace: what all of Domino's runs may take together."),
            computeLimits: z
                .strictObject({
                    defaultRequest: resources.default({ cpu: "100m", memory: "256Mi" }).describe("Requests of a container that sets none."),
                    defaultLimit: resources.default({ cpu: "2", memory: "4Gi" }).describe("Limits of a container that sets none."),
                    max: resources.default({ cpu: "64", memory: "512Gi" }).describe("Largest limits of any one container."),
                    defaultEphemeralStorageRequest: quantity
                        .default("1Gi")
                        .describe(
                            "Ephemeral-storage request of a container that sets none (counted by the quota; no default limit, so no run is evicted by a guess).",
                        ),
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
                    deployIdentities: z
                        .array(z.string().min(1))
                        .optional()
                        .describe(
                            "Usernames (a trailing * matches a prefix) of the identities that run `pulumi up`: the only ones that may change or delete the program's quota, LimitRange, NetworkPolicies and RoleBindings in Domino's namespaces (the guards-stay policy). Default on AWS: the sessions of cluster.access.deployRoleArns; elsewhere none, and then no guard is registered (verify reports it).",
                        ),
                })
                .default({ enabled: true, validationActions: "Deny" })
                .describe("The tenancy rules at admission, for the objects Domino's operator creates at runtime."),
            install: installConfig,
        })
        .describe("Domino itself."),
    consumers: consumersConfig,
    plumbing: plumbingConfig,
    nodeFunctions: nodeFunctionsConfig,
    clusterFunctions: clusterFunctionsConfig,
});

export type TenancyConfig = z.output<typeof tenancyConfigSchema>;
export type TenancyConfigInput = z.input<typeof tenancyConfigSchema>;

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
    const result = tenancyConfigSchema.safeParse(raw, { error: configErrorMap });
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
