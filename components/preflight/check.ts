// The shape every preflight check shares (pod-security-admission's checks are the
// model): a stable name, why it exists, and a pure function from what the stack
// expects and what the cluster has to findings, each with what to do about it.

import type { Expectations } from "./expectations";
import type { ClusterFacts } from "./facts";

export type Severity = "error" | "warning" | "ok";

export interface Finding {
    readonly check: string;
    readonly severity: Severity;
    readonly message: string;
    /** What to do; empty for ok findings. */
    readonly fix?: string;
}

export interface PreflightCheck {
    readonly name: string;
    readonly why: string;
    /** What a pass means, printed when the check finds nothing. */
    readonly passes: string;
    run(expect: Expectations, cluster: ClusterFacts): Finding[];
}

/** A check's findings, with one ok line when it found nothing wrong. */
export function runCheck(check: PreflightCheck, expect: Expectations, cluster: ClusterFacts): Finding[] {
    const found = check.run(expect, cluster);
    return found.length > 0 ? found : [{ check: check.name, severity: "ok", message: check.passes }];
}
