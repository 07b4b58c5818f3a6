// Domino's Platform Operator (6.x): where its Helm chart comes from and the values that
// make it a well-behaved tenant. Pure; components/tenancy/platformOperator.ts registers
// the chart through @pulumi/kubernetes' helm.v4.Chart.
//
// The operator runs in Domino's system namespace, not in the `domino-operator` namespace
// `ddlctl bootstrap` creates: one deployment owns one set of namespaces, all prefixed by
// its name and all under the tenancy guards (Pod Security, quotas, default-deny, the
// admission twins' bindings). A fourth, unprefixed namespace would be outside all of them.

import type * as k8s from "@pulumi/kubernetes";
import { type NodePool, placeOn, poolsWithRole, prefixed, scheduling } from "@domino-tenancy/core";
import type { ChartSource } from "../model/model";
import { registrySecretName } from "./installer";

export interface PlatformOperatorArgs {
    readonly deploymentName: string;
    /** Domino's system namespace: the operator's home. */
    readonly namespace: string;
    /** Every Domino pool; the operator runs on the platform pool. */
    readonly pools: readonly NodePool[];
    readonly chart: ChartSource;
}

/** The operator's own requests and limits: it reconciles one resource and starts a Job now and then. */
export const operatorResources = {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
} as const;

/**
 * Chart values: the placement of the platform pool, requests and limits, the registry pull
 * secret and Domino's platform priority. Domino does not publish the chart's values; these
 * are the Helm conventions (nodeSelector, tolerations, affinity, resources,
 * imagePullSecrets, priorityClassName); check them with `helm show values` on the chart.
 */
export function operatorChartValues(args: Pick<PlatformOperatorArgs, "deploymentName" | "pools">): Record<string, unknown> {
    const placement = scheduling(placeOn(poolsWithRole(args.pools, "platform"), args.pools));
    return {
        ...placement,
        resources: operatorResources,
        imagePullSecrets: [{ name: registrySecretName }],
        priorityClassName: prefixed(args.deploymentName, "platform"),
    };
}

/** A local path as Helm reads it: relative paths start with ./ so Helm does not take them for a repo/chart reference. */
function localChartPath(archive: string): string {
    if (/^(https?|oci):\/\//.test(archive) || archive.startsWith("/") || archive.startsWith("./") || archive.startsWith("../")) return archive;
    return `./${archive}`;
}

/** The chart's arguments for helm.v4.Chart, from a repository or an archive/folder. */
export function operatorChartArgs(args: PlatformOperatorArgs): k8s.helm.v4.ChartArgs {
    // The release name: its objects are namespaced in the system namespace, so it needs no prefix.
    const common = { name: "platform-operator", namespace: args.namespace, values: operatorChartValues(args) };
    if (args.chart.kind === "archive") return { ...common, chart: localChartPath(args.chart.archive) };
    return { ...common, chart: args.chart.name, version: args.chart.version, repositoryOpts: { repo: args.chart.repo } };
}
