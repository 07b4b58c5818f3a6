// Domino's share of the cluster: namespaces with their guards, quota and limits, prefixed
// cluster-scoped objects and the tenancy model, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildDominoTenancy } from "../kubernetes/dominoTenancy";
import type { DeploymentModel } from "../model/model";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

export interface DominoTenancyArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class DominoTenancy extends ManifestComponent {
    constructor(name: string, args: DominoTenancyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:DominoTenancy", name, buildDominoTenancy(args.model), args, opts);
    }
}
