// Domino's node-level DaemonSets, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildNodeAgents, type NodeAgentsArgs as NodeAgentsSpec } from "../kubernetes/nodeAgents";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see NodeAgentsSpec), and where the manifests are registered. */
export interface NodeAgentsArgs extends ManifestComponentArgs, NodeAgentsSpec {}

export class NodeAgents extends ManifestComponent {
    constructor(name: string, args: NodeAgentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:NodeAgents", name, buildNodeAgents(args), args, opts);
    }
}
