// Who runs each cluster-wide function Domino's config can install itself (the cluster
// autoscaler, metrics-server, Domino's storage classes, certificate management), as a plan shows it: Domino where the
// generated config switches its own copy on, this program where the plan holds its own,
// nobody (the cluster or the cloud) where neither does. The sibling of nodeFunctionOwners.ts;
// the tenancy report prints both. Reads the plan only.

import type { PlanLike } from "../policy/lib/check";
import { generatedDominoConfig } from "./nodeFunctionOwners";
import { type ClusterFunction, type ClusterFunctionOwner, clusterFunctions } from "@domino-tenancy/core";

export { clusterFunctions, type ClusterFunction } from "@domino-tenancy/core";

export interface ObservedClusterFunction {
    readonly fn: ClusterFunction;
    /** Everyone the plan shows doing it; two is the fault this guards against. */
    readonly doers: readonly { readonly owner: "domino" | "program"; readonly evidence: string }[];
}

type Obj = Record<string, unknown>;
const objectOf = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);

function at(config: Obj | undefined, ...path: string[]): unknown {
    let here: unknown = config;
    for (const part of path) here = objectOf(here)?.[part];
    return here;
}

/** Domino's switch of each function: the config key and whether it turns Domino's own copy on. */
function dominoSide(config: Obj | undefined, fn: ClusterFunction): { key: string; on: boolean }[] {
    switch (fn) {
        case "clusterAutoscaler":
            // Domino installs its autoscaler unless the release is overridden off.
            return [
                { key: "release_overrides.cluster-autoscaler.installed", on: at(config, "release_overrides", "cluster-autoscaler", "installed") !== false },
            ];
        case "metricsServer":
            return [{ key: "metrics_server.install", on: at(config, "metrics_server", "install") === true }];
        case "storageClasses":
            return ["block", "shared"].map((c) => ({ key: `storage_classes.${c}.create`, on: at(config, "storage_classes", c, "create") === true }));
        case "certificateManagement": {
            // Read as the autoscaler's: Domino's certificate management runs unless switched off,
            // under its 6.2 name (install) or its earlier one (enabled), whichever the config has.
            const name = at(config, "certificate_management", "enabled") !== undefined ? "enabled" : "install";
            return [{ key: `certificate_management.${name}`, on: at(config, "certificate_management", name) !== false }];
        }
    }
}

function programSide(plan: PlanLike, fn: ClusterFunction): string[] {
    const kindOf = (r: PlanLike["resources"][number]) => objectOf(r.inputs)?.kind;
    const nameOf = (r: PlanLike["resources"][number]) => String(objectOf(objectOf(r.inputs)?.metadata)?.name ?? r.name);
    switch (fn) {
        case "clusterAutoscaler":
            return plan.resources.filter((r) => r.type === "domino-tenancy:index:ClusterAutoscaler").map((r) => `ClusterAutoscaler ${r.name}`);
        case "metricsServer":
            return plan.resources.filter((r) => kindOf(r) === "Deployment" && nameOf(r) === "metrics-server").map((r) => `Deployment ${nameOf(r)}`);
        case "storageClasses":
            return plan.resources.filter((r) => r.type.startsWith("kubernetes:") && kindOf(r) === "StorageClass").map((r) => `StorageClass ${nameOf(r)}`);
        case "certificateManagement":
            // This program runs no certificate management (clusterFunctions.certificateManagement allows no program).
            return [];
    }
}

export function observeClusterFunctions(plan: PlanLike): { readonly functions: readonly ObservedClusterFunction[]; readonly dominoConfigFound: boolean } {
    const config = generatedDominoConfig(plan);
    const functions = clusterFunctions.map((fn) => {
        const domino = config ? dominoSide(config, fn).filter((s) => s.on) : [];
        const program = programSide(plan, fn);
        return {
            fn,
            doers: [
                ...(domino.length > 0 ? [{ owner: "domino" as const, evidence: `Domino config ${domino.map((s) => s.key).join(", ")} on` }] : []),
                ...(program.length > 0 ? [{ owner: "program" as const, evidence: program.join(", ") }] : []),
            ],
        };
    });
    return { functions, dominoConfigFound: config !== undefined };
}

/** The owner a plan shows: its one doer, the cluster where nobody in the plan does it, or the fault. */
export function observedClusterOwner(f: ObservedClusterFunction): ClusterFunctionOwner | "two owners" {
    if (f.doers.length > 1) return "two owners";
    return f.doers[0]?.owner ?? "cluster";
}

/** Domino's switches of a function, for the report's "who" column when nobody in the plan does it. */
export function dominoSwitches(fn: ClusterFunction): string {
    return dominoSide(undefined, fn)
        .map((s) => s.key)
        .join(", ");
}
