// What preflight reads from the live cluster, fetched once and then judged by pure
// checks: the server's version, its CSI drivers, its nodes, and the API resources
// it serves.

import type { Taint } from "@domino-tenancy/core";
import type { ReadOnlyClient } from "./client";

export interface NodeFacts {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly Taint[];
    readonly allocatable: Readonly<Record<string, string>>;
}

export interface ClusterFacts {
    /** e.g. v1.36.3 */
    readonly gitVersion: string;
    readonly minor: number;
    readonly csiDrivers: readonly string[];
    readonly nodes: readonly NodeFacts[];
    /** `group/version` -> resource names it serves ("v1" for the core group). */
    readonly apiResources: Readonly<Record<string, readonly string[]>>;
}

interface VersionInfo {
    gitVersion?: string;
    minor?: string;
}
interface List<T> {
    items?: T[];
}
interface NodeObject {
    metadata?: { name?: string; labels?: Record<string, string> };
    spec?: { taints?: Taint[] };
    status?: { allocatable?: Record<string, string> };
}
interface GroupList {
    groups?: { preferredVersion?: { groupVersion?: string }; versions?: { groupVersion?: string }[] }[];
}
interface ResourceList {
    resources?: { name?: string }[];
}

/** Minor version from `/version` (`minor` may carry a `+`, as on EKS and GKE). */
export function minorOf(v: VersionInfo): number {
    const fromField = Number.parseInt(String(v.minor ?? ""), 10);
    if (Number.isFinite(fromField)) return fromField;
    const m = /^v?1\.(\d+)/.exec(String(v.gitVersion ?? ""));
    return m ? Number(m[1]) : NaN;
}

/** Group versions whose resources preflight needs to know about. */
export const discoveredGroupVersions = [
    "storage.k8s.io/v1",
    "networking.k8s.io/v1",
    "admissionregistration.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
] as const;

export async function gatherFacts(client: ReadOnlyClient): Promise<ClusterFacts> {
    const version = (await client.get<VersionInfo>("/version")) ?? {};
    const drivers = (await client.get<List<{ metadata?: { name?: string } }>>("/apis/storage.k8s.io/v1/csidrivers")) ?? {};
    const nodes = (await client.get<List<NodeObject>>("/api/v1/nodes")) ?? {};
    const groups = (await client.get<GroupList>("/apis")) ?? {};
    const served = new Set((groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion ?? "")));
    const apiResources: Record<string, string[]> = {};
    for (const gv of discoveredGroupVersions) {
        if (!served.has(gv)) continue;
        const list = await client.get<ResourceList>(`/apis/${gv}`);
        apiResources[gv] = (list?.resources ?? []).map((r) => r.name ?? "").filter((n) => n && !n.includes("/"));
    }
    return {
        gitVersion: String(version.gitVersion ?? "unknown"),
        minor: minorOf(version),
        csiDrivers: (drivers.items ?? []).map((d) => d.metadata?.name ?? "").filter(Boolean),
        nodes: (nodes.items ?? []).map((n) => ({
            name: n.metadata?.name ?? "",
            labels: n.metadata?.labels ?? {},
            taints: n.spec?.taints ?? [],
            allocatable: n.status?.allocatable ?? {},
        })),
        apiResources,
    };
}
