// Domino's share of the cluster: namespaces with their guards, quota and limits, prefixed
// cluster-scoped objects and the tenancy model, registered as one component.

import type * as pulumi from "@pulumi/pulumi";
import { buildDominoTenancy, type DominoTenancyArgs as DominoTenancySpec } from "../kubernetes/dominoTenancy";
import { ManifestComponent, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see DominoTenancySpec), and where the manifests are registered. */
export interface DominoTenancyArgs extends ManifestComponentArgs, DominoTenancySpec {}

export class DominoTenancy extends ManifestComponent {
    constructor(name: string, args: DominoTenancyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:DominoTenancy", name, buildDominoTenancy(args), args, opts);
    }
}
