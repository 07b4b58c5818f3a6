// Domino's node-level DaemonSets, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildNodeAgents } from "../kubernetes/nodeAgents";
import type { DeploymentModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

export interface NodeAgentsArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class NodeAgents extends ManifestComponent {
    constructor(name: string, args: NodeAgentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:NodeAgents", name, buildNodeAgents(args.model), args, opts);
    }
}
