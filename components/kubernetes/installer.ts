// Domino's generated configuration (domino.yml; the `Domino` resource's .spec.config
// from 6.0), generated from the same model as everything else so the two cannot
// disagree, and the agent method (5.x): fleetcommand-agent `run` as a Job, with the
// registry credentials and the RBAC Domino's installer needs.

import * as yaml from "js-yaml";
import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "./manifest";
import type { DominoAgentSwitches, DominoClusterSwitches } from "@domino-tenancy/core";
import {
    container,
    labelKeys,
    type Namespaces,
    type NodePool,
    placeOn,
    podSpec,
    poolsWithRole,
    prefixed,
    recommendedLabels,
    scratch,
} from "@domino-tenancy/core";

export const installerName = "domino-installer";

/** What domino.yml states: the parts of the model Domino's installer must agree with. */
export interface DominoYmlArgs {
    /** Domino's deployment name. */
    readonly deploymentName: string;
    /** Domino version to install. */
    readonly version: string;
    /** The config schema of the version's configuration reference (install.configSchema, releases.ts). */
    readonly configSchema: string;
    readonly hostname: string;
    /** Domino's namespaces; the installer runs in system and acts in all three. */
    readonly namespaceNames: Pick<Namespaces, "platform" | "compute" | "system">;
    /** Names of Domino's StorageClasses, which this program creates and the installer must not. */
    readonly storageClassNames: { readonly block: string; readonly shared: string };
    /** IngressClass of Domino's ingresses. */
    readonly ingressClassName: string;
    /** Domino's own node agents: on exactly where Domino owns the node function (see core nodeFunctions). */
    readonly dominoAgents: DominoAgentSwitches;
    /** Domino's own cluster-wide copies: on exactly where Domino owns the cluster function (see core clusterFunctions). */
    readonly dominoClusterFunctions: DominoClusterSwitches;
    /**
     * The EFS file system this program created for the shared class, if any. Its id is an
     * Output, so the configuration then holds one: resolve it (pulumi.output) before the text.
     */
    readonly sharedFileSystem?: { readonly type: "efs"; readonly fileSystemId: pulumi.Input<string>; readonly region: string };
}

/** What the agent method (fleetcommand-agent `run`, Domino 5.x) needs beyond the configuration. */
export interface InstallerArgs extends DominoYmlArgs {
    /** Every Domino pool; the installer's Job runs on the platform pool. */
    readonly pools: readonly NodePool[];
    /** The fleetcommand-agent image: repository and the release's tag. */
    readonly agentImage: string;
    /**
     * domino.yml with the registry credentials in it (see withImageRegistries), so it is kept
     * in a Secret, never a ConfigMap; a secret Output when the password comes from secret config.
     */
    readonly configText: pulumi.Input<string>;
    /** The registry pull secret's `.dockerconfigjson` (see dockerConfigJson); secret. */
    readonly dockerConfig: pulumi.Input<string>;
}

/**
 * Domino's shared class as the public 6.2.2 resource describes an EFS one (type efs,
 * efs.{filesystem_id,access_point_id,region}; shared/reference/domino.md): the file system
 * this program created, so Domino's config names the same one the program's class uses.
 */
function sharedFileSystemKeys(fs: DominoYmlArgs["sharedFileSystem"]): Record<string, unknown> {
    if (!fs) return {};
    return {
        type: fs.type,
        // No access_point_id: with provisioningMode efs-ap the CSI driver makes one per volume, the program none.
        efs: { filesystem_id: fs.fileSystemId, region: fs.region },
    };
}

/** Domino's name for its certificate-management switch: `install` from 6.2 on, `enabled` before. */
export function certificateManagementKey(version: string): "install" | "enabled" {
    const [major, minor] = version.split(".").map(Number);
    return major > 6 || (major === 6 && minor >= 2) ? "install" : "enabled";
}

/**
 * The domino.yml keys this program owns, in the installer's own vocabulary. With a
 * sharedFileSystem the result holds its ids as Inputs: pulumi.output() it before configText.
 */
export function buildDominoYml(args: DominoYmlArgs): Record<string, unknown> {
    const ns = args.namespaceNames;
    const cluster = args.dominoClusterFunctions;
    return {
        schema: args.configSchema,
        name: args.deploymentName,
        version: args.version,
        hostname: args.hostname,
        request_resources: true,
        enable_network_policies: true,
        // PodSecurityPolicy is gone since Kubernetes 1.25; namespaces carry Pod Security Admission labels instead.
        enable_pod_security_policies: false,
        global_node_selectors: { [labelKeys.dominoNode]: "true" },
        namespaces: {
            platform: { name: ns.platform, labels: { "domino-platform": "true" }, annotations: {} },
            compute: { name: ns.compute, labels: { "domino-compute": "true" }, annotations: {} },
            system: { name: ns.system, labels: {}, annotations: {} },
        },
        // Domino creates its classes exactly where it owns them; this program does everywhere today.
        storage_classes: {
            block: { create: cluster.storageClasses, name: args.storageClassNames.block, access_modes: ["ReadWriteOnce"], default: false },
            shared: {
                create: cluster.storageClasses,
                name: args.storageClassNames.shared,
                access_modes: ["ReadWriteMany"],
                ...sharedFileSystemKeys(args.sharedFileSystem),
            },
        },
        monitoring: { prometheus_metrics: args.dominoAgents.prometheusMetrics },
        gpu: { enabled: args.dominoAgents.gpu },
        image_caching: { enabled: args.dominoAgents.imageCaching },
        // One switch, two names: `enabled` in the installer configuration reference (admin guide
        // 7f4331, 5.x), `install` in the public 6.2.2 resource (shared/reference/domino.md). The
        // model keeps nodeFunctions.registryCertificates and clusterFunctions.certificateManagement
        // in agreement, so both say the same.
        certificate_management: { [certificateManagementKey(args.version)]: cluster.certificateManagement },
        ingress_controller: { create: false, class_name: args.ingressClassName },
        metrics_server: { install: cluster.metricsServer },
        // Domino's own cluster-autoscaler (a Deployment in the platform namespace) runs unless this
        // override turns it off: off wherever the program or the cluster owns autoscaling, omitted
        // where Domino does. Source: the public 6.2.2 resource (release_overrides.<release>.installed:
        // false disables any of Domino's releases).
        ...(cluster.clusterAutoscaler ? {} : { release_overrides: { "cluster-autoscaler": { installed: false } } }),
    };
}

/** A generated configuration as domino.yml text. */
export function configText(config: Record<string, unknown>): string {
    return `# Generated by domino-tenancy from stack configuration; edit the stack, not this file.\n${yaml.dump(config, { sortKeys: false, lineWidth: 120 })}`;
}

/** Name of the registry pull secret in the system namespace, for the operator's or the agent's images. */
export const registrySecretName = "domino-registry";

/** A kubernetes.io/dockerconfigjson pull secret; `dockerConfig` is its JSON, a secret Output in the program. */
export function registrySecret(namespace: string, labels: Record<string, string>, dockerConfig: pulumi.Input<string>): Manifest {
    return {
        kind: "Secret",
        metadata: { name: registrySecretName, namespace, labels },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": dockerConfig },
    };
}

/** The `.dockerconfigjson` of one registry login (plain: call it inside an Output's apply). */
export function dockerConfigJson(server: string, username: string, password: string): string {
    const auth = Buffer.from(`${username}:${password}`).toString("base64");
    return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}

/**
 * The generated configuration with Domino's registry credentials, in the key Domino's 6.x
 * generated configuration uses (helm.image_registries, docs: deploy-domino on Tanzu).
 */
export function withImageRegistries(
    config: Record<string, unknown>,
    registry: { readonly server: string; readonly username: string; readonly password: pulumi.Input<string> },
): Record<string, unknown> {
    const helm = (config.helm ?? {}) as Record<string, unknown>;
    return { ...config, helm: { ...helm, image_registries: [{ server: registry.server, username: registry.username, password: registry.password }] } };
}

/** What stands for the registry password wherever the configuration is shown for review. */
export const maskedPassword = "********";

/**
 * The configuration text as a reviewer sees it: exactly what Domino reads, but with the
 * registry password masked, so it can stay in the clear (plan, report, the preview's diff).
 */
export function reviewableConfigText(config: Record<string, unknown>, registry: { readonly server: string; readonly username: string }): string {
    return configText(withImageRegistries(config, { ...registry, password: maskedPassword }));
}

/** What the installer may do inside Domino's namespaces (bound there by RoleBindings). */
export const installerRules = [
    {
        apiGroups: [""],
        resources: ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims", "pods"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
];

/**
 * What the installer needs cluster-wide: Domino's installer creates its ClusterRoles (and
 * their bindings) and one CRD. RBAC cannot limit a create to a name prefix, so the prefix
 * is held at admission instead: cluster-scoped-names-prefixed's runtime twin refuses a
 * cluster-scoped object without `<name>-`, and a CRD outside the install's own API group,
 * from Domino's service accounts (this Job's included). No escalate or bind: Kubernetes
 * lets it grant only what it holds itself.
 */
export const installerClusterRules = [
    {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles", "clusterrolebindings"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
];

export const installerConfigSecret = "domino-installer-config";

/** The agent method: fleetcommand-agent `run` as a Job in the system namespace, with its config, credentials and RBAC. */
export function buildInstaller(args: InstallerArgs): Manifest[] {
    const ns = args.namespaceNames.system;
    const labels = recommendedLabels(args.deploymentName, installerName, args.version);
    const roleName = prefixed(args.deploymentName, "installer");
    const clusterRoleName = prefixed(args.deploymentName, "installer-cluster");
    const work = scratch("work", "/app/work", "256Mi");
    const bindings: Manifest[] = [args.namespaceNames.platform, args.namespaceNames.compute, args.namespaceNames.system].map((target) => ({
        kind: "RoleBinding",
        metadata: { name: roleName, namespace: target, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ kind: "ServiceAccount", name: installerName, namespace: ns }],
    }));
    return [
        {
            kind: "Secret",
            metadata: { name: installerConfigSecret, namespace: ns, labels },
            type: "Opaque",
            stringData: { "domino.yml": args.configText },
        },
        registrySecret(ns, labels, args.dockerConfig),
        { kind: "ServiceAccount", metadata: { name: installerName, namespace: ns, labels }, imagePullSecrets: [{ name: registrySecretName }] },
        { kind: "ClusterRole", metadata: { name: roleName, labels }, rules: installerRules },
        { kind: "ClusterRole", metadata: { name: clusterRoleName, labels }, rules: installerClusterRules },
        ...bindings,
        {
            kind: "ClusterRoleBinding",
            metadata: { name: clusterRoleName, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRoleName },
            subjects: [{ kind: "ServiceAccount", name: installerName, namespace: ns }],
        },
        {
            kind: "Job",
            metadata: {
                name: installerName,
                namespace: ns,
                labels,
                // The install runs far longer than Pulumi's default wait; its progress is in the Job's logs.
                annotations: { "pulumi.com/skipAwait": "true" },
            },
            spec: {
                backoffLimit: 2,
                ttlSecondsAfterFinished: 86400,
                template: {
                    metadata: { labels },
                    spec: {
                        ...podSpec({
                            placement: placeOn(poolsWithRole(args.pools, "platform"), args.pools),
                            serviceAccountName: installerName,
                            automountServiceAccountToken: true,
                            priorityClassName: prefixed(args.deploymentName, "platform"),
                            restartPolicy: "Never",
                            containers: [
                                container({
                                    name: "fleetcommand-agent",
                                    image: args.agentImage,
                                    args: ["run", "--file", "/app/install/domino.yml"],
                                    runAsUser: 1000,
                                    requests: { cpu: "250m", memory: "512Mi" },
                                    limits: { cpu: "1", memory: "1Gi" },
                                    mounts: [{ name: "config", mountPath: "/app/install", readOnly: true }, work.mount],
                                }),
                            ],
                            volumes: [{ name: "config", secret: { secretName: installerConfigSecret } }, work.volume],
                        }),
                        imagePullSecrets: [{ name: registrySecretName }],
                    },
                },
            },
        },
    ];
}
