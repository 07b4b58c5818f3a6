// Domino's agent install (5.x): fleetcommand-agent `run` as a Job, registered as one
// component. The configuration it reads carries the registry password, so it is built
// inside the password's secret Output and kept in a Secret.

import * as pulumi from "@pulumi/pulumi";
import {
    buildDominoYml,
    buildInstaller,
    configText,
    dockerConfigJson,
    type InstallerArgs as InstallerSpec,
    withImageRegistries,
} from "../kubernetes/installer";
import type { InstallModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs, but the secret parts, which are derived here from the password. */
export interface InstallerArgs extends ManifestComponentArgs, Omit<InstallerSpec, "configText" | "dockerConfig" | "agentImage"> {
    readonly install: InstallModel;
    /** The registry password, from secret config. */
    readonly registryPassword: pulumi.Output<string>;
}

export class Installer extends ManifestComponent {
    constructor(name: string, args: InstallerArgs, opts?: pulumi.ComponentResourceOptions) {
        const { server, username } = args.install.registry;
        const password = pulumi.secret(args.registryPassword);
        super(
            "domino-tenancy:index:Installer",
            name,
            buildInstaller({
                ...args,
                agentImage: args.install.agentImage,
                // The config may hold Outputs (a created file system's id): resolved with the password.
                configText: pulumi
                    .all([password, pulumi.output(buildDominoYml(args))])
                    .apply(([p, config]) => configText(withImageRegistries(config, { server, username, password: p }))),
                dockerConfig: password.apply((p) => dockerConfigJson(server, username, p)),
            }),
            args,
            opts,
        );
    }
}
