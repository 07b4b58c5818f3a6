// Who does each node-level function, as a plan shows it (not as the config says it
// should): Domino where the generated Domino config switches its own agent on, this
// program where the plan holds its DaemonSet or node config, nobody (the cluster) where
// neither does. The tenancy report prints it, and a spec holds every stack to one
// owner per function. Reads the plan only, so it also judges a plan someone edited.

import * as yaml from "js-yaml";
import { devicePluginName, type NodeFunction, type NodeFunctionOwner, nodeFunctions, nodeFunctionSpecs, sysctlTunerName } from "@domino-tenancy/core";
import type { PlanLike } from "../policy/lib/check";
import { reviewableConfigAnnotation } from "../components/kubernetes/dominoResource";
import { secretPlaceholder } from "./engine";

type Obj = Record<string, unknown>;

export interface ObservedNodeFunction {
    readonly fn: NodeFunction;
    /** Everyone the plan shows doing it: one entry, or none (the cluster's); two is the fault this guards against. */
    readonly doers: readonly { readonly owner: Exclude<NodeFunctionOwner, "cluster">; readonly evidence: string }[];
}

export interface ObservedNodeFunctions {
    readonly functions: readonly ObservedNodeFunction[];
    /** Whether the plan holds a generated Domino config at all (without one, Domino's side is unknown). */
    readonly dominoConfigFound: boolean;
    /** DaemonSets in the plan that do none of the functions: a stand-in creeping back shows here. */
    readonly unownedDaemonSets: readonly string[];
}

const objectOf = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);

/**
 * The generated Domino config as text: a `Domino` resource's spec.config where the plan shows
 * it, else its copy with the registry password masked (the program keeps spec.config secret).
 */
/**
 * The key under which Domino's switch is on, or undefined. certificate_management's switch is
 * `enabled` before Domino 6.2 and `install` from 6.2 on (components/kubernetes/installer.ts).
 */
function switchedOn(config: Record<string, unknown>, key: string): string | undefined {
    const names = key === "certificate_management.enabled" ? [key, "certificate_management.install"] : [key];
    return names.find((k) => at(config, k) === true);
}

export function generatedDominoConfigText(plan: PlanLike): string | undefined {
    for (const r of plan.resources) {
        const inputs = objectOf(r.inputs);
        if (inputs?.kind !== "Domino") continue;
        const config = objectOf(inputs.spec)?.config;
        if (typeof config === "string" && config !== secretPlaceholder) return config;
        const masked = objectOf(objectOf(inputs.metadata)?.annotations)?.[reviewableConfigAnnotation];
        if (typeof masked === "string") return masked;
    }
    return undefined;
}

/** The generated Domino config: a `Domino` resource's (see generatedDominoConfigText), or the installer ConfigMap's domino.yml. */
export function generatedDominoConfig(plan: PlanLike): Obj | undefined {
    const text = generatedDominoConfigText(plan);
    if (text !== undefined) return objectOf(yaml.load(text));
    for (const r of plan.resources) {
        const inputs = objectOf(r.inputs);
        const text = inputs?.kind === "ConfigMap" ? objectOf(inputs.data)?.["domino.yml"] : undefined;
        if (typeof text === "string") return objectOf(yaml.load(text));
    }
    return undefined;
}

/** A dotted key's value in the config (`gpu.enabled`). */
function at(config: Obj, dotted: string): unknown {
    let here: unknown = config;
    for (const part of dotted.split(".")) here = objectOf(here)?.[part];
    return here;
}

export function observeNodeFunctions(plan: PlanLike): ObservedNodeFunctions {
    const config = generatedDominoConfig(plan);
    const objects = plan.resources.map((r) => ({ type: r.type, inputs: objectOf(r.inputs) ?? {} }));
    const daemonSets = objects.filter((o) => o.type.startsWith("kubernetes:") && o.inputs.kind === "DaemonSet");
    const dsName = (o: { inputs: Obj }) => {
        const m = objectOf(o.inputs.metadata) ?? {};
        return `${String(m.namespace ?? "")}/${String(m.name ?? "")}`;
    };
    const programsDaemonSet = (name: string) => daemonSets.filter((o) => objectOf(o.inputs.metadata)?.name === name).map(dsName);
    // GKE sets the sysctl through the platform pool's node config, without a pod.
    const nodeConfigSysctl = objects
        .filter((o) => objectOf(objectOf(objectOf(o.inputs.nodeConfig)?.linuxNodeConfig)?.sysctls)?.["vm.max_map_count"] !== undefined)
        .map((o) => `${o.type} node config`);
    const program: Partial<Record<NodeFunction, string[]>> = {
        gpuDevicePlugin: programsDaemonSet(devicePluginName).map((n) => `DaemonSet ${n}`),
        sysctl: [...programsDaemonSet(sysctlTunerName).map((n) => `DaemonSet ${n}`), ...nodeConfigSysctl],
    };

    const functions = nodeFunctions.map((fn): ObservedNodeFunction => {
        const doers: { owner: "domino" | "program"; evidence: string }[] = [];
        const key = nodeFunctionSpecs[fn].dominoKey;
        if (config && key === undefined && nodeFunctionSpecs[fn].allowed.includes("domino")) {
            doers.push({ owner: "domino", evidence: "Domino's own, always on (no switch in its config)" });
        } else if (config && key !== undefined && switchedOn(config, key)) {
            doers.push({ owner: "domino", evidence: `${switchedOn(config, key)}: true` });
        }
        for (const evidence of program[fn] ?? []) doers.push({ owner: "program", evidence });
        return { fn, doers };
    });
    const known = new Set([devicePluginName, sysctlTunerName]);
    return {
        functions,
        dominoConfigFound: config !== undefined,
        unownedDaemonSets: daemonSets.filter((o) => !known.has(String(objectOf(o.inputs.metadata)?.name))).map(dsName),
    };
}

/** The owner a plan shows: the one doer, or the cluster where nobody in the plan does it. */
export function observedOwner(f: ObservedNodeFunction): NodeFunctionOwner | "two owners" {
    if (f.doers.length > 1) return "two owners";
    return f.doers[0]?.owner ?? "cluster";
}
