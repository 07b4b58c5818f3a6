// Domino's installer and its generated configuration, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildInstaller, type InstallerArgs as InstallerSpec } from "../kubernetes/installer";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see InstallerSpec), and where the manifests are registered. */
export interface InstallerArgs extends ManifestComponentArgs, InstallerSpec {}

export class Installer extends ManifestComponent {
    constructor(name: string, args: InstallerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:Installer", name, buildInstaller(args), args, opts);
    }
}
