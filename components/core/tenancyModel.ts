// The tenancy model: a small document, stored in the cluster as a ConfigMap, that
// states what is Domino's (its name, namespaces, pools, storage classes). The policy
// pack reads it from the stack to learn the deployment's prefix and pools without the
// user repeating them in policy config, and cluster operators can read it in place.
// Pure: shared by the program, the policy pack and the tests.

import type { CloudName, Isolation, PoolRole } from "./vocabulary";
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
    readonly cloud: CloudName;
    readonly isolation: Isolation;
    readonly dedicatedTaint: Taint | null;
    readonly namespaces: Readonly<Record<string, string>>;
    readonly storageClasses: { readonly block: string; readonly shared: string };
    readonly ingress: { readonly namespace: string };
    readonly minPlatformNodes: number;
    readonly pools: readonly TenancyModelPool[];
    /**
     * API groups of the install's own CRDs (the `Domino` resource's group; the agent's CRD),
     * which the deployment may create beside the groups policy config names. Optional: a
     * model without it (written before it existed) still reads.
     */
    readonly installApiGroups?: readonly string[];
    /**
     * Domino's Platform Operator, when this deployment installs it (absent with the agent
     * method, and with an operator another stack installed: its objects are that stack's).
     * Optional, like installApiGroups, so older models still read.
     */
    readonly operator?: TenancyModelOperator;
}

export interface TenancyModelOperator {
    /** Where the chart is released: the operator's service account lives there. */
    readonly namespace: string;
    /** confined: the chart's cluster-admin grant is rewritten; chart: kept as shipped. */
    readonly rbac: "confined" | "chart";
}
