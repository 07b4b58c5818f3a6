// The program, in the one direction data flows:
// config -> validated model -> cluster (behind the cloud seam) -> components -> exports.

import * as pulumi from "@pulumi/pulumi";
import { clusterFor } from "./cloud";
import { kubeconfigSource, KubeconfigSource } from "./cloud/existing";
import { configKey } from "./model/schema";
import { DominoTenancy } from "./tenancy/dominoTenancy";
import { exportsFromModel, StackExports } from "./contract/exports";
import { GpuDevicePlugin } from "./tenancy/gpuDevicePlugin";
import { Installer } from "./tenancy/installer";
import { kubernetesProvider } from "./cloud/kubernetesProvider";
import { buildModel, DeploymentModel, minPlatformNodes } from "./model/model";
import { NodeAgents } from "./tenancy/nodeAgents";
import { SysctlTuner } from "./tenancy/sysctlTuner";

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

/** The stack's outputs: each contract field a top-level output, the kubeconfig kept secret. */
export type ProgramOutputs = { [K in keyof StackExports]: pulumi.Input<StackExports[K]> };

/** Registers every resource for the model; returns the stack's exports. */
export function deploy(inputs: ProgramInputs): ProgramOutputs {
    const { model } = inputs;
    const cluster = clusterFor("cluster", model, inputs.kubeconfig);
    const provider = kubernetesProvider("kubernetes", cluster);

    const deploymentName = model.name;
    const pools = model.cluster.pools;
    const ns = model.namespaces;

    const tenancy = new DominoTenancy("domino", {
        provider,
        deploymentName,
        cloud: model.cluster.cloud,
        isolation: model.isolation,
        dedicatedTaint: model.dedicatedTaint,
        namespaceNames: ns,
        podSecurity: model.podSecurity,
        storageClasses: model.storageClasses,
        ingressNamespace: model.ingress.namespace,
        computeQuota: model.computeQuota,
        computeLimits: model.computeLimits,
        pools,
        minPlatformNodes: minPlatformNodes(model.cluster),
    });
    const namespaces = tenancy.namespaces;
    const dependsOn = tenancy.prerequisites;
    new NodeAgents("node-agents", {
        provider,
        namespaces,
        dependsOn,
        deploymentName,
        version: model.version,
        namespace: ns.nodeAgents,
        namespaceNames: { platform: ns.platform, compute: ns.compute },
        pools,
        images: model.images,
        prometheusMetrics: model.prometheusMetrics,
        imageCaching: model.imageCaching,
        certificateManagement: model.certificateManagement,
    });
    new GpuDevicePlugin("gpu-device-plugin", { provider, deploymentName, namespace: ns.devicePlugin, pools, devicePlugin: model.devicePlugin });
    new SysctlTuner("sysctl-tuner", { provider, deploymentName, namespace: ns.nodeTuning, pools, sysctl: model.sysctl });
    new Installer("installer", {
        provider,
        namespaces,
        dependsOn: [...dependsOn, ...tenancy.objects],
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
    });

    return { ...exportsFromModel(model), clusterName: cluster.clusterName, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
