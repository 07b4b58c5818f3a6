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
import { NodeAgents } from "./tenancy/nodeAgents";
import { SysctlTuner } from "./tenancy/sysctlTuner";
import { AdmissionPolicies } from "./tenancy/admissionPolicies";

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
    const namespaces = tenancy.namespaces;
    const dependsOn = tenancy.prerequisites;
    new NodeAgents("node-agents", { model, provider, namespaces, dependsOn });
    new GpuDevicePlugin("gpu-device-plugin", { model, provider });
    new SysctlTuner("sysctl-tuner", { model, provider });
    new Installer("installer", { model, provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects] });
    new AdmissionPolicies("admission", { model, provider, namespaces, dependsOn: [...dependsOn, ...tenancy.objects] });

    return { ...exportsFromModel(model), clusterName: cluster.clusterName, kubeconfig: pulumi.secret(cluster.kubeconfig) };
}
