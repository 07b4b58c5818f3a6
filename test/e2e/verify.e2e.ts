// End to end, for real: `npm run verify` against the deployed local stack. Every probe
// holds (or is a named exception) on the stack as deployed; then each property is broken
// on purpose outside Pulumi, as a careless admin or another tenant would, and verify must
// fail exactly the probe that owns it, and only that one. Each breakage is undone before
// the next, and verify holds again afterwards. Its own cluster (down, up, deploy,
// destroy, down) and its own state backend.

import { strict as assert } from "assert";
import type { Stack } from "@pulumi/pulumi/automation";
import { destroy, openStack, up } from "../../plan/automation";
import { cluster, kubectl, kubeList, ok, pulumiEnv, run, waitFor, workspace, type KubeObject } from "./harness";

const stack = "local";
const ws = workspace("verify");
const progress = (line: string) => process.stdout.write(`      ${line}\n`);
const figures: Record<string, number> = {};
let engine: Stack | undefined;

interface ProbeOutcome {
    id: string;
    verdict: "pass" | "fail" | "exception" | "skip";
    checks: { holds: boolean; request: string; actual: string }[];
}
interface Evidence {
    summary: Record<string, number>;
    probes: ProbeOutcome[];
    requests: number;
    seconds: number;
}

function verify(...extra: string[]): { code: number; doc: Evidence; stderr: string } {
    const r = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", stack, "--json", ...extra], { timeoutSeconds: 300, env: pulumiEnv });
    assert.ok(r.code === 0 || r.code === 1, `verify could not run (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    return { code: r.code, doc: JSON.parse(r.stdout) as Evidence, stderr: r.stderr };
}

const failing = (doc: Evidence) => doc.probes.filter((p) => p.verdict === "fail").map((p) => p.id);

/** Breaks something, checks that verify fails exactly `probe`, restores it, and waits until verify holds again. */
async function breakage(what: string, probe: string, doBreak: () => void, restore: () => void, settle: () => boolean = () => true): Promise<void> {
    doBreak();
    try {
        // Admission policies and bindings reach the API server through an informer: a moment may pass.
        await waitFor(`verify to notice ${what}`, 60, () => (failing(verify("--probe", probe).doc).length ? true : undefined));
        const r = verify();
        assert.equal(r.code, 1, `${what}: verify exited ${r.code}`);
        const failed = r.doc.probes.filter((p) => p.verdict === "fail");
        assert.deepEqual(
            failed.map((p) => p.id),
            [probe],
            `${what}: ${JSON.stringify(
                failed.map((p) => ({ id: p.id, failed: p.checks.filter((c) => !c.holds) })),
                null,
                1,
            ).slice(0, 4000)}`,
        );
    } finally {
        restore();
    }
    await waitFor(`verify to hold again after ${what}`, 60, () => (settle() && failing(verify().doc).length === 0 ? true : undefined));
}

/** An object as kubectl shows it, stripped to what re-creating it needs. */
function recreatable(o: KubeObject): KubeObject {
    const {
        uid: _u,
        resourceVersion: _r,
        ...metadata
    } = o.metadata as KubeObject["metadata"] & { creationTimestamp?: string; generation?: number; managedFields?: unknown };
    const clean = { ...metadata } as Record<string, unknown>;
    for (const k of ["creationTimestamp", "generation", "managedFields"]) delete clean[k];
    const { status: _s, ...rest } = o;
    return { ...rest, metadata: clean } as unknown as KubeObject;
}

function deleteAndKeep(kind: string, name: string, namespace?: string): () => void {
    const [o] = kubeList(kind, [...(namespace ? ["-n", namespace] : []), name]);
    ok(kubectl(["delete", kind, name, ...(namespace ? ["-n", namespace] : [])]), `delete ${kind} ${name}`);
    return () => ok(kubectl(["create", "-f", "-"], 60, JSON.stringify(recreatable(o))), `re-create ${kind} ${name}`);
}

describe("npm run verify on the deployed local stack", function () {
    this.timeout(20 * 60 * 1000);

    before(async () => {
        cluster("down");
        ok(cluster("up"), "cluster up");
        await waitFor("the other tenant's pods to run", 120, () => {
            const pods = kubeList("pods", ["-n", "acme"]);
            return pods.length > 0 && pods.every((p) => (p.status as { phase?: string }).phase === "Running") ? true : undefined;
        });
        engine = await openStack(stack, process.cwd(), {
            stateDir: ws.backendDir,
            passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE),
            pulumiHome: String(pulumiEnv.PULUMI_HOME),
        });
        const r = await up(engine, { policyPack: "policy", progress });
        assert.ok(r.ok, `up failed:\n${r.failure ?? ""}`);
    });

    after(async () => {
        if (engine) await destroy(engine);
        cluster("down");
        ws.cleanup();
        process.stdout.write(`      verify e2e figures: ${JSON.stringify(figures)}\n`);
    });

    it("holds on the stack as deployed: every probe passes or names its exception, and nothing is left behind", () => {
        const before = kubeList("pods,services", ["-A"]).length;
        const r = verify();
        assert.equal(
            r.code,
            0,
            JSON.stringify(
                r.doc.probes.filter((p) => p.verdict === "fail"),
                null,
                1,
            ).slice(0, 4000),
        );
        assert.equal(r.doc.summary.fail, 0);
        assert.ok(r.doc.summary.pass >= 25, JSON.stringify(r.doc.summary));
        for (const p of r.doc.probes.filter((x) => x.verdict === "exception"))
            assert.ok(["mtb-block-access-to-cluster-resources", "mtb-require-run-as-non-root", "mtb-block-privilege-escalation"].includes(p.id), p.id);
        assert.equal(kubeList("pods,services", ["-A"]).length, before, "verify left an object behind");
        assert.equal(kubeList("pods", ["-A", "-l", "app.kubernetes.io/name=tenancy-verify"]).length, 0);
        figures.requests = r.doc.requests;
        figures.seconds = r.doc.seconds;
    });

    it("fails domino-dedicated-nodes alone when a Domino node loses its taint", async () => {
        const taint = "dominodatalab.com/dedicated=domino:NoSchedule";
        await breakage(
            "a removed taint",
            "domino-dedicated-nodes",
            () => ok(kubectl(["taint", "node", "domino-default-0", "dominodatalab.com/dedicated-"]), "untaint"),
            () => ok(kubectl(["taint", "node", "domino-default-0", taint, "--overwrite"]), "taint again"),
        );
    });

    it("fails the twin's own admission probe alone when its binding is deleted", async () => {
        let restore = () => {};
        await breakage(
            "a deleted admission binding",
            "domino-admission-no-nodeport-loadbalancer",
            () => (restore = deleteAndKeep("validatingadmissionpolicybinding", "domino-no-nodeport-loadbalancer")),
            () => restore(),
        );
    });

    it("fails mtb-block-multitenant-resources alone when the guards-stay policy is disabled", async () => {
        let restore = () => {};
        await breakage(
            "a disabled guards-stay binding",
            "mtb-block-multitenant-resources",
            () => (restore = deleteAndKeep("validatingadmissionpolicybinding", "domino-guards-stay")),
            () => restore(),
        );
    });

    it("fails domino-secrets-isolated alone when a Secret reader is bound to Domino's service account in the other tenant's namespace", async () => {
        const objects = {
            apiVersion: "v1",
            kind: "List",
            items: [
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "Role",
                    metadata: { name: "e2e-secret-reader", namespace: "acme" },
                    rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }],
                },
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "RoleBinding",
                    metadata: { name: "e2e-secret-reader", namespace: "acme" },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "e2e-secret-reader" },
                    subjects: [{ kind: "ServiceAccount", name: "domino-platform", namespace: "domino-platform" }],
                },
            ],
        };
        await breakage(
            "extra RBAC",
            "domino-secrets-isolated",
            () => ok(kubectl(["create", "-f", "-"], 60, JSON.stringify(objects)), "bind a Secret reader"),
            () => ok(kubectl(["delete", "-n", "acme", "rolebinding,role", "e2e-secret-reader"]), "unbind"),
        );
    });

    it("fails domino-node-functions alone when a second device-plugin DaemonSet reaches the GPU nodes", async () => {
        const ds = {
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: { name: "e2e-second-device-plugin", namespace: "kube-system" },
            spec: {
                selector: { matchLabels: { app: "e2e-second-device-plugin" } },
                template: {
                    metadata: { labels: { app: "e2e-second-device-plugin" } },
                    spec: {
                        nodeSelector: { "nvidia.com/gpu": "true" },
                        tolerations: [{ operator: "Exists" }],
                        containers: [{ name: "plugin", image: "nvcr.io/nvidia/k8s-device-plugin:v0.17.0" }],
                    },
                },
            },
        };
        await breakage(
            "a second node agent",
            "domino-node-functions",
            () => ok(kubectl(["create", "-f", "-"], 60, JSON.stringify(ds)), "add a second device plugin"),
            () => ok(kubectl(["delete", "-n", "kube-system", "daemonset", "e2e-second-device-plugin", "--wait=true"]), "remove it"),
        );
    });

    it("fails domino-dedicated-nodes alone when another tenant's webhook rewrites its pods to tolerate Domino's taint", async () => {
        const map = {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "MutatingAdmissionPolicy",
            metadata: { name: "e2e-acme-tolerate-all" },
            spec: {
                matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] }] },
                failurePolicy: "Fail",
                reinvocationPolicy: "Never",
                mutations: [
                    {
                        patchType: "JSONPatch",
                        jsonPatch: { expression: "[JSONPatch{op: 'add', path: '/spec/tolerations', value: [{'operator': 'Exists'}]}]" },
                    },
                ],
            },
        };
        const binding = {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "MutatingAdmissionPolicyBinding",
            metadata: { name: "e2e-acme-tolerate-all" },
            spec: { policyName: "e2e-acme-tolerate-all", matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "acme" } } } },
        };
        await breakage(
            "a rewritten pod",
            "domino-dedicated-nodes",
            () => ok(kubectl(["create", "-f", "-"], 60, JSON.stringify({ apiVersion: "v1", kind: "List", items: [map, binding] })), "add a rewriting policy"),
            () => ok(kubectl(["delete", "mutatingadmissionpolicybinding,mutatingadmissionpolicy", "e2e-acme-tolerate-all"]), "remove it"),
        );
    });

    it("fails domino-dedicated-placement alone when the placement policy's binding is deleted", async () => {
        let restore = () => {};
        await breakage(
            "a deleted placement binding",
            "domino-dedicated-placement",
            () => (restore = deleteAndKeep("mutatingadmissionpolicybinding", "domino-dedicated-placement")),
            () => restore(),
        );
    });

    it("answers --help at once and refuses a bad --report or --probe with exit 2", () => {
        const help = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--help"], { timeoutSeconds: 30 });
        assert.equal(help.code, 0);
        assert.match(help.stdout, /--policy-report/);
        const bad = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", stack, "--report", "x.pdf"], { timeoutSeconds: 30 });
        assert.equal(bad.code, 2);
        const probe = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", stack, "--probe", "nope"], { timeoutSeconds: 60 });
        assert.equal(probe.code, 2);
        assert.match(probe.stderr, /unknown probe nope/);
    });

    it("writes the results as a PolicyReport in Domino's system namespace when the CRD is there, and replaces it on the next run", async () => {
        // A STAND-IN for the wg-policy PolicyReport CRD Kyverno installs: the same group,
        // version, names and field types, with its enums (result, severity), so what the
        // real schema refuses, this one refuses too.
        const str = { type: "string" };
        const int = { type: "integer" };
        const crd = {
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "policyreports.wgpolicyk8s.io" },
            spec: {
                group: "wgpolicyk8s.io",
                scope: "Namespaced",
                names: { kind: "PolicyReport", listKind: "PolicyReportList", plural: "policyreports", singular: "policyreport", shortNames: ["polr"] },
                versions: [
                    {
                        name: "v1alpha2",
                        served: true,
                        storage: true,
                        schema: {
                            openAPIV3Schema: {
                                type: "object",
                                properties: {
                                    apiVersion: str,
                                    kind: str,
                                    metadata: { type: "object" },
                                    summary: { type: "object", properties: { pass: int, fail: int, warn: int, error: int, skip: int } },
                                    results: {
                                        type: "array",
                                        items: {
                                            type: "object",
                                            required: ["policy"],
                                            properties: {
                                                policy: str,
                                                rule: str,
                                                category: str,
                                                message: str,
                                                source: str,
                                                scored: { type: "boolean" },
                                                result: { type: "string", enum: ["pass", "fail", "warn", "error", "skip"] },
                                                severity: { type: "string", enum: ["critical", "high", "low", "medium", "info"] },
                                                properties: { type: "object", additionalProperties: str },
                                                timestamp: { type: "object", required: ["nanos", "seconds"], properties: { nanos: int, seconds: int } },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                ],
            },
        };
        ok(kubectl(["create", "-f", "-"], 60, JSON.stringify(crd)), "install the PolicyReport CRD stand-in");
        try {
            ok(kubectl(["wait", "--for=condition=Established", "crd/policyreports.wgpolicyk8s.io", "--timeout=60s"], 90), "CRD established");
            for (const round of ["create", "replace"]) {
                const r = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", stack, "--json", "--policy-report"], {
                    timeoutSeconds: 300,
                });
                assert.equal(r.code, 0, `${round}: ${r.stderr.slice(-2000)}`);
                assert.match(r.stderr, /PolicyReport domino-system\/domino-tenancy-verify written/);
                const doc = JSON.parse(r.stdout) as Evidence;
                const [report] = kubeList("policyreports.wgpolicyk8s.io", ["-n", "domino-system", "domino-tenancy-verify"]) as unknown as {
                    summary: Record<string, number>;
                    results: { rule: string; result: string }[];
                }[];
                assert.deepEqual(
                    report.results.map((x) => x.rule),
                    doc.probes.map((p) => p.id),
                );
                assert.deepEqual(report.summary, { pass: doc.summary.pass, fail: 0, warn: doc.summary.exception, error: 0, skip: doc.summary.skip });
            }
        } finally {
            ok(kubectl(["delete", "crd", "policyreports.wgpolicyk8s.io", "--wait=true"], 120), "remove the CRD stand-in");
        }
    });

    it("says clearly that the PolicyReport CRD is absent, with the evidence still whole", () => {
        const r = run(process.execPath, ["--import", "tsx", "scripts/verify.ts", "--stack", stack, "--json", "--policy-report"], { timeoutSeconds: 300 });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /does not serve wgpolicyk8s\.io\/v1alpha2 \(no PolicyReport CRD\)/);
        assert.equal((JSON.parse(r.stdout) as Evidence).summary.fail, 0);
    });
});
