// End to end, for real: what the admission twins do when something they rely on is
// missing (the params object, a CEL expression that errors, a server older than 1.30),
// and whether Domino's priority level keeps a burst from Domino's service accounts
// away from another tenant's requests on the shared API server. Its own cluster
// (down, up, down); the stack's admission and flow-control objects are applied from
// the offline plan with kubectl, as `pulumi up` would register them, without the rest.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { KubeApi, metricSum, quantile } from "../../bench/lib/kubeApi";
import { bindingSpec, policySpec } from "../../components/kubernetes/admissionPolicies";
import { buildModel, type DeploymentModel } from "../../components/model/model";
import { Plan, readStackConfig, runPlan, stackFile } from "../../plan/engine";
import { admissionPolicies, allTwins, paramsName } from "../../policy/admission";
import { compliantPod, containerOf, tweak, workload } from "../../policy/testing/fixtures";
import { cluster, kubectl, ok, pulumiEnv, run } from "./harness";

const stack = "local";
// Not the harness's shared temp dir: tenancy.e2e.ts removes that one when it ends.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "domino-tenancy-e2e-admission-"));
const smallServer = "--max-requests-inflight=20 --max-mutating-requests-inflight=10";
const progress = (line: string) => process.stdout.write(`      ${line}\n`);
const figures: Record<string, unknown> = {};

let plan: Plan;
let model: DeploymentModel;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

function planned(kinds: readonly string[]): Obj[] {
    return plan.resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => r.inputs as unknown as Obj)
        .filter((o) => kinds.includes(o.kind));
}

function apply(objects: readonly object[], what: string): void {
    const file = path.join(workDir, `${what.replace(/\W+/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    ok(kubectl(["apply", "--server-side", "--force-conflicts", "-f", file], 120), what);
}

/** A server-side dry-run create of one object: exit code, and the server's words. */
function dryRun(o: object): { code: number; stderr: string } {
    const r = kubectl(["create", "--dry-run=server", "-o", "name", "-f", "-"], 60, JSON.stringify(o));
    return { code: r.code, stderr: r.stderr };
}

const inNamespace = (o: Obj, namespace: string): Obj => ({ ...o, metadata: { ...o.metadata, namespace } });
/** A Deployment every rule accepts, and one that breaks images-pinned only. */
const compliant = () => workload("Deployment", compliantPod(), "e2e-compliant") as Obj;
const unpinned = () =>
    workload(
        "Deployment",
        tweak(compliantPod(), (pod) => (containerOf(pod).image = "fluent/fluentd:latest")),
        "e2e-unpinned",
    ) as Obj;

function waitUntil(what: string, seconds: number, probe: () => boolean): void {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        if (probe()) return;
        // Admission policies and bindings reach the plugin through an informer: give it a moment.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
    assert.fail(`timed out after ${seconds}s waiting for ${what}`);
}

describe("admission when something is missing, and the shared API server, on the local control plane", function () {
    this.timeout(15 * 60 * 1000);

    before(async () => {
        plan = await runPlan({ stack });
        const { config } = readStackConfig(stackFile(stack), "domino-tenancy");
        model = buildModel(JSON.parse(config["domino-tenancy:tenancy"]), stack);
        cluster("down");
        // A server with few seats (30 instead of 600), so seats are what a burst takes from
        // others, as on a busy production server: Domino's level gets 3 of them, workload-low 12.
        ok(run("bash", ["scripts/cluster.sh", "up"], { timeoutSeconds: 240, env: { ...pulumiEnv, CLUSTER_APISERVER_EXTRA_ARGS: smallServer } }), "cluster up");
        apply(planned(["Namespace"]), "Domino's namespaces");
        apply(
            planned(["ConfigMap"]).filter((o) => o.metadata.name === paramsName(model.name)),
            "the admission params",
        );
        apply(
            planned(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityLevelConfiguration", "FlowSchema"]),
            "the twins and the priority level",
        );
        // The twins are live once a rule-breaking object is refused, naming its rule.
        waitUntil("the twins to judge", 60, () => /images-pinned: /.test(dryRun(unpinned()).stderr));
    });

    after(() => {
        cluster("down");
        process.stdout.write(`      admission e2e figures: ${JSON.stringify(figures)}\n`);
    });

    it("refuses a rule-breaking Deployment in Domino's namespace naming the rule, and admits it in the other tenant's", () => {
        const r = dryRun(unpinned());
        assert.notEqual(r.code, 0);
        assert.match(
            r.stderr,
            /deployments\.apps "e2e-unpinned" is forbidden: ValidatingAdmissionPolicy 'domino-pod-templates' with binding 'domino-pod-templates' denied request: images-pinned: a container image is not pinned/,
        );
        assert.equal(dryRun(inNamespace(unpinned(), "acme")).code, 0);
        assert.equal(dryRun(compliant()).code, 0, dryRun(compliant()).stderr);
    });

    it("refuses every Domino request the twins judge while the params object is missing (failurePolicy Fail), saying so; other tenants unaffected; recovers when it is back", () => {
        const params = planned(["ConfigMap"]).find((o) => o.metadata.name === paramsName(model.name))!;
        ok(kubectl(["-n", params.metadata.namespace!, "delete", "configmap", params.metadata.name]), "delete the params");
        try {
            waitUntil("a compliant object to be refused for want of params", 60, () => dryRun(compliant()).code !== 0);
            const r = dryRun(compliant());
            // The server names the policy and the missing params, with the binding's Deny action.
            assert.match(r.stderr, /ValidatingAdmissionPolicy 'domino-[a-z-]+' with binding 'domino-[a-z-]+' denied request/);
            assert.match(r.stderr, /no params found for policy binding with `Deny` parameterNotFoundAction/);
            figures.paramsMissing = r.stderr.split("\n").find((l) => /denied request/.test(l));
            assert.equal(dryRun(inNamespace(compliant(), "acme")).code, 0, "the other tenant's namespace is outside every binding");
            assert.equal(dryRun(inNamespace(unpinned(), "acme")).code, 0);
        } finally {
            apply([params], "the admission params, back");
        }
        waitUntil("a compliant object to be admitted again", 60, () => dryRun(compliant()).code === 0);
        assert.match(dryRun(unpinned()).stderr, /images-pinned: /);
    });

    it("refuses a Domino request whose twin's CEL errors (failurePolicy Fail), naming the policy and the error, warns instead under validationActions Warn; the other tenant's namespace is never evaluated", () => {
        // A policy as the builder makes it (its failurePolicy, params, binding), plus one
        // validation that errors on any object without the label it reads.
        const twin = admissionPolicies(allTwins()).find((p) => p.rules.includes("images-pinned"))!;
        const name = `${model.name}-e2e-cel-error`;
        const spec = policySpec(twin, [...new Set(Object.values(model.namespaces))]);
        const policy = {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicy",
            metadata: { name },
            spec: { ...spec, validations: [{ expression: "object.metadata.labels['e2e-missing'] == 'x'", message: "e2e" }] },
        };
        const binding = {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name },
            spec: { ...bindingSpec(twin, model), policyName: name },
        };
        assert.equal(policy.spec.failurePolicy, "Fail", "the builder's choice");
        apply([policy, binding], "a twin whose CEL errors");
        try {
            waitUntil("the erroring twin to refuse", 60, () => new RegExp(`'${name}'`).test(dryRun(compliant()).stderr));
            const r = dryRun(compliant());
            assert.notEqual(r.code, 0);
            assert.match(
                r.stderr,
                new RegExp(
                    `ValidatingAdmissionPolicy '${name}' with binding '${name}' denied request: expression 'object\\.metadata\\.labels\\['e2e-missing'\\] == 'x'' resulted in error: no such key: `,
                ),
            );
            figures.celError = r.stderr.split("\n").find((l) => /denied request/.test(l));
            assert.equal(dryRun(inNamespace(compliant(), "acme")).code, 0);
            // The staged-rollout switch lifts the refusal, as docs/admission.md says: Warn turns the failure into a warning.
            apply([{ ...binding, spec: { ...binding.spec, validationActions: ["Warn"] } }], "the erroring twin's binding set to Warn");
            waitUntil("the erroring twin to warn instead", 60, () => {
                const w = dryRun(compliant());
                return w.code === 0 && new RegExp(`Warning: Validation failed for ValidatingAdmissionPolicy '${name}' .*resulted in error`).test(w.stderr);
            });
        } finally {
            kubectl(["delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", name, "--ignore-not-found"]);
        }
    });

    it("keeps another tenant's requests flowing during a bounded burst from a Domino service account, which API Priority and Fairness puts in Domino's own level", async () => {
        const dominoUser = `system:serviceaccount:${model.namespaces.platform}:e2e-burst`;
        const acmeUser = "system:serviceaccount:acme:e2e-steady";
        // Read access for both, so each request does a real LIST (the params ConfigMap lives in Domino's system namespace).
        const view = (ns: string, sa: string, saNs: string) => ({
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: `e2e-${sa}-view`, namespace: ns },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
            subjects: [{ kind: "ServiceAccount", name: sa, namespace: saNs }],
        });
        apply(
            [view(model.namespaces.system, "e2e-burst", model.namespaces.platform), view("acme", "e2e-steady", "acme")],
            "read access for the burst and the steady tenant",
        );
        const dominoPath = `/api/v1/namespaces/${model.namespaces.system}/configmaps`;
        const acmePath = "/api/v1/namespaces/acme/pods";
        // Two clients, so the other tenant never waits for a socket behind the burst.
        const api = new KubeApi(burst.concurrency);
        const tenantApi = new KubeApi(64);
        const metrics = async () => (await api.request("GET", "/metrics")).body;
        const dispatched = (m: string, labels: Record<string, string>) => metricSum(m, "apiserver_flowcontrol_dispatched_requests_total", labels);
        const rejected = (m: string, labels: Record<string, string>) => metricSum(m, "apiserver_flowcontrol_rejected_requests_total", labels);

        /** The other tenant at a steady rate (open loop: a slow answer does not slow the next request) while `during` runs. */
        const steady = async (during: Promise<unknown> | number): Promise<number[]> => {
            const samples: Promise<number>[] = [];
            let done = false;
            const until = typeof during === "number" ? new Promise((r) => setTimeout(r, during)) : during;
            void until.then(() => (done = true));
            while (!done) {
                samples.push(
                    tenantApi.request("GET", acmePath, { as: acmeUser }).then((r) => {
                        assert.equal(r.status, 200, `the other tenant's request failed: ${r.status} ${r.body.slice(0, 200)}`);
                        return r.ms;
                    }),
                );
                await new Promise((r) => setTimeout(r, 1000 / burst.tenantRate));
            }
            return Promise.all(samples);
        };
        /** At most burst.requests requests, burst.concurrency at a time, stopped after burst.seconds. */
        const dominoBurst = async (): Promise<{ sent: number; statuses: Record<number, number>; seconds: number }> => {
            const started = Date.now();
            let sent = 0;
            const statuses: Record<number, number> = {};
            const worker = async () => {
                while (sent < burst.requests && Date.now() - started < burst.seconds * 1000) {
                    sent++;
                    const r = await api.request("GET", dominoPath, { as: dominoUser });
                    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
                }
            };
            await Promise.all(Array.from({ length: burst.concurrency }, worker));
            return { sent, statuses, seconds: (Date.now() - started) / 1000 };
        };
        const summary = (xs: number[]) => ({ n: xs.length, p50: Math.round(quantile(xs, 0.5)), p99: Math.round(quantile(xs, 0.99)) });
        const level = `${model.name}-service-accounts`;
        const flowControl = planned(["PriorityLevelConfiguration", "FlowSchema"]);
        try {
            await steady(1000); // warm the connections
            const baseline = summary(await steady(burst.baselineMs));

            const before = await metrics();
            const withLevel = dominoBurst();
            const during = summary(await steady(withLevel));
            const b1 = await withLevel;
            const after = await metrics();
            const inDominoLevel =
                dispatched(after, { priority_level: level, flow_schema: level }) - dispatched(before, { priority_level: level, flow_schema: level });
            const rejectedInDominoLevel = rejected(after, { priority_level: level }) - rejected(before, { priority_level: level });
            const acmeInSharedLevel =
                dispatched(after, { flow_schema: "service-accounts", priority_level: "workload-low" }) -
                dispatched(before, { flow_schema: "service-accounts", priority_level: "workload-low" });

            // The same burst with Domino's level removed: Domino's service accounts fall back into
            // the built-in service-accounts schema, in workload-low next to the other tenant.
            ok(kubectl(["delete", "flowschema,prioritylevelconfiguration", level]), "remove Domino's level");
            const beforeShared = await metrics();
            const withoutLevel = dominoBurst();
            const duringShared = summary(await steady(withoutLevel));
            const b2 = await withoutLevel;
            const afterShared = await metrics();
            const dominoInDominoLevelWithout = dispatched(afterShared, { priority_level: level }) - dispatched(beforeShared, { priority_level: level });

            Object.assign(figures, {
                burst: { ...burst, withLevel: b1, withoutLevel: b2 },
                otherTenantMs: { baseline, duringBurstWithLevel: during, duringBurstWithoutLevel: duringShared },
                apf: { inDominoLevel, rejectedInDominoLevel, acmeInSharedLevel, dominoInDominoLevelWithout },
            });
            progress(
                `other tenant, ms: baseline ${JSON.stringify(baseline)}; burst with Domino's level ${JSON.stringify(during)}; without ${JSON.stringify(duringShared)}`,
            );
            progress(`API Priority and Fairness: ${JSON.stringify(figures.apf)}; bursts ${JSON.stringify(b1)} / ${JSON.stringify(b2)}`);

            // Every request of the burst was classified into Domino's level (dispatched there, or
            // queued out and refused with 429 there), none into the other tenant's.
            assert.ok(b1.sent >= burst.requests / 2, `the burst was too small to mean anything: ${JSON.stringify(b1)}`);
            assert.ok(
                inDominoLevel + rejectedInDominoLevel >= b1.sent,
                `only ${inDominoLevel} + ${rejectedInDominoLevel} of ${b1.sent} burst requests ran in ${level}`,
            );
            assert.ok(acmeInSharedLevel >= during.n, `the other tenant's requests ran in workload-low: ${acmeInSharedLevel} of ${during.n}`);
            assert.equal(dominoInDominoLevelWithout, 0, "without Domino's level its requests fall back to the built-in schemas");
            // The bounds (docs/admission.md, "The shared API server"): the other tenant's p99 during the burst stays within
            // burst.p99Bound.factor x its own baseline p99, or burst.p99Bound.floorMs on a loaded machine's tiny
            // baselines; and its p50 with Domino's level is no worse than without it (measured: about half),
            // give or take burst.p50Tolerance for a shared machine's drift between the two bursts.
            const bound = Math.max(burst.p99Bound.factor * baseline.p99, burst.p99Bound.floorMs);
            assert.ok(
                during.p99 <= bound,
                `the other tenant's p99 ${during.p99} ms during the burst exceeds ${bound} ms (baseline ${JSON.stringify(baseline)})`,
            );
            assert.ok(
                during.p50 <= burst.p50Tolerance * duringShared.p50,
                `the other tenant's p50 with Domino's level (${during.p50} ms) is worse than without it (${duringShared.p50} ms)`,
            );
        } finally {
            apply(flowControl, "Domino's level, back");
            kubectl(["-n", model.namespaces.system, "delete", "rolebinding", "e2e-e2e-burst-view", "--ignore-not-found"]);
            kubectl(["-n", "acme", "delete", "rolebinding", "e2e-e2e-steady-view", "--ignore-not-found"]);
            api.close();
            tenantApi.close();
        }
    });
});

/** Loopback only, capped: at most 2 x 1000 requests from Domino, each burst at most 30 s. */
const burst = {
    requests: 1000,
    concurrency: 48,
    seconds: 30,
    tenantRate: 25,
    baselineMs: 4000,
    p99Bound: { factor: 5, floorMs: 2000 },
    p50Tolerance: 1.25,
} as const;

describe("a server that does not serve ValidatingAdmissionPolicy v1, as before 1.30", function () {
    this.timeout(10 * 60 * 1000);
    // The 1.36 server with the API and its admission plugin turned off: what a 1.29 server serves.
    const oldServer =
        "--runtime-config=admissionregistration.k8s.io/v1/validatingadmissionpolicies=false,admissionregistration.k8s.io/v1/validatingadmissionpolicybindings=false --disable-admission-plugins=ValidatingAdmissionPolicy";
    const clusterEnv = { ...pulumiEnv, CLUSTER_APISERVER_EXTRA_ARGS: oldServer };

    before(() => {
        cluster("down");
        ok(run("bash", ["scripts/cluster.sh", "up"], { timeoutSeconds: 240, env: clusterEnv }), "cluster up without ValidatingAdmissionPolicy");
    });
    after(() => {
        cluster("down");
        fs.rmSync(workDir, { recursive: true, force: true });
    });

    function preflight(configFile?: string): { code: number; findings: { check: string; severity: string; message: string; fix?: string }[]; stderr: string } {
        const args = ["--import", "tsx", "scripts/preflight.ts", ...(configFile ? ["--config", configFile] : ["--stack", stack]), "--json"];
        const r = run(process.execPath, args, { timeoutSeconds: 120 });
        return { code: r.code, findings: r.stdout ? (JSON.parse(r.stdout) as { findings: [] }).findings : [], stderr: r.stderr };
    }

    it("really lacks the API: a twin cannot be registered", () => {
        const r = kubectl(["api-resources", "--api-group=admissionregistration.k8s.io", "-o", "name"]);
        assert.doesNotMatch(ok(r, "api-resources").stdout, /validatingadmissionpolicies/);
        assert.match(r.stdout, /mutatingadmissionpolicies/);
    });

    it("fails preflight on it, saying the twins cannot be registered and naming both ways out", () => {
        const r = preflight();
        assert.equal(r.code, 1, r.stderr);
        const errors = r.findings.filter((f) => f.severity === "error");
        assert.equal(errors.length, 1, JSON.stringify(r.findings, null, 1));
        assert.equal(errors[0].check, "served-apis");
        assert.match(errors[0].message, /does not serve validatingadmissionpolicies in admissionregistration\.k8s\.io\/v1: the tenancy rules' runtime twins/);
        assert.match(errors[0].fix ?? "", /Kubernetes 1\.30\+.*tenancy\.domino\.admission\.enabled: false/);
    });

    it("passes preflight with admission turned off: the pack still judges at preview", () => {
        // The local stack file as it is, admission turned off.
        const doc = yaml.load(fs.readFileSync(stackFile(stack), "utf8")) as { config: Record<string, { domino: Record<string, unknown> }> };
        doc.config["domino-tenancy:tenancy"].domino.admission = { enabled: false };
        const file = path.join(workDir, "Pulumi.local-admission-off.yaml");
        fs.writeFileSync(file, yaml.dump(doc));
        const r = preflight(file);
        assert.deepEqual(
            r.findings.filter((f) => f.severity === "error"),
            [],
            r.stderr,
        );
    });
});
