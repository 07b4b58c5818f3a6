// NVIDIA's device plugin on GPU pools, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildGpuDevicePlugin } from "../kubernetes/gpuDevicePlugin";
import type { DeploymentModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

export interface GpuDevicePluginArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class GpuDevicePlugin extends ManifestComponent {
    constructor(name: string, args: GpuDevicePluginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:GpuDevicePlugin", name, buildGpuDevicePlugin(args.model), args, opts);
    }
}
