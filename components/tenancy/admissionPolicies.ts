// The tenancy rules at admission and Domino's API priority level, registered as one
// component, with the policy that keeps the program's guards in Domino's namespaces. The bindings wait for the params ConfigMap and the policies: a binding
// whose params are missing refuses Domino's requests (failurePolicy Fail).

import * as pulumi from "@pulumi/pulumi";
import { buildAdmissionPolicies } from "../kubernetes/admissionPolicies";
import { buildFlowControl } from "../kubernetes/flowControl";
import { buildGuardsStay } from "../kubernetes/guardsStay";
import type { DeploymentModel } from "../model/model";
import { applyManifests, kubernetesProviderOf, ManifestComponentArgs } from "./manifestComponent";

export interface AdmissionPoliciesArgs extends ManifestComponentArgs {
    readonly model: DeploymentModel;
}

export class AdmissionPolicies extends pulumi.ComponentResource {
    readonly objects: readonly pulumi.CustomResource[];

    constructor(name: string, args: AdmissionPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:AdmissionPolicies", name, {}, opts);
        const manifests = [...buildFlowControl(args.model), ...buildAdmissionPolicies(args.model), ...buildGuardsStay(args.model)];
        const first = manifests.filter((m) => m.kind !== "ValidatingAdmissionPolicyBinding");
        const bindings = manifests.filter((m) => m.kind === "ValidatingAdmissionPolicyBinding");
        const base = { parent: this, provider: kubernetesProviderOf(this, "domino-tenancy:index:AdmissionPolicies", name), namespaces: args.namespaces };
        const before = applyManifests(first, { ...base, dependsOn: args.dependsOn });
        const after = applyManifests(bindings, { ...base, dependsOn: [...(args.dependsOn ?? []), ...before.objects] });
        this.objects = [...before.objects, ...after.objects];
        this.registerOutputs({ objects: manifests.map((m) => `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`) });
    }
}
