// The tenancy model: a small document, stored in the cluster as a ConfigMap, that
// states what is Domino's (its name, namespaces, pools, storage classes). The policy
// pack reads it from the stack to learn the deployment's prefix and pools without the
// user repeating them in policy config, and cluster operators can read it in place.
// Pure: shared by the program, the policy pack and the tests.

import type { DeploymentModel } from "./model";
import type { PoolRole } from "./clouds/profiles";
import type { Taint } from "./nodePools";

export const tenancyModelConfigMap = "tenancy-model";
export const tenancyModelLabel = "domino-tenancy/model";
export const tenancyModelKey = "model.json";
/** Rises when a field is removed, renamed or re-typed; readers refuse versions they do not know. */
export const tenancyModelSchemaVersion = 1;

export interface TenancyModelPool {
    readonly name: string;
    readonly role: PoolRole;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly Taint[];
}

export interface TenancyModelDocument {
    readonly schemaVersion: number;
    readonly deploymentName: string;
    readonly cloud: "aws" | "gcp" | "existing";
    readonly isolation: "shared" | "dedicated";
    readonly dedicatedTaint: Taint | null;
    readonly namespaces: Readonly<Record<string, string>>;
    readonly storageClasses: { readonly block: string; readonly shared: string };
    readonly ingress: { readonly namespace: string };
    readonly minPlatformNodes: number;
    readonly pools: readonly TenancyModelPool[];
}

export function tenancyModelDocument(model: DeploymentModel): TenancyModelDocument {
    return {
        schemaVersion: tenancyModelSchemaVersion,
        deploymentName: model.name,
        cloud: model.profile.name,
        isolation: model.isolation,
        dedicatedTaint: model.dedicatedTaint ?? null,
        namespaces: model.namespaces,
        storageClasses: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
        ingress: { namespace: model.ingress.namespace },
        minPlatformNodes: model.pools.find((p) => p.role === "platform")?.minSize ?? 1,
        pools: model.pools.map((p) => ({ name: p.name, role: p.role, labels: p.labels, taints: p.taints })),
    };
}
