// The vm.max_map_count tuner, registered as one component (empty where the cloud
// or the node image sets the value).

import type * as pulumi from "@pulumi/pulumi";
import { buildSysctlTuner, type SysctlTunerArgs as SysctlTunerSpec } from "../kubernetes/sysctlTuner";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see SysctlTunerSpec), and where the manifests are registered. */
export interface SysctlTunerArgs extends ManifestComponentArgs, SysctlTunerSpec {}

export class SysctlTuner extends ManifestComponent {
    constructor(name: string, args: SysctlTunerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:SysctlTuner", name, buildSysctlTuner(args), args, opts);
    }
}
