// Preflight at preview and up: the same read-only checks as `npm run preflight`, run by
// the program before it registers anything, wherever it can read the cluster then (an
// adopted cluster whose kubeconfig it holds). Pure over a facts source, so specs give a
// fake one; the program turns the outcome into log lines and, on errors, a RunError.
// Messages never carry a kubeconfig's contents or its server (a secret kubeconfig's
// server is part of the secret): only the config path the kubeconfig came from.

import type { DeploymentModel } from "../model/model";
import type { Finding } from "./check";
import { expectationsFrom } from "./expectations";
import type { ClusterFacts } from "./facts";
import { judge } from "./index";

/** Where the cluster's facts come from: `describe` names the kubeconfig's origin, never its contents. */
export interface FactsSource {
    readonly describe: string;
    gather(): Promise<ClusterFacts>;
}

export type PreflightMode = DeploymentModel["preflight"];

/** What the program does with preflight: each line logged at its level, and the message to fail with, if any. */
export interface PreflightOutcome {
    readonly info: readonly string[];
    readonly warnings: readonly string[];
    readonly failure?: string;
}

/** The config key that switches it, named in every message that tells the user what to do. */
export const modeKey = "tenancy.preflight";

/**
 * The commands that check an adopted EKS or GKE cluster by hand: the cloud CLI writes a
 * kubeconfig for it (its exec plugin fetches short-lived credentials), then preflight
 * reads the cluster through that file, read-only.
 */
export function adoptedClusterPreflight(cluster: DeploymentModel["cluster"], stack: string): string | undefined {
    const file = `/tmp/domino-tenancy-${stack}.kubeconfig`;
    const check = `npm run preflight -- --stack ${stack} --kubeconfig ${file}`;
    if (cluster.cloud === "aws") return `aws eks update-kubeconfig --name ${cluster.name} --region ${cluster.region} --kubeconfig ${file} && ${check}`;
    if (cluster.cloud === "gcp")
        return `KUBECONFIG=${file} gcloud container clusters get-credentials ${cluster.name} --location ${cluster.location}${cluster.project ? ` --project ${cluster.project}` : ""} && ${check}`;
    return undefined;
}

/** Why preview cannot check this stack's cluster, or undefined when it can. */
export function skipReason(model: DeploymentModel, stack = "<stack>"): string | undefined {
    if (model.preflight === "off") return `preflight: skipped (${modeKey}: off)`;
    if (model.cluster.cloud !== "existing")
        return model.cluster.mode === "create"
            ? `preflight: skipped, the ${model.cluster.cloud} cluster is created by this stack and does not exist at preview; run \`npm run preflight -- --stack ${stack}\` after the first up`
            : // The program holds no kubeconfig for an adopted managed cluster at preview, only the cloud's: say exactly what checks it.
              `preflight: skipped at preview for the adopted ${model.cluster.cloud} cluster ${model.cluster.name}, whose credentials come from the cloud CLI's exec plugin; to check it, run: ${adoptedClusterPreflight(model.cluster, stack)}`;
    return undefined;
}

const findingLine = (f: Finding) => `[${f.check}] ${f.message}${f.fix ? `\n      -> ${f.fix}` : ""}`;

/**
 * Runs the checks through `source` (which may throw: an unreadable kubeconfig, an
 * unreachable server) and decides by the stack's mode. Never throws itself.
 */
export async function preflightAtPreview(model: DeploymentModel, source: () => FactsSource | Promise<FactsSource>, stack?: string): Promise<PreflightOutcome> {
    const skipped = skipReason(model, stack);
    if (skipped) return { info: [skipped], warnings: [] };
    const strict = model.preflight === "error";
    let describe = "the stack's kubeconfig";
    let facts: ClusterFacts;
    try {
        const s = await source();
        describe = s.describe;
        facts = await s.gather();
    } catch (err) {
        // Only the error's first line: a client's message names a field or an HTTP status, never a value.
        const why = `preflight cannot read the cluster of ${describe}: ${String((err as Error).message ?? err).split("\n")[0]}`;
        const what = `bring the cluster up or fix its kubeconfig; to preview without the cluster (a pull request's preview, say), set ${modeKey}: warn`;
        return strict ? { info: [], warnings: [], failure: `${why}\n  -> ${what}` } : { info: [], warnings: [`${why} (${modeKey}: warn, continuing)`] };
    }
    const findings = judge(expectationsFrom(model), facts);
    const errors = findings.filter((f) => f.severity === "error");
    const warnings = findings.filter((f) => f.severity === "warning");
    const passed = findings.filter((f) => f.severity === "ok").length;
    const info = [
        `preflight: ${describe} (Kubernetes ${facts.gitVersion}): ${errors.length} error(s), ${warnings.length} warning(s), ${passed} check(s) passed`,
    ];
    const warned = warnings.map((f) => `preflight ${findingLine(f)}`);
    if (errors.length === 0) return { info, warnings: warned };
    if (!strict) return { info, warnings: [...warned, ...errors.map((f) => `preflight error (${modeKey}: warn) ${findingLine(f)}`)] };
    const failure = [
        `preflight found ${errors.length} problem(s) in the cluster of ${describe}; nothing was created:`,
        ...errors.map((f) => `  - ${findingLine(f)}`),
        `Fix each one (\`npm run preflight -- --stack <stack>\` re-checks, read-only), or set ${modeKey}: warn to go on regardless.`,
    ].join("\n");
    return { info, warnings: warned, failure };
}
