// The program, in the one direction data flows:
// config -> validated model -> cluster (behind the cloud seam) -> components -> exports.

import * as pulumi from "@pulumi/pulumi";
import { clusterFor } from "./clusters";
import { kubeconfigSource, KubeconfigSource } from "./clusters/existing";
import { configKey } from "./config";
import { DominoTenancy } from "./dominoTenancy";
import { exportsFromModel, StackExports } from "./exports";
import { GpuDevicePlugin } from "./gpuDevicePlugin";
import { Installer } from "./installer";
import { kubernetesProvider } from "./kubernetesProvider";
import { buildModel, DeploymentModel } from "./model";
import { NodeAgents } from "./nodeAgents";
import { SysctlTuner } from "./sysctlTuner";

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
    const kubeconfig = model.profile.managesNodePools ? undefined : kubeconfigSource(model, config.getSecret("kubeconfig"), env, cwd);
    return { model, kubeconfig };
}

/** The stack's outputs: each contract field a top-level output, the kubeconfig kept secret. */
export type ProgramOutputs = { [K in keyof StackExports]: pulumi.Input<StackExports[K]> };

/** Registers every resource for the model; returns the stack's exports. */
export function deploy(inputs: ProgramInputs): ProgramOutputs {
    const { model } = inputs;
    const cluster = clusterFor("cluster", model, inputs.kubeconfig);
    const provider = kubernetesProvider("kubernetes", cluster);

    const tenancy = new DominoTenancy("domino", { model, provider });
    const namespaces = tenancy.namespaceResources();
    const dependsOn = tenancy.prerequisites();
    new NodeAgents("node-agents", { model, provider, namespaces, dependsOn });
    new GpuDevicePlugin("gpu-device-plugin", { model, provider });
    new SysctlTuner("sysctl-tuner", { model, provider });
    new Installer("installer", { model, provider, namespaces, dependsOn: [...dependsOn, ...tenancy.resources.values()] });

    return { ...exportsFromModel(model), clusterName: cluster.clusterName, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
