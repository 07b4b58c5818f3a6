// The dedicated-placement admission policy and its binding, registered as one
// component. The binding waits for its policy: a binding whose policy is missing
// is skipped by the API server, so pods admitted meanwhile would be stranded.

import * as pulumi from "@pulumi/pulumi";
import { buildDedicatedPlacement, type DedicatedPlacementArgs as DedicatedPlacementSpec } from "../kubernetes/dedicatedPlacement";
import { applyManifests, kubernetesProviderOf, ManifestComponentArgs } from "./manifestComponent";

/** What the builder needs (see DedicatedPlacementSpec), and where the manifests are registered. */
export interface DedicatedPlacementArgs extends ManifestComponentArgs, DedicatedPlacementSpec {}

export class DedicatedPlacement extends pulumi.ComponentResource {
    readonly objects: readonly pulumi.CustomResource[];

    constructor(name: string, args: DedicatedPlacementArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:DedicatedPlacement", name, {}, opts);
        const manifests = buildDedicatedPlacement(args);
        const base = { parent: this, provider: kubernetesProviderOf(this, "domino-tenancy:index:DedicatedPlacement", name) };
        const policies = applyManifests(
            manifests.filter((m) => m.kind !== "MutatingAdmissionPolicyBinding"),
            { ...base, dependsOn: args.dependsOn },
        );
        const bindings = applyManifests(
            manifests.filter((m) => m.kind === "MutatingAdmissionPolicyBinding"),
            { ...base, dependsOn: [...(args.dependsOn ?? []), ...policies.objects] },
        );
        this.objects = [...policies.objects, ...bindings.objects];
        this.registerOutputs({ objects: manifests.map((m) => `${m.kind}/${m.metadata.name}`) });
    }
}
