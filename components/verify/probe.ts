// The shape every probe shares: a stable id (what reports, the PolicyReport and CI name),
// a title, the benchmark it answers if any, what to do when it fails, and a run that
// asks the live API server and returns one check per identity and request. A check
// records who acted, what was asked, what had to happen and what did.

import type { VerifyClient } from "./client";
import type { VerifyTarget } from "./target";

export type Verdict = "pass" | "fail" | "exception" | "skip";

export interface Check {
    readonly identity: string;
    readonly request: string;
    readonly expected: string;
    readonly actual: string;
    readonly holds: boolean;
    /** The property does not hold by design: the named exception and why (never counted as a failure). */
    readonly exception?: string;
}

export type Outcome = { readonly checks: readonly Check[] } | { readonly skip: string };

export interface Probe {
    /** Stable, kebab-case: `mtb-...` for the multi-tenancy benchmarks, `domino-...` for Domino's promises. */
    readonly id: string;
    readonly title: string;
    /** The kubectl-mtb benchmark id it covers. */
    readonly benchmark?: string;
    /** What to do when it fails. */
    readonly remediation: string;
    run(ctx: ProbeContext): Promise<Outcome>;
}

export interface ProbeContext {
    readonly client: VerifyClient;
    readonly target: VerifyTarget;
    /** A name no object has: dry-run creates use it, so "already exists" never answers for admission. */
    readonly probeName: (what: string) => string;
}

export interface ProbeResult {
    readonly id: string;
    readonly title: string;
    readonly benchmark?: string;
    readonly verdict: Verdict;
    /** The skip or exception reason. */
    readonly reason?: string;
    readonly remediation?: string;
    readonly checks: readonly Check[];
    readonly seconds: number;
}

function verdictOf(checks: readonly Check[]): Verdict {
    if (checks.some((c) => !c.holds && !c.exception)) return "fail";
    if (checks.some((c) => c.exception)) return "exception";
    return "pass";
}

/** Runs one probe; an error the probe did not expect is a failure with its message, never a pass. */
export async function runProbe(probe: Probe, ctx: ProbeContext): Promise<ProbeResult> {
    const started = Date.now();
    const base = { id: probe.id, title: probe.title, ...(probe.benchmark ? { benchmark: probe.benchmark } : {}) };
    const seconds = () => Math.round((Date.now() - started) / 100) / 10;
    try {
        const outcome = await probe.run(ctx);
        if ("skip" in outcome) return { ...base, verdict: "skip", reason: outcome.skip, checks: [], seconds: seconds() };
        if (outcome.checks.length === 0) throw new Error("the probe made no check");
        const verdict = verdictOf(outcome.checks);
        const exceptions = [...new Set(outcome.checks.flatMap((c) => (c.exception ? [c.exception] : [])))];
        return {
            ...base,
            verdict,
            ...(verdict === "exception" ? { reason: exceptions.join("; ") } : {}),
            ...(verdict === "fail" ? { remediation: probe.remediation } : {}),
            checks: outcome.checks,
            seconds: seconds(),
        };
    } catch (err) {
        const check: Check = { identity: "-", request: "-", expected: "the probe runs", actual: `error: ${(err as Error).message}`, holds: false };
        return { ...base, verdict: "fail", remediation: probe.remediation, checks: [check], seconds: seconds() };
    }
}

export const holds = (c: Omit<Check, "holds">, ok: boolean): Check => ({ ...c, holds: ok });
