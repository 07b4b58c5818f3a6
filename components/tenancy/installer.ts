// Domino's installer and its generated configuration, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildInstaller } from "../kubernetes/installer";
import type { DeploymentModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

export interface InstallerArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class Installer extends ManifestComponent {
    constructor(name: string, args: InstallerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:Installer", name, buildInstaller(args.model), args, opts);
    }
}
