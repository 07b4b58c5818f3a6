// The program, in the one direction data flows:
// config -> validated model -> cluster (behind the cloud seam) -> components -> exports.

import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { clusterFor } from "./cloud";
import { kubeconfigSource, KubeconfigSource } from "./cloud/existing";
import { configKey } from "./model/schema";
import { DominoTenancy } from "./tenancy/dominoTenancy";
import { exportsFromModel, StackExports } from "./contract/exports";
import { GpuDevicePlugin } from "./tenancy/gpuDevicePlugin";
import { Installer } from "./tenancy/installer";
import { kubernetesProvider } from "./cloud/kubernetesProvider";
import { buildModel, DeploymentModel } from "./model/model";
import { NodeAgents } from "./tenancy/nodeAgents";
import { SysctlTuner } from "./tenancy/sysctlTuner";
import { tenancyModelArgsOf, type DominoTenancyArgs } from "./kubernetes/dominoTenancy";
import type { GpuDevicePluginArgs } from "./kubernetes/gpuDevicePlugin";
import type { InstallerArgs } from "./kubernetes/installer";
import type { NodeAgentsArgs } from "./kubernetes/nodeAgents";
import type { SysctlTunerArgs } from "./kubernetes/sysctlTuner";
import type { DedicatedPlacementArgs } from "./kubernetes/dedicatedPlacement";
import { DedicatedPlacement } from "./tenancy/dedicatedPlacement";
import { AdmissionPolicies } from "./tenancy/admissionPolicies";
import { preflightAtPreview, type FactsSource } from "./preflight/atPreview";
import { kubeconfigFileSource, kubeconfigTextSource } from "./preflight/live";

export interface ProgramInputs {
    readonly model: DeploymentModel;
    readonly kubeconfig?: KubeconfigSource;
}

/**
 * Reads and checks everything the program needs before anything is registered.
 * Throws a ConfigError naming every problem; then no resource exists.
 */
export function loadInputs(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ProgramInputs {
    const config = new pulumi.Config();
    const model = buildModel(config.getObject<unknown>(configKey), pulumi.getStack());
    const kubeconfig = model.cluster.cloud === "existing" ? kubeconfigSource(model.cluster, config.getSecret("kubeconfig"), env, cwd) : undefined;
    return { model, kubeconfig };
}

/** The live cluster of an adopted stack, read through the kubeconfig the provider will use. */
export function liveFactsSource(inputs: ProgramInputs, cwd: string = process.cwd()): Promise<FactsSource> {
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
 * point (index.ts) calls it: the offline plan engine (plan/engine.ts) calls deploy()
 * alone, so a plan under mocks never reads a cluster. Errors fail the run with a
 * RunError, which the engine prints as its message alone.
 */
export async function preflight(
    inputs: ProgramInputs,
    source: (inputs: ProgramInputs) => FactsSource | Promise<FactsSource> = liveFactsSource,
    log: PreflightLog = pulumi.log,
): Promise<void> {
    const outcome = await preflightAtPreview(inputs.model, () => source(inputs));
    for (const line of outcome.info) log.info(line);
    for (const line of outcome.warnings) log.warn(line);
    if (outcome.failure) {
        const error = new pulumi.RunError(outcome.failure);
        // The engine prints a RunError's message alone, but also inspects the error for its trace
        // span, after the SDK has hung promises on it: keep both to the message.
        error.stack = outcome.failure;
        Object.defineProperty(error, inspect.custom, { value: () => outcome.failure });
        throw error;
    }
}

/** The stack's outputs: each contract field a top-level output, the kubeconfig kept secret. */
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
        nodeAgents: {
            deploymentName,
            version: model.version,
            namespace: ns.nodeAgents,
            namespaceNames: { platform: ns.platform, compute: ns.compute },
            pools,
            images: model.images,
            prometheusMetrics: model.prometheusMetrics,
            imageCaching: model.imageCaching,
            certificateManagement: model.certificateManagement,
        } satisfies NodeAgentsArgs,
        devicePlugin: { deploymentName, namespace: ns.devicePlugin, pools, devicePlugin: model.devicePlugin } satisfies GpuDevicePluginArgs,
        sysctlTuner: { deploymentName, namespace: ns.nodeTuning, pools, sysctl: model.sysctl } satisfies SysctlTunerArgs,
        dedicatedPlacement: { deploymentName, dedicatedTaint: model.dedicatedTaint, computeNamespace: ns.compute, pools } satisfies DedicatedPlacementArgs,
        installer: {
            deploymentName,
            version: model.version,
            hostname: model.hostname,
            namespaceNames: { platform: ns.platform, compute: ns.compute, system: ns.system },
            storageClassNames: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
            ingressClassName: model.ingress.className,
            prometheusMetrics: model.prometheusMetrics,
            imageCaching: model.imageCaching,
            certificateManagement: model.certificateManagement,
            devicePluginEnabled: model.devicePlugin.enabled,
            // Where `auto` means off, the cloud runs its own plugin (GKE).
            cloudRunsDevicePlugin: model.profile.devicePluginAuto === "off",
            pools,
            installer: model.installer,
        } satisfies InstallerArgs,
    };
}

/** Registers every resource for the model; returns the stack's exports. */
export function deploy(inputs: ProgramInputs): ProgramOutputs {
    const { model } = inputs;
    const cluster = clusterFor("cluster", model, inputs.kubeconfig);
    const provider = kubernetesProvider("kubernetes", cluster);
    const args = componentArgs(model);

    const tenancy = new DominoTenancy("domino", { provider, ...args.tenancy });
    const namespaces = tenancy.namespaces;
    const dependsOn = tenancy.prerequisites;
    new NodeAgents("node-agents", { provider, namespaces, dependsOn, ...args.nodeAgents });
    new GpuDevicePlugin("gpu-device-plugin", { provider, ...args.devicePlugin });
    new SysctlTuner("sysctl-tuner", { provider, ...args.sysctlTuner });
    new Installer("installer", { provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects], ...args.installer });
    // Only under dedicated isolation; registered before Domino's operator can create pods.
    if (model.dedicatedTaint) new DedicatedPlacement("dedicated-placement", { provider, ...args.dedicatedPlacement });
    new AdmissionPolicies("admission", { model, provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects] });

    return { ...exportsFromModel(model), clusterName: cluster.clusterName, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
