// Domino's Platform Operator as a tenant, on a real API server: the local stack deployed
// with the stand-in chart (the same kinds, names and RBAC as Domino's chart 0.6.0) under
// `operatorRbac: confined`, then the operator's service account impersonated: what RBAC
// lets it read, what operator-writes-confined refuses, what it still does in Domino's
// namespaces, and where its pods and its agent Jobs' pods are scheduled.

import { strict as assert } from "assert";
import type { Stack } from "@pulumi/pulumi/automation";
import { destroy, openStack, up } from "../../plan/automation";
import { podSpec } from "./fixtures";
import { cluster, kubectl, kubeList, ok, pulumiEnv, waitFor, workspace, type Run } from "./harness";

const operator = "system:serviceaccount:domino-system:platform-operator";
const platformPool = "platform";
const rule = "operator-writes-confined";
let engine: Stack;
const timings: Record<string, number> = {};

const asOperator = (args: string[], input?: string): Run => kubectl([...args, `--as=${operator}`], 60, input);
const dryRun = (object: object): Run => asOperator(["create", "--dry-run=server", "-o", "name", "-f", "-"], JSON.stringify(object));

/**
 * Refused by one of Domino's policies, the refusal starting with a rule's name. The API
 * server reports the first policy that refuses, in an order of its own: a non-Domino
 * ClusterRole breaks cluster-scoped-names-prefixed as well (its twin judges every Domino
 * account), so either rule may be the one named.
 */
function refusedNamingRule(r: Run, what: string, rules: readonly string[] = [rule]): string {
    assert.notEqual(r.code, 0, `${what} was admitted: ${r.stdout}`);
    const named = new RegExp(`ValidatingAdmissionPolicy 'domino-(${rules.join("|")})' .*denied request: (${rules.join("|")}): `);
    assert.match(r.stderr, named, `${what}: ${r.stderr}`);
    return r.stderr.trim();
}

describe("Domino's operator as a tenant: confined on the local control plane", function () {
    this.timeout(20 * 60 * 1000);
    // Its own state: tenancy.e2e.ts's workspace is that file's alone (mocha runs every e2e file in one process).
    const ws = workspace("operator");

    before(async () => {
        cluster("down");
        timings.clusterUp = ok(cluster("up"), "cluster up").seconds;
        engine = await openStack("local", process.cwd(), {
            stateDir: ws.backendDir,
            passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE),
            pulumiHome: String(pulumiEnv.PULUMI_HOME),
        });
        // The preview runs the policy pack on what the chart renders after the program's transforms.
        const report = await up(engine, { policyPack: "policy", progress: (line: string) => process.stdout.write(`      ${line}\n`) });
        timings.up = report.seconds;
        assert.ok(report.ok, `up failed:\n${report.failure ?? ""}\npolicy: ${JSON.stringify(report.policy, null, 1)}`);
        // The stand-in chart serves the strict HelmRelease CRD (crds/helmreleases.yaml): the HelmRelease below meets its schema.
        ok(kubectl(["get", "crd", "helmreleases.operator.domino.ai", "-o", "name"]), "the chart's HelmRelease CRD");
    });

    after(async () => {
        if (engine) await destroy(engine);
        cluster("down");
        ws.cleanup();
        process.stdout.write(`      operator e2e timings (s): ${JSON.stringify(timings)}\n`);
    });

    it("rewrote the chart's cluster-admin role: the operator's account may not read another tenant's Secrets", () => {
        const r = asOperator(["auth", "can-i", "get", "secrets", "-n", "acme"]);
        assert.equal(r.stdout.trim(), "no", r.stderr);
        const rules = JSON.stringify(kubeList("clusterrole", ["platform-operator-reconciler-role"])[0].rules);
        assert.ok(!rules.includes('"*"'), rules);
        // ...while it keeps full rights in Domino's own namespaces.
        assert.equal(asOperator(["auth", "can-i", "get", "secrets", "-n", "domino-platform"]).stdout.trim(), "yes");
    });

    it("refuses at admission, naming the rule, a Deployment in the other tenant's namespace", () => {
        const deployment = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "intruder", namespace: "acme" },
            spec: {
                selector: { matchLabels: { app: "intruder" } },
                template: { metadata: { labels: { app: "intruder" } }, spec: podSpec() },
            },
        };
        const m = refusedNamingRule(dryRun(deployment), "a Deployment in acme");
        assert.match(m, /Deployment acme\/intruder: it is outside Domino's namespaces/);
    });

    it("refuses at admission, naming the rule, a ClusterRole with a non-Domino name", () => {
        const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "acme-reader" }, rules: [] };
        const m = refusedNamingRule(dryRun(role), "ClusterRole acme-reader", [rule, "cluster-scoped-names-prefixed"]);
        assert.match(m, /ClusterRole '?acme-reader'?(: a cluster-scoped object must be prefixed| is cluster-scoped but not prefixed) 'domino-'/);
    });

    it("refuses at admission, naming the rule, deleting the other tenant's namespace", () => {
        const r = asOperator(["delete", "namespace", "acme", "--dry-run=server"]);
        assert.match(refusedNamingRule(r, "deleting namespace acme"), /may not DELETE Namespace acme/);
        assert.equal(kubeList("namespace", ["acme"]).length, 1);
    });

    it("admits what the installer does in Domino's platform namespace: a ConfigMap, a Secret (Helm's release) and a HelmRelease", () => {
        const ns = "domino-platform";
        const objects = [
            { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "e2e-settings", namespace: ns }, data: { a: "b" } },
            { apiVersion: "v1", kind: "Secret", metadata: { name: "sh.helm.release.v1.e2e.v1", namespace: ns }, type: "helm.sh/release.v1", data: {} },
            {
                apiVersion: "operator.domino.ai/v1beta1",
                kind: "HelmRelease",
                metadata: { name: "e2e-nucleus", namespace: ns },
                spec: { interval: "10m", revision: 1, releaseName: "nucleus", driftDetection: { mode: "warn" } },
            },
        ];
        for (const o of objects) {
            const r = dryRun(o);
            assert.equal(r.code, 0, `${o.kind}: ${r.stderr}`);
        }
    });

    it("schedules the operator's pod and a stand-in agent Job's pod on the platform pool", async () => {
        const nodes = new Map(kubeList("nodes").map((n) => [n.metadata.name, n.metadata.labels ?? {}]));
        const poolOf = (pod: { spec?: Record<string, unknown> }) =>
            nodes.get(String((pod.spec as { nodeName?: string }).nodeName ?? ""))?.["dominodatalab.com/node-pool"];
        const operatorPod = await waitFor("the operator's pod to be scheduled", 120, () =>
            kubeList("pods", ["-n", "domino-system", "-l", "app.kubernetes.io/name=platform-operator"]).find((p) => poolOf(p) !== undefined),
        );
        assert.equal(poolOf(operatorPod), platformPool);
        // The agent Job as the operator makes it: as its account, at its priority, with no toleration of its own.
        const job = {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: "e2e-agent", namespace: "domino-system" },
            spec: {
                backoffLimit: 0,
                template: {
                    metadata: { labels: { "e2e-agent": "true" } },
                    spec: { ...podSpec(), serviceAccountName: "platform-operator", priorityClassName: "domino-operator", restartPolicy: "Never" },
                },
            },
        };
        ok(asOperator(["create", "-f", "-"], JSON.stringify(job)), "create the stand-in agent Job as the operator");
        try {
            const agentPod = await waitFor("the agent Job's pod to be scheduled", 120, () =>
                kubeList("pods", ["-n", "domino-system", "-l", "e2e-agent=true"]).find((p) => poolOf(p) !== undefined),
            );
            assert.equal(poolOf(agentPod), platformPool);
        } finally {
            kubectl(["delete", "job", "e2e-agent", "-n", "domino-system", "--wait=true", "--timeout=60s"], 90);
        }
    });
});
