// Preflight: read-only checks of a live cluster against what the stack expects of it.
// Each check is pure over the facts gathered once; nothing is written to the cluster.

import { runCheck, type Finding, type PreflightCheck } from "./check";
import { gpuCapacity } from "./checks/gpuCapacity";
import { kubernetesVersion } from "./checks/kubernetesVersion";
import { poolNodes } from "./checks/poolNodes";
import { servedApis } from "./checks/servedApis";
import { storageDrivers } from "./checks/storageDrivers";
import type { Expectations } from "./expectations";
import type { ClusterFacts } from "./facts";

export const allChecks: readonly PreflightCheck[] = [kubernetesVersion, servedApis, storageDrivers, poolNodes, gpuCapacity];

export function judge(expect: Expectations, cluster: ClusterFacts, checks: readonly PreflightCheck[] = allChecks): Finding[] {
    return checks.flatMap((c) => runCheck(c, expect, cluster));
}

/** 0: nothing wrong (warnings allowed); 1: at least one error. */
export function exitCodeOf(findings: readonly Finding[]): 0 | 1 {
    return findings.some((f) => f.severity === "error") ? 1 : 0;
}

export type { Finding, PreflightCheck } from "./check";
export { expectationsFrom, type Expectations } from "./expectations";
export { gatherFacts, type ClusterFacts } from "./facts";
export { credentialsFrom, KubeconfigError } from "../cloud/kubeconfigReader";
export { readOnlyClient, ApiError } from "./client";
