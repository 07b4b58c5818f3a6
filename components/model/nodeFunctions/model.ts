// Node-level functions: who runs each one, and how this program runs the ones it owns
// (NVIDIA's device plugin, vm.max_map_count by node config or a tuner DaemonSet).

import type { CloudProfile } from "../../cloud/profiles";
import { checkOwner, defaultOwners, nodeFunctions, type ResolvedNodeFunctions } from "@domino-tenancy/core";
import type { Issues } from "../issues";
import { chooseOwners } from "../owners";
import type { NodeFunctionsConfig, PlumbingConfig } from "./schema";

/** NVIDIA's device plugin: enabled exactly where this program owns nodeFunctions.gpuDevicePlugin. */
export interface DevicePluginModel {
    readonly enabled: boolean;
    readonly reason: string;
    readonly image: string;
}

/** vm.max_map_count: a mode other than off exactly where this program owns nodeFunctions.sysctl. */
export interface SysctlModel {
    readonly mode: "node-config" | "daemonset" | "off";
    readonly reason: string;
    readonly maxMapCount: number;
    readonly initImage: string;
    readonly pauseImage: string;
}

/**
 * Each node function's owner: the stack's choice where it names one (checked against what
 * the function allows), else the cloud's default. Where the node image ships a
 * vm.max_map_count below what the stack asks, the default becomes this program.
 */
function resolveOwners(given: NodeFunctionsConfig, plumbing: PlumbingConfig, profile: CloudProfile, issues: Issues): ResolvedNodeFunctions {
    const maxMapCount = plumbing.maxMapCount;
    const defaults = {
        ...defaultOwners({ cloud: profile.name, cloudRunsDevicePlugin: profile.devicePluginAuto === "off", nodesSetMaxMapCount: profile.sysctlAuto === "off" }),
    };
    if (defaults.sysctl.owner === "cluster" && profile.baseMaxMapCount !== undefined && maxMapCount > profile.baseMaxMapCount) {
        defaults.sysctl = {
            owner: "program",
            reason: `plumbing.maxMapCount ${maxMapCount} is above the ${profile.baseMaxMapCount} the ${profile.name} node image ships`,
        };
    }
    return chooseOwners("nodeFunctions", nodeFunctions, given, defaults, checkOwner, issues);
}

/** Every node function's owner, then the device plugin and the sysctl as this program runs them where it owns them. */
export function resolveNodeFunctions(
    given: NodeFunctionsConfig,
    plumbing: PlumbingConfig,
    profile: CloudProfile,
    issues: Issues,
): { readonly nodeFunctions: ResolvedNodeFunctions; readonly devicePlugin: DevicePluginModel; readonly sysctl: SysctlModel } {
    const owners = resolveOwners(given, plumbing, profile, issues);
    const sysctlMethod = plumbing.sysctlMethod === "auto" ? (profile.sysctlNodeConfigSupported ? "node-config" : "daemonset") : plumbing.sysctlMethod;
    if (plumbing.sysctlMethod === "node-config" && !profile.sysctlNodeConfigSupported) {
        issues.add(["plumbing", "sysctlMethod"], `node-config is not available on cloud '${profile.name}'; allowed: auto, daemonset`);
    }
    return {
        nodeFunctions: owners,
        devicePlugin: { enabled: owners.gpuDevicePlugin.owner === "program", reason: owners.gpuDevicePlugin.reason, image: plumbing.devicePluginImage },
        sysctl: {
            mode: owners.sysctl.owner === "program" ? sysctlMethod : "off",
            reason: owners.sysctl.reason,
            maxMapCount: plumbing.maxMapCount,
            initImage: plumbing.tunerImages.init,
            pauseImage: plumbing.tunerImages.pause,
        },
    };
}
