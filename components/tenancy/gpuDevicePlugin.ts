// NVIDIA's device plugin on GPU pools, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildGpuDevicePlugin, type GpuDevicePluginArgs as GpuDevicePluginSpec } from "../kubernetes/gpuDevicePlugin";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see GpuDevicePluginSpec), and where the manifests are registered. */
export interface GpuDevicePluginArgs extends ManifestComponentArgs, GpuDevicePluginSpec {}

export class GpuDevicePlugin extends ManifestComponent {
    constructor(name: string, args: GpuDevicePluginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:GpuDevicePlugin", name, buildGpuDevicePlugin(args), args, opts);
    }
}
