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
import { buildModel, DeploymentModel } from "./model/model";
import { SysctlTuner } from "./tenancy/sysctlTuner";
import { tenancyModelArgsOf, type DominoTenancyArgs } from "./kubernetes/dominoTenancy";
import type { GpuDevicePluginArgs } from "./kubernetes/gpuDevicePlugin";
import type { InstallerArgs } from "./kubernetes/installer";
import type { SysctlTunerArgs } from "./kubernetes/sysctlTuner";
import type { DedicatedPlacementArgs } from "./kubernetes/dedicatedPlacement";
import { DedicatedPlacement } from "./tenancy/dedicatedPlacement";
import { AdmissionPolicies } from "./tenancy/admissionPolicies";
import { dominoAgentSwitches, ownersOf } from "@domino-tenancy/core";

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
            hostname: model.hostname,
            namespaceNames: { platform: ns.platform, compute: ns.compute, system: ns.system },
            storageClassNames: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
            ingressClassName: model.ingress.className,
            // Domino's own node agents run exactly where Domino owns the function.
            dominoAgents: dominoAgentSwitches(ownersOf(model.nodeFunctions)),
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
    new GpuDevicePlugin("gpu-device-plugin", { provider, ...args.devicePlugin });
    new SysctlTuner("sysctl-tuner", { provider, ...args.sysctlTuner });
    new Installer("installer", { provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects], ...args.installer });
    // Only under dedicated isolation; registered before Domino's operator can create pods.
    if (model.dedicatedTaint) new DedicatedPlacement("dedicated-placement", { provider, ...args.dedicatedPlacement });
    new AdmissionPolicies("admission", { model, provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects] });

    return { ...exportsFromModel(model), clusterName: cluster.clusterName, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
