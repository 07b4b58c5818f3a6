// The program, in the one direction data flows:
// config -> validated model -> cluster (behind the cloud seam) -> components -> exports.

import type * as aws from "./cloud/sdk/aws";
import type * as gcp from "./cloud/sdk/gcp";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { clusterAutoscalerFor, clusterFor } from "./cloud";
import { kubeconfigSource, KubeconfigSource } from "./cloud/existing";
import { ConfigError, configKey } from "./model/schema";
import { DominoTenancy } from "./tenancy/dominoTenancy";
import { exportsFromModel, publishedExportsDocument, StackExports } from "./contract/exports";
import { GpuDevicePlugin } from "./tenancy/gpuDevicePlugin";
import { Installer } from "./tenancy/installer";
import { kubernetesProvider } from "./cloud/kubernetesProvider";
import { buildModel, DeploymentModel, missingRegistryPassword } from "./model/model";
import { SysctlTuner } from "./tenancy/sysctlTuner";
import { tenancyModelArgsOf, type DominoTenancyArgs } from "./kubernetes/dominoTenancy";
import type { GpuDevicePluginArgs } from "./kubernetes/gpuDevicePlugin";
import { buildDominoYml, type DominoYmlArgs } from "./kubernetes/installer";
import { PlatformOperator } from "./tenancy/platformOperator";
import type { SysctlTunerArgs } from "./kubernetes/sysctlTuner";
import type { DedicatedPlacementArgs } from "./kubernetes/dedicatedPlacement";
import { DedicatedPlacement } from "./tenancy/dedicatedPlacement";
import { AdmissionPolicies } from "./tenancy/admissionPolicies";
import type { ClusterAutoscalerArgs } from "./kubernetes/clusterAutoscaler";
import { ClusterAutoscaler } from "./tenancy/clusterAutoscaler";
import type { ConsumerAccessArgs } from "./kubernetes/consumerAccess";
import { ConsumerAccess } from "./tenancy/consumerAccess";
import { dataProtectionOf } from "./tenancy/dataProtection";
import { guardRename } from "./tenancy/renameGuard";
import { userError } from "./userError";
import { preflightAtPreview, type FactsSource } from "./preflight/atPreview";
import { kubeconfigFileSource, kubeconfigTextSource } from "./preflight/live";
import { dominoAgentSwitches, dominoClusterSwitches, operatorNamespaceRoles, ownersOf } from "@domino-tenancy/core";

export interface ProgramInputs {
    readonly model: DeploymentModel;
    readonly kubeconfig?: KubeconfigSource;
    /** Domino's registry password, from secret config: never printed, `[secret]` in every plan. */
    readonly registryPassword: pulumi.Output<string>;
}

/**
 * Reads and checks everything the program needs before anything is registered.
 * Throws a ConfigError naming every problem; then no resource exists.
 */
export function loadInputs(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ProgramInputs {
    const config = new pulumi.Config();
    const model = buildModel(config.getObject<unknown>(configKey), pulumi.getStack());
    const kubeconfig = model.cluster.cloud === "existing" ? kubeconfigSource(model.cluster, config.getSecret("kubeconfig"), env, cwd) : undefined;
    const registryPassword = config.getSecret(model.install.registry.passwordKey);
    if (registryPassword === undefined) throw new ConfigError([missingRegistryPassword(model.install, pulumi.getProject())]);
    return { model, kubeconfig, registryPassword };
}

/** What preflight reads: the model and the kubeconfig, never the registry password. */
export type PreflightInputs = Pick<ProgramInputs, "model" | "kubeconfig">;

/** The live cluster of an adopted stack, read through the kubeconfig the provider will use. */
export function liveFactsSource(inputs: PreflightInputs, cwd: string = process.cwd()): Promise<FactsSource> {
    const { model, kubeconfig } = inputs;
    const context = model.cluster.cloud === "existing" ? model.cluster.context : undefined;
    if (!kubeconfig) return Promise.reject(new Error("no kubeconfig was resolved for this cluster"));
    if (kubeconfig.kind === "path") return Promise.resolve(kubeconfigFileSource(kubeconfig.path, context, `${kubeconfig.path} (${kubeconfig.from})`));
    // A config secret is known at preview; its value goes to the client only, never to a message.
    return new Promise((resolve) =>
        kubeconfig.value.apply((text) => resolve(kubeconfigTextSource(text, cwd, context, "the secret config value `kubeconfig`"))),
    );
}

/** Where preflight's outcome goes: pulumi.log in the engine, a recorder in specs. */
export interface PreflightLog {
    info(message: string): void;
    warn(message: string): void;
}

/**
 * Preflight at preview and up, before any resource is registered. Only the Pulumi entry
 * point (index.ts, through run) calls it: the offline plan engine (plan/engine.ts) runs
 * the program without it, so a plan under mocks never reads a cluster. Errors fail the run with a
 * user error (userError.ts), which the engine prints as its message alone.
 */
export async function preflight(
    inputs: PreflightInputs,
    source: (inputs: PreflightInputs) => FactsSource | Promise<FactsSource> = liveFactsSource,
    log: PreflightLog = pulumi.log,
): Promise<void> {
    const outcome = await preflightAtPreview(inputs.model, () => source(inputs), pulumi.getStack());
    for (const line of outcome.info) log.info(line);
    for (const line of outcome.warnings) log.warn(line);
    if (outcome.failure) throw userError(outcome.failure);
}

/** The stack's outputs: each contract field a top-level output, the kubeconfigs kept secret. */
export type ProgramOutputs = { [K in keyof StackExports]: pulumi.Input<StackExports[K]> };

/** What each builder takes, derived from the model in one place: deploy() and the builders' specs share it. */
export function componentArgs(model: DeploymentModel) {
    const deploymentName = model.name;
    const pools = model.cluster.pools;
    const ns = model.namespaces;
    return {
        tenancy: {
            ...tenancyModelArgsOf(model),
            podSecurity: model.podSecurity,
            computeQuota: model.computeQuota,
            computeLimits: model.computeLimits,
        } satisfies DominoTenancyArgs,
        devicePlugin: { deploymentName, namespace: ns.devicePlugin, pools, devicePlugin: model.devicePlugin } satisfies GpuDevicePluginArgs,
        sysctlTuner: { deploymentName, namespace: ns.nodeTuning, pools, sysctl: model.sysctl } satisfies SysctlTunerArgs,
        dedicatedPlacement: { deploymentName, dedicatedTaint: model.dedicatedTaint, computeNamespace: ns.compute, pools } satisfies DedicatedPlacementArgs,
        installer: {
            deploymentName,
            version: model.version,
            configSchema: model.install.configSchema,
            hostname: model.hostname,
            namespaceNames: { platform: ns.platform, compute: ns.compute, system: ns.system },
            storageClassNames: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
            ingressClassName: model.ingress.className,
            // Domino's own node agents run exactly where Domino owns the function.
            dominoAgents: dominoAgentSwitches(ownersOf(model.nodeFunctions)),
            // Domino's own cluster-wide copies likewise, exactly where Domino owns the cluster function.
            dominoClusterFunctions: dominoClusterSwitches(model.clusterFunctions),
            pools,
            install: model.install,
        } satisfies DominoYmlArgs & { pools: typeof pools; install: DeploymentModel["install"] },
        autoscaler: autoscalerArgs(model),
        consumerAccess: {
            deploymentName,
            systemNamespace: ns.system,
            consumers: model.consumers,
            publishedExports: publishedExportsDocument(model),
        } satisfies ConsumerAccessArgs,
    };
}

/** The cluster autoscaler's args where the program owns clusterFunctions.clusterAutoscaler (clusterAutoscalerFor); its pools and names are Domino's. */
function autoscalerArgs(model: DeploymentModel): ClusterAutoscalerArgs | undefined {
    const needs = clusterAutoscalerFor(model);
    if (!needs) return undefined;
    const { args: cloudArgs, ...rest } = needs;
    return { deploymentName: model.name, pools: model.cluster.pools, cloudArgs, ...rest };
}

/** Providers a caller hands in instead of the ones deploy builds (an assume-role or impersonating provider, say). */
export interface DeployOptions {
    readonly providers?: {
        /** Every Kubernetes object uses it; it must reach the stack's cluster, whose node pools it does not wait for. */
        readonly kubernetes?: k8s.Provider;
        /** Every GCP resource of a GKE cluster uses it, instead of one built from the stack's project and location. */
        readonly gcp?: gcp.Provider;
        /** Every AWS resource of an EKS cluster uses it (it must be in cluster.region), instead of one built with the stack's default tags. */
        readonly aws?: aws.Provider;
    };
}

/** Registers every resource for the model; returns the stack's exports. */
export function deploy(inputs: ProgramInputs, options: DeployOptions = {}): ProgramOutputs {
    const { model } = inputs;
    const injected = options.providers ?? {};
    const cloudProviders = { ...(injected.gcp ? { gcp: injected.gcp } : {}), ...(injected.aws ? { aws: injected.aws } : {}) };
    const cluster = clusterFor("cluster", model, inputs.kubeconfig, Object.keys(cloudProviders).length > 0 ? { providers: cloudProviders } : undefined);
    // Components take their provider through options, the way Pulumi documents it.
    const k8sOpts = { provider: injected.kubernetes ?? kubernetesProvider("kubernetes", cluster) };
    const args = componentArgs(model);
    // The file system the cluster created for the shared class, named in Domino's config too.
    const installer = { ...args.installer, ...(cluster.sharedFileSystem ? { sharedFileSystem: cluster.sharedFileSystem } : {}) };
    // Every manifest component gets it: the policy itself decides which objects bear data.
    const dataProtection = dataProtectionOf(model);

    const tenancy = new DominoTenancy("domino", { ...args.tenancy, dataProtection, suppliedStorageParameters: cluster.storageParameters }, k8sOpts);
    const namespaces = tenancy.namespaces;
    const dependsOn = tenancy.prerequisites;
    new GpuDevicePlugin("gpu-device-plugin", { dataProtection, ...args.devicePlugin }, k8sOpts);
    new SysctlTuner("sysctl-tuner", { dataProtection, ...args.sysctlTuner }, k8sOpts);
    // Only under dedicated isolation: the toleration and placement for pods the program never sees.
    const placement = model.dedicatedTaint ? new DedicatedPlacement("dedicated-placement", args.dedicatedPlacement, k8sOpts) : undefined;
    const admission = new AdmissionPolicies("admission", { model, namespaces, dependsOn: [...dependsOn, ...tenancy.objects] }, k8sOpts);
    // One install path per Domino version: the Platform Operator and a `Domino` resource (6.x), or the agent Job (5.x).
    // Both wait for the placement policy and the admission twins, so no pod of Domino's is created before the rules hold.
    const installDependsOn = [...dependsOn, ...tenancy.objects, ...(placement ? [placement] : []), admission];
    if (model.install.method === "operator") {
        new PlatformOperator(
            "platform-operator",
            {
                namespaces,
                dependsOn: installDependsOn,
                deploymentName: model.name,
                version: model.version,
                systemNamespace: model.namespaces.system,
                pools: installer.pools,
                install: model.install,
                config: buildDominoYml(installer),
                registryPassword: inputs.registryPassword,
                dataProtection,
                isolation: model.isolation,
                admission: model.admission.enabled,
                dominoNamespaces: operatorNamespaceRoles.map((role) => model.namespaces[role]),
            },
            k8sOpts,
        );
    } else {
        new Installer(
            "installer",
            { dataProtection, namespaces, dependsOn: installDependsOn, ...installer, registryPassword: inputs.registryPassword },
            k8sOpts,
        );
    }
    if (args.autoscaler) new ClusterAutoscaler("cluster-autoscaler", { dataProtection, dependsOn, ...args.autoscaler }, k8sOpts);

    // Consuming teams get a kubeconfig of their own; the admin kubeconfig only asks for their tokens.
    const consumers =
        model.consumers.length > 0
            ? new ConsumerAccess(
                  "consumers",
                  {
                      namespaces,
                      dependsOn,
                      adminKubeconfig: cluster.kubeconfig,
                      context: cluster.context,
                      clusterName: cluster.clusterName,
                      ...args.consumerAccess,
                  },
                  k8sOpts,
              ).grants
            : pulumi.secret({});

    return {
        ...exportsFromModel(model),
        clusterName: cluster.clusterName,
        adminKubeconfig: pulumi.secret(cluster.kubeconfig),
        consumers,
    };
}

/**
 * The whole program: the rename guard first (it reads the stack's own last outputs), so a
 * refused rename registers nothing at all; then, from the Pulumi entry point only,
 * preflight against the live cluster; then every resource. The offline plan engine runs
 * it without preflight, so a plan under mocks never reads a cluster.
 */
export async function run(inputs: ProgramInputs, steps: { readonly preflight?: boolean } = {}): Promise<ProgramOutputs> {
    await guardRename(inputs.model);
    if (steps.preflight) await preflight(inputs);
    return deploy(inputs);
}

/**
 * What `pulumi preview` and `pulumi up` run (index.ts): the inputs, then the whole program with
 * preflight. A config mistake found at load is a user's mistake like a refused rename or a
 * preflight error, so it prints as its message alone (userError.ts), not as a stack trace and
 * an object dump.
 */
export function pulumiProgram(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<ProgramOutputs> {
    let inputs: ProgramInputs;
    try {
        inputs = loadInputs(env, cwd);
    } catch (err) {
        throw err instanceof ConfigError ? userError(err.message) : err;
    }
    return run(inputs, { preflight: true });
}
