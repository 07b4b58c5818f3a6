// The stack's outputs are a contract with other teams, read through StackReferences.
// The schema and the type live together here; `contractVersion` rises on any
// change a consumer could notice (a field removed, renamed or re-typed). Adding an
// optional field keeps the version.
//
// Changelog (each version's message is what the reader tells a consumer still on the one before):
// - 2: `kubeconfig` (the admin kubeconfig) became `adminKubeconfig`, for the platform team
//   only; each consuming team reads its own scoped kubeconfig in `consumers.<name>`
//   (a ServiceAccount token from the TokenRequest API, allowed to read and deploy in the
//   team's namespace and to read the exports); `publishedExports` says where the
//   non-secret contract is published in the cluster.

import { z } from "zod";
import type { DeploymentModel } from "../model/model";
import { type NamespaceRole, type Placement, placeOn, poolsWithRole } from "@domino-tenancy/core";
import { exportsConfigMap } from "../kubernetes/consumerAccess";

export const exportsContractVersion = 2;

/** What changed in each version, for readers of the version before it. */
export const contractChanges: Readonly<Record<number, string>> = {
    2:
        "`kubeconfig` (the admin kubeconfig) is now `adminKubeconfig`, for the platform team only; a consuming team reads its own scoped kubeconfig " +
        "in `consumers.<name>.kubeconfig` (deploy in its namespace, read the exports) and deploys into `consumers.<name>.namespace`",
};

const stringMap = z.record(z.string(), z.string());
const effect = z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]);
const taint = z.object({ key: z.string(), value: z.string().optional(), effect });
const toleration = z.object({
    key: z.string().optional(),
    operator: z.enum(["Equal", "Exists"]).optional(),
    value: z.string().optional(),
    effect: effect.optional(),
});
const placement = z.object({
    nodeSelector: stringMap,
    requiredNodeAffinity: z
        .array(z.object({ key: z.string(), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() }))
        .optional(),
    tolerations: z.array(toleration),
});

export const stackExportsSchema = z.object({
    /** Version of this contract; readers refuse versions they do not know. */
    contractVersion: z.number().int(),
    deploymentName: z.string(),
    cloud: z.enum(["aws", "gcp", "existing"]),
    clusterName: z.string(),
    /** Secret, for the platform team only. The admin kubeconfig's contents, or for adopted clusters given by path, that path. */
    adminKubeconfig: z.string(),
    namespaces: z.object({
        platform: z.string(),
        compute: z.string(),
        system: z.string(),
        devicePlugin: z.string(),
        nodeTuning: z.string(),
    }),
    /** Every Domino pool by name: what its nodes carry, and how to land on exactly it. */
    pools: z.record(
        z.string(),
        z.object({ role: z.enum(["platform", "compute", "gpu"]), nodePoolLabel: z.string(), labels: stringMap, taints: z.array(taint), placement }),
    ),
    /** How a workload lands on Domino's platform, compute or GPU nodes (gpu is null without GPU pools). */
    scheduling: z.object({ platform: placement, compute: placement, gpu: placement.nullable() }),
    storageClasses: z.object({ block: z.string(), shared: z.string() }),
    /** Secret. Each consuming team by name: its namespace, its ServiceAccount, its scoped kubeconfig and when that kubeconfig's token expires. */
    consumers: z.record(z.string(), z.object({ namespace: z.string(), serviceAccount: z.string(), kubeconfig: z.string(), tokenExpiresAt: z.string() })),
    /** Where the non-secret contract is published in the cluster: a ConfigMap every consumer's kubeconfig may `get`. */
    publishedExports: z.object({ namespace: z.string(), configMap: z.string(), key: z.string() }),
});

/** Outputs exported as secrets. */
export const secretExportNames = ["adminKubeconfig", "consumers"] as const;

/**
 * The non-secret contract as the cluster publishes it (the exports ConfigMap): every field
 * that follows from the model, none that is secret or comes from the cluster's creation.
 */
export const publishedExportsSchema = stackExportsSchema.omit({ adminKubeconfig: true, consumers: true, clusterName: true });
export type PublishedExports = z.infer<typeof publishedExportsSchema>;

export type StackExports = z.infer<typeof stackExportsSchema>;
/** The contract's placement is the core's: the schema only checks it on the wire. */
export type { Placement } from "@domino-tenancy/core";

// Compile-time checks that the wire schemas and the core's types describe the same things:
// a change to either side that the other does not follow fails the build here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const placementIsTheCores: Same<z.infer<typeof placement>, Placement> = true;
const namespacesAreTheCores: Same<keyof StackExports["namespaces"], NamespaceRole> = true;
void [placementIsTheCores, namespacesAreTheCores];

/** Everything in the contract that follows from the model alone (not the cluster's name, kubeconfigs or consumers' tokens). */
export function exportsFromModel(model: DeploymentModel): PublishedExports {
    const pools = model.cluster.pools;
    const gpuPools = poolsWithRole(pools, "gpu");
    return {
        contractVersion: exportsContractVersion,
        deploymentName: model.name,
        cloud: model.cluster.cloud,
        namespaces: { ...model.namespaces },
        pools: Object.fromEntries(
            pools.map((p) => [
                p.name,
                {
                    role: p.role,
                    nodePoolLabel: p.nodePoolLabel,
                    labels: { ...p.labels },
                    taints: p.taints.map((t) => ({ ...t })),
                    placement: placeOn([p], pools),
                },
            ]),
        ),
        scheduling: {
            platform: placeOn(poolsWithRole(pools, "platform"), pools),
            compute: placeOn(poolsWithRole(pools, "compute"), pools),
            gpu: gpuPools.length > 0 ? placeOn(gpuPools, pools) : null,
        },
        storageClasses: { block: model.storageClasses.block.name, shared: model.storageClasses.shared.name },
        publishedExports: { namespace: model.namespaces.system, configMap: exportsConfigMap.name, key: exportsConfigMap.key },
    };
}

/** The published contract's text, as the exports ConfigMap holds it. */
export function publishedExportsDocument(model: DeploymentModel): string {
    return JSON.stringify(exportsFromModel(model), null, 2);
}
