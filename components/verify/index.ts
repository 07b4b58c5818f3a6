// `npm run verify`'s probes, in the order reports list them: the multi-tenancy
// benchmarks first (kubectl-mtb's ids), then Domino's own promises.

import type { VerifyClient } from "./client";
import { runProbe, type Probe, type ProbeResult } from "./probe";
import { addedCapabilities } from "./probes/addedCapabilities";
import { admissionTwinProbes } from "./probes/admissionTwins";
import { clusterResources } from "./probes/clusterResources";
import { dedicatedNodes } from "./probes/dedicatedNodes";
import { dedicatedPlacement } from "./probes/dedicatedPlacement";
import { flowSchema } from "./probes/flowSchema";
import { guardsStay } from "./probes/guardsStay";
import { hostIpc } from "./probes/hostIpc";
import { hostNetwork } from "./probes/hostNetwork";
import { hostPath } from "./probes/hostPath";
import { hostPid } from "./probes/hostPid";
import { hostPort } from "./probes/hostPort";
import { limitRange } from "./probes/limitRange";
import { nodeFunctionOwners } from "./probes/nodeFunctions";
import { nodePort } from "./probes/nodePort";
import { operatorConfined } from "./probes/operatorConfined";
import { otherTenants } from "./probes/otherTenants";
import { podSecurityLevels } from "./probes/podSecurityLevels";
import { privileged } from "./probes/privileged";
import { privilegeEscalation } from "./probes/privilegeEscalation";
import { objectQuota, resourceQuota } from "./probes/quotaKeys";
import { quotaModification } from "./probes/quotaModification";
import { roleEscalation } from "./probes/roleEscalation";
import { runAsRoot } from "./probes/runAsRoot";
import { secrets } from "./probes/secrets";
import type { VerifyTarget } from "./target";

export function allProbes(): Probe[] {
    return [
        clusterResources,
        guardsStay,
        addedCapabilities,
        runAsRoot,
        privileged,
        privilegeEscalation,
        quotaModification,
        otherTenants,
        roleEscalation,
        hostPath,
        nodePort,
        hostNetwork,
        hostPort,
        hostPid,
        hostIpc,
        resourceQuota,
        objectQuota,
        limitRange,
        podSecurityLevels,
        dedicatedPlacement,
        dedicatedNodes,
        ...admissionTwinProbes(),
        secrets,
        operatorConfined,
        flowSchema,
        nodeFunctionOwners,
    ];
}

export interface VerifyRun {
    readonly results: readonly ProbeResult[];
    readonly seconds: number;
    readonly requests: number;
}

/** Runs the probes one after another (a light, steady load on a shared API server); `progress` hears each start. */
export async function runVerify(
    client: VerifyClient,
    target: VerifyTarget,
    probes: readonly Probe[] = allProbes(),
    progress: (done: number, total: number, current: string) => void = () => {},
): Promise<VerifyRun> {
    const started = Date.now();
    // One suffix per run: concurrent runs never ask for the same name, and no probe name exists.
    const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    const results: ProbeResult[] = [];
    for (const [i, probe] of probes.entries()) {
        progress(i, probes.length, probe.id);
        const ctx = {
            client,
            target,
            probeName: (what: string) =>
                `verify-${what}-${run}`
                    .toLowerCase()
                    .replace(/[^a-z0-9-]/g, "-")
                    .slice(0, 63),
        };
        results.push(await runProbe(probe, ctx));
    }
    return { results, seconds: Math.round((Date.now() - started) / 100) / 10, requests: client.count() };
}

/** 0: every probe holds (or is a named exception or skipped with its reason); 1: at least one fails. */
export function exitCodeOf(results: readonly ProbeResult[]): 0 | 1 {
    return results.some((r) => r.verdict === "fail") ? 1 : 0;
}

export type { Probe, ProbeResult, Check, Verdict } from "./probe";
export type { VerifyTarget } from "./target";
export { verifyClient } from "./client";
