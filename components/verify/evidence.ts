// The evidence a run leaves: one document (what --json prints whole), and renderings of
// it: the terminal table, a Markdown or HTML file an auditor can keep (stack, cluster,
// time, every probe with its verdict and every check behind it), and a
// wgpolicyk8s.io/v1alpha2 PolicyReport, the format Kyverno and Policy Reporter show.

import type { ProbeResult, Verdict } from "./probe";

export interface Evidence {
    readonly tool: "domino-tenancy verify";
    readonly stack: string;
    readonly deployment: string;
    readonly server: string;
    readonly clusterVersion: string;
    readonly otherTenant: string | null;
    readonly startedAt: string;
    readonly seconds: number;
    readonly requests: number;
    readonly summary: Readonly<Record<Verdict, number>>;
    readonly probes: readonly ProbeResult[];
}

export function summaryOf(results: readonly ProbeResult[]): Record<Verdict, number> {
    const s: Record<Verdict, number> = { pass: 0, fail: 0, exception: 0, skip: 0 };
    for (const r of results) s[r.verdict]++;
    return s;
}

const mark: Readonly<Record<Verdict, string>> = { pass: "PASS", fail: "FAIL", exception: "EXCEPTION", skip: "SKIP" };

/** One line per probe; a failing probe's failed checks and remediation follow it. */
export function table(e: Evidence): string {
    const idWidth = Math.max(...e.probes.map((p) => p.id.length), 2);
    const lines = [`${"verdict".padEnd(9)} ${"probe".padEnd(idWidth)} title`];
    for (const p of e.probes) {
        lines.push(`${mark[p.verdict].padEnd(9)} ${p.id.padEnd(idWidth)} ${p.title}`);
        if (p.verdict === "fail") {
            for (const c of p.checks.filter((x) => !x.holds && !x.exception)) {
                lines.push(
                    `${" ".repeat(10)}as ${c.identity}`,
                    `${" ".repeat(12)}${c.request}`,
                    `${" ".repeat(12)}expected: ${c.expected}`,
                    `${" ".repeat(12)}actual:   ${c.actual}`,
                );
            }
            lines.push(`${" ".repeat(10)}-> ${p.remediation}`);
        } else if (p.reason) lines.push(`${" ".repeat(10)}(${p.reason})`);
    }
    lines.push("", summaryLine(e));
    return `${lines.join("\n")}\n`;
}

export function summaryLine(e: Evidence): string {
    const s = e.summary;
    return `verify ${e.stack}: ${s.pass} pass, ${s.fail} fail, ${s.exception} named exception(s), ${s.skip} skipped; ${e.probes.length} probes, ${e.requests} requests in ${e.seconds}s`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdown(e: Evidence): string {
    const out = [
        `# Tenancy verification: stack \`${e.stack}\``,
        "",
        `| | |`,
        `|---|---|`,
        `| Deployment | ${e.deployment} |`,
        `| Cluster | ${cell(e.server)} (Kubernetes ${e.clusterVersion}) |`,
        `| Other tenant probed | ${e.otherTenant ?? "none"} |`,
        `| Started | ${e.startedAt} |`,
        `| Result | ${cell(summaryLine(e))} |`,
        "",
        "## Probes",
        "",
        "| Verdict | Probe | Benchmark | Title | Reason or remediation |",
        "|---|---|---|---|---|",
        ...e.probes.map(
            (p) =>
                `| ${mark[p.verdict]} | \`${p.id}\` | ${p.benchmark ?? ""} | ${cell(p.title)} | ${cell(p.verdict === "fail" ? (p.remediation ?? "") : (p.reason ?? ""))} |`,
        ),
        "",
        "## Checks",
    ];
    for (const p of e.probes) {
        out.push("", `### \`${p.id}\`: ${mark[p.verdict]}`, "");
        if (p.checks.length === 0) {
            out.push(`Skipped: ${p.reason ?? ""}`);
            continue;
        }
        out.push("| Holds | Identity | Request | Expected | Actual |", "|---|---|---|---|---|");
        for (const c of p.checks)
            out.push(
                `| ${c.holds ? "yes" : c.exception ? "exception" : "**no**"} | ${cell(c.identity)} | ${cell(c.request)} | ${cell(c.expected)} | ${cell(c.actual)} |`,
            );
    }
    return `${out.join("\n")}\n`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function html(e: Evidence): string {
    const row = (cells: string[], tag = "td") => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join("")}</tr>`;
    const parts = [
        "<!doctype html>",
        `<html lang="en"><head><meta charset="utf-8"><title>Tenancy verification: ${esc(e.stack)}</title>`,
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.fail{color:#b00;font-weight:bold}.pass{color:#070}</style>",
        "</head><body>",
        `<h1>Tenancy verification: stack <code>${esc(e.stack)}</code></h1>`,
        "<table>",
        row(["Deployment", esc(e.deployment)]),
        row(["Cluster", `${esc(e.server)} (Kubernetes ${esc(e.clusterVersion)})`]),
        row(["Other tenant probed", esc(e.otherTenant ?? "none")]),
        row(["Started", esc(e.startedAt)]),
        row(["Result", esc(summaryLine(e))]),
        "</table><h2>Probes</h2><table>",
        row(["Verdict", "Probe", "Benchmark", "Title", "Reason or remediation"], "th"),
        ...e.probes.map((p) =>
            row([
                `<span class="${p.verdict}">${mark[p.verdict]}</span>`,
                `<code>${esc(p.id)}</code>`,
                esc(p.benchmark ?? ""),
                esc(p.title),
                esc(p.verdict === "fail" ? (p.remediation ?? "") : (p.reason ?? "")),
            ]),
        ),
        "</table><h2>Checks</h2>",
    ];
    for (const p of e.probes) {
        parts.push(`<h3><code>${esc(p.id)}</code>: ${mark[p.verdict]}</h3>`);
        if (p.checks.length === 0) {
            parts.push(`<p>Skipped: ${esc(p.reason ?? "")}</p>`);
            continue;
        }
        parts.push("<table>", row(["Holds", "Identity", "Request", "Expected", "Actual"], "th"));
        for (const c of p.checks)
            parts.push(
                row([
                    c.holds ? "yes" : c.exception ? "exception" : '<span class="fail">no</span>',
                    esc(c.identity),
                    esc(c.request),
                    esc(c.expected),
                    esc(c.actual),
                ]),
            );
        parts.push("</table>");
    }
    parts.push("</body></html>");
    return `${parts.join("\n")}\n`;
}

/** wgpolicyk8s.io/v1alpha2 result values: a named exception is a warning, not a pass. */
const resultOf: Readonly<Record<Verdict, "pass" | "fail" | "warn" | "skip">> = { pass: "pass", fail: "fail", exception: "warn", skip: "skip" };

export const policyReportName = (deployment: string) => `${deployment}-tenancy-verify`;

export function policyReport(e: Evidence, namespace: string): Record<string, unknown> {
    const seconds = Math.floor(Date.parse(e.startedAt) / 1000);
    return {
        apiVersion: "wgpolicyk8s.io/v1alpha2",
        kind: "PolicyReport",
        metadata: {
            name: policyReportName(e.deployment),
            namespace,
            labels: { "app.kubernetes.io/managed-by": "tenancy-verify", "app.kubernetes.io/instance": e.deployment },
        },
        summary: { pass: e.summary.pass, fail: e.summary.fail, warn: e.summary.exception, error: 0, skip: e.summary.skip },
        results: e.probes.map((p) => ({
            policy: "domino-tenancy-verify",
            rule: p.id,
            category: p.benchmark ? "Multi-Tenancy Benchmarks" : "Domino tenancy",
            result: resultOf[p.verdict],
            severity: p.verdict === "fail" ? "high" : "info",
            source: "domino-tenancy verify",
            scored: true,
            timestamp: { seconds, nanos: 0 },
            message: p.verdict === "fail" ? `${p.title}: FAILED. ${p.remediation ?? ""}` : `${p.title}${p.reason ? ` (${p.reason})` : ""}`,
            properties: {
                ...(p.benchmark ? { benchmark: p.benchmark } : {}),
                checks: String(p.checks.length),
                failedChecks: String(p.checks.filter((c) => !c.holds && !c.exception).length),
            },
        })),
    };
}
