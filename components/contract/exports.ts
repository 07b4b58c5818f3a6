// The stack's outputs are a contract with other teams, read through StackReferences.
// The schema and the type live together here; `contractVersion` rises on any
// change a consumer could notice (a field removed, renamed or re-typed). Adding an
// optional field keeps the version.

import { z } from "zod";
import type { DeploymentModel } from "../model/model";
import { type NamespaceRole, type Placement, placeOn, poolsWithRole } from "@domino-tenancy/core";

export const exportsContractVersion = 1;

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
    /** Secret. Contents of a kubeconfig, or for adopted clusters given by path, that path. */
    kubeconfig: z.string(),
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
});

export type StackExports = z.infer<typeof stackExportsSchema>;
/** The contract's placement is the core's: the schema only checks it on the wire. */
export type { Placement } from "@domino-tenancy/core";

// Compile-time checks that the wire schemas and the core's types describe the same things:
// a change to either side that the other does not follow fails the build here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const placementIsTheCores: Same<z.infer<typeof placement>, Placement> = true;
const namespacesAreTheCores: Same<keyof StackExports["namespaces"], NamespaceRole> = true;
void [placementIsTheCores, namespacesAreTheCores];

/** Everything in the contract that follows from the model alone (not the cluster's name or kubeconfig). */
export function exportsFromModel(model: DeploymentModel): Omit<StackExports, "clusterName" | "kubeconfig"> {
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
    };
}
