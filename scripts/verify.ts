// npm run verify -- --stack <name> | --config <stack-file> [--kubeconfig <file>] [--context <name>]
//                   [--other-tenant <ns>] [--probe <id>]... [--json] [--report <file.md|.html>] [--policy-report]
// Proves tenancy on the live cluster the stack targets (components/verify): access
// reviews and server-side dry runs as the tenants' service accounts, through the admin
// kubeconfig's impersonation. Nothing is stored, except the PolicyReport with
// --policy-report. Exit 0: every probe holds; 1: a probe fails; 2: verify could not run
// or a usage error. A progress line reaches stderr at least every 20 s.

import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./cli/commands";
import { parseCommand, usageError, writeAll } from "./cli/parse";
import { CannotRun, cannotRunExit, loadModel, stackCredentials, stackFileOf } from "./cli/stackCluster";

interface Values {
    stack?: string;
    config?: string;
    kubeconfig?: string;
    context?: string;
    otherTenant?: string;
    probe?: string[];
    json: boolean;
    report?: string;
    policyReport: boolean;
}

const selfReview = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { verb: "get", resource: "pods" } },
};

/** Namespaces that are never "the other tenant": the system's own. */
const systemNamespaces = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommand("verify", argv);
    if (parsed.kind === "exit") return parsed.code;
    const values = parsed.opts as unknown as Values;
    if (!values.stack === !values.config) return usageError("verify", "give exactly one of --stack or --config");
    if (values.report && !/\.(md|html?)$/i.test(values.report)) return usageError("verify", `--report ${values.report}: the file must end in .md or .html`);

    const { allProbes, exitCodeOf, runVerify, verifyClient } = await import("../components/verify");
    const { targetOf } = await import("../components/verify/target");
    const evidence = await import("../components/verify/evidence");

    const probes = allProbes();
    const unknown = (values.probe ?? []).filter((id) => !probes.some((p) => p.id === id));
    if (unknown.length) return usageError("verify", `unknown probe ${unknown.join(", ")}; ids: ${probes.map((p) => p.id).join(", ")}`);
    const chosen = values.probe?.length ? probes.filter((p) => values.probe!.includes(p.id)) : probes;

    const say = (line: string) => process.stderr.write(`verify: ${line}\n`);
    let file = "";
    try {
        file = stackFileOf(values);
        const model = await loadModel(file);
        const creds = await stackCredentials(model, values);
        const client = verifyClient(creds);
        const version = await client.get<{ gitVersion?: string }>("/version");
        if (version.status >= 300) throw new CannotRun(`GET /version answered ${version.status}: ${version.message}`);

        const domino = new Set(Object.values(model.namespaces));
        const listed = await client.get<{ items?: { metadata: { name: string } }[] }>("/api/v1/namespaces");
        if (listed.status >= 300)
            throw new CannotRun(`listing namespaces answered ${listed.status}: ${listed.message} (the kubeconfig's identity must be a cluster admin)`);
        const names = (listed.body.items ?? []).map((n) => n.metadata.name);
        let other = values.otherTenant;
        if (other && !names.includes(other)) throw new CannotRun(`--other-tenant ${other}: no such namespace on this cluster`);
        if (other && domino.has(other)) throw new CannotRun(`--other-tenant ${other} is one of Domino's namespaces`);
        other ??= names.filter((n) => !domino.has(n) && !systemNamespaces.has(n) && n !== model.ingress.namespace).sort()[0];

        // Every probe acts as a tenant through impersonation: say so once, plainly, when the identity may not.
        const probe = await client.review("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", selfReview, {
            user: `system:serviceaccount:${model.namespaces.compute}:default`,
        });
        if (probe.status === 403)
            throw new CannotRun(
                `the kubeconfig's identity may not impersonate (${probe.message}); verify acts as the tenants' service accounts: use the deploy identity, or grant impersonate on users, groups and serviceaccounts (docs/verify.md)`,
            );

        const stack = values.stack ?? path.relative(repoRoot, file);
        const target = targetOf(stack, model, other ? { namespace: other, serviceAccount: "default" } : undefined);
        say(`${chosen.length} probes against ${creds.server} (Kubernetes ${version.body.gitVersion ?? "?"}), other tenant ${other ?? "none"}`);

        const startedAt = new Date().toISOString();
        let current = "";
        let done = 0;
        const heartbeat = setInterval(() => say(`still at ${current} (${done}/${chosen.length} done, ${client.count()} requests)`), 20000);
        let run;
        try {
            run = await runVerify(client, target, chosen, (i, total, id) => {
                current = id;
                done = i;
                if (!values.json) say(`${i + 1}/${total} ${id}`);
            });
        } finally {
            clearInterval(heartbeat);
        }
        const doc: import("../components/verify/evidence").Evidence = {
            tool: "domino-tenancy verify",
            stack,
            deployment: model.name,
            server: creds.server,
            clusterVersion: version.body.gitVersion ?? "unknown",
            otherTenant: other ?? null,
            startedAt,
            seconds: run.seconds,
            requests: run.requests,
            summary: evidence.summaryOf(run.results),
            probes: run.results,
        };
        if (values.report) {
            const out = path.resolve(values.report);
            fs.mkdirSync(path.dirname(out), { recursive: true });
            fs.writeFileSync(out, /\.html?$/i.test(out) ? evidence.html(doc) : evidence.markdown(doc));
            say(`evidence written to ${out}`);
        }
        let code: number = exitCodeOf(run.results);
        if (values.policyReport) code = Math.max(code, await writePolicyReport(client, doc, model.namespaces.system, say));
        await writeAll(process.stdout, values.json ? `${JSON.stringify(doc, null, 2)}\n` : evidence.table(doc));
        return code;
    } catch (err) {
        return cannotRunExit(err, "verify", file);
    }
}

/** The one write verify makes, on request: create or replace the PolicyReport. 0 when written, 2 when it cannot be. */
async function writePolicyReport(
    client: import("../components/verify/client").VerifyClient,
    doc: import("../components/verify/evidence").Evidence,
    namespace: string,
    say: (line: string) => void,
): Promise<number> {
    const { policyReport, policyReportName } = await import("../components/verify/evidence");
    const served = await client.get("/apis/wgpolicyk8s.io/v1alpha2");
    if (served.status === 404) {
        say(
            "--policy-report: the cluster does not serve wgpolicyk8s.io/v1alpha2 (no PolicyReport CRD). Install it (Kyverno installs it; or the wg-policy-prototypes CRD) and run again; the evidence above is complete without it",
        );
        return 2;
    }
    const report = policyReport(doc, namespace);
    const base = `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${namespace}/policyreports`;
    const name = policyReportName(doc.deployment);
    const existing = await client.get<{ metadata?: { resourceVersion?: string } }>(`${base}/${name}`);
    const written =
        existing.status < 300
            ? await client.put(`${base}/${name}`, {
                  ...report,
                  metadata: { ...(report.metadata as object), resourceVersion: existing.body.metadata?.resourceVersion },
              })
            : await client.create(base, report);
    if (written.status >= 300) {
        say(`--policy-report: writing PolicyReport ${namespace}/${name} answered ${written.status}: ${written.message}`);
        return 2;
    }
    say(`PolicyReport ${namespace}/${name} written (kubectl get policyreport -n ${namespace} ${name})`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`verify failed: ${(err as Error).stack ?? (err as Error).message}\n`);
        process.exitCode = 2;
    },
);
