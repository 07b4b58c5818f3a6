// The vm.max_map_count tuner, registered as one component (empty where the cloud
// or the node image sets the value).

import type * as pulumi from "@pulumi/pulumi";
import { buildSysctlTuner } from "../kubernetes/sysctlTuner";
import type { DeploymentModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

export interface SysctlTunerArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class SysctlTuner extends ManifestComponent {
    constructor(name: string, args: SysctlTunerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:SysctlTuner", name, buildSysctlTuner(args.model), args, opts);
    }
}
