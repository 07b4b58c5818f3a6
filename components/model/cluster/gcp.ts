// A GKE cluster, created or adopted by name: its location and network, and for a created
// one its version, release channel and maintenance policy, checked against what GKE accepts.

import { type GkeReleaseChannel, gkeKubernetesVersions } from "../../cloud/profiles";
import type { Issues } from "../issues";
import type { ManagedNodePool } from "../pools/model";
import type { ManagedClusterBasis, SystemPool } from "./managed";
import type { ClusterConfig, gkeExclusionScopes } from "./schema";

/** A GKE cluster, created or adopted by name, with one node pool per pool. */
export interface GcpClusterModel {
    readonly cloud: "gcp";
    readonly mode: "create" | "adopt";
    readonly name: string;
    /** Region or zone. */
    readonly location: string;
    /** undefined: the provider's project. */
    readonly project?: string;
    /** Minor version of a created cluster, one GKE offers in its channel (a floor: the channel upgrades from it); undefined when adopted. */
    readonly kubernetesVersion?: string;
    readonly network?: string;
    readonly subnetwork?: string;
    /** Release channel of a created cluster; undefined when adopted (the cluster keeps its own). */
    readonly releaseChannel?: GkeReleaseChannel;
    /** Maintenance policy of a created cluster; undefined when adopted. */
    readonly maintenance?: GkeMaintenance;
    readonly pools: readonly ManagedNodePool[];
    /** The created cluster's own untainted pool; undefined when adopted, or shared isolation without one asked for. */
    readonly systemPool?: SystemPool;
}

/** When GKE may do automatic maintenance (one recurring window), and when it must not (exclusions). Times are RFC 3339 UTC. */
export interface GkeMaintenance {
    readonly window: { readonly start: string; readonly end: string; readonly recurrence: string };
    readonly exclusions: readonly {
        readonly name: string;
        readonly start: string;
        readonly end: string;
        readonly scope: (typeof gkeExclusionScopes)[number];
    }[];
}

/** Weekends, 04:00-12:00 UTC: 64 hours a month, above GKE's 48 in any 32 days, in windows longer than its 4-hour minimum. */
export const defaultGkeMaintenanceWindow: GkeMaintenance["window"] = {
    start: "2026-01-03T04:00:00Z",
    end: "2026-01-03T12:00:00Z",
    recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
};

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

/** Release channel and maintenance are GKE's: any other cloud refuses them rather than ignoring them. */
export function rejectGkeSettings(c: ClusterConfig, cloud: string, issues: Issues): void {
    for (const key of ["releaseChannel", "maintenance"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], `is a GKE setting; it is not used with cloud '${cloud}'`);
    }
}

/**
 * A created GKE cluster's version, release channel and maintenance policy, checked against
 * what GKE accepts. An adopted cluster keeps its own, so setting them there is refused.
 */
function gkeLifecycle(
    c: ClusterConfig,
    mode: "create" | "adopt",
    issues: Issues,
): Pick<GcpClusterModel, "kubernetesVersion" | "releaseChannel" | "maintenance"> {
    if (mode === "adopt") {
        for (const key of ["kubernetesVersion", "releaseChannel", "maintenance"] as const) {
            if (c[key] !== undefined)
                issues.add(["cluster", key], "is only used when the program creates the GKE cluster (mode create); an adopted cluster keeps its own");
        }
        return {};
    }
    const releaseChannel = c.releaseChannel ?? "REGULAR";
    const kubernetesVersion = c.kubernetesVersion ?? gkeKubernetesVersions.default;
    const offered = gkeKubernetesVersions.byChannel[releaseChannel];
    if (!offered.includes(kubernetesVersion)) {
        issues.add(
            ["cluster", "kubernetesVersion"],
            `'${kubernetesVersion}' is not offered for new GKE clusters in the ${releaseChannel} channel; allowed: ${offered.join(", ")}`,
        );
    }
    const window = c.maintenance?.window ?? defaultGkeMaintenanceWindow;
    const windowHours = hours(window.start, window.end);
    if (windowHours < 4) {
        issues.add(["cluster", "maintenance", "window", "end"], `is ${windowHours} hours after start; GKE counts only windows of at least 4 hours`);
    }
    const exclusions = c.maintenance?.exclusions ?? [];
    const seen = new Set<string>();
    exclusions.forEach((e, i) => {
        const at = ["cluster", "maintenance", "exclusions", i];
        if (seen.has(e.name)) issues.add([...at, "name"], `'${e.name}' is already used; exclusion names must be unique`);
        seen.add(e.name);
        const length = hours(e.start, e.end);
        if (length <= 0) issues.add([...at, "end"], "must be after start");
        else if (e.scope === "NO_UPGRADES" && length > 30 * 24) {
            issues.add(
                [...at, "end"],
                `is ${Math.ceil(length / 24)} days after start; a NO_UPGRADES exclusion lasts at most 30 days (use NO_MINOR_UPGRADES for longer)`,
            );
        }
    });
    return { kubernetesVersion, releaseChannel, maintenance: { window, exclusions } };
}

/** The GKE settings of `cluster`: a location always, no AWS setting. */
export function gcpCluster({ c, mode, name, pools, systemPool }: ManagedClusterBasis, issues: Issues): GcpClusterModel {
    if (!c.location) issues.add(["cluster", "location"], "is required for cloud 'gcp' (a region such as us-central1, or a zone)");
    for (const key of ["region", "subnetIds"] as const) {
        if (c[key] !== undefined) issues.add(["cluster", key], "is an AWS setting; with cloud 'gcp' use location, network and subnetwork");
    }
    return {
        cloud: "gcp",
        mode,
        name,
        location: c.location ?? "",
        project: c.project,
        network: c.network,
        subnetwork: c.subnetwork,
        ...gkeLifecycle(c, mode, issues),
        pools,
        ...(systemPool ? { systemPool } : {}),
    };
}
