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
import { KubeApi, metricSum, quantile } from "../../bench/lib/kubeApi";
import { bindingSpec, policySpec } from "../../components/kubernetes/admissionPolicies";
import { buildModel, type DeploymentModel } from "../../components/model/model";
import { Plan, readStackConfig, runPlan, stackFile } from "../../plan/engine";
import { allTwins, paramsName } from "../../policy/admission";
import { compliantPod, containerOf, tweak, workload } from "../../policy/testing/fixtures";
import { cluster, kubectl, ok, pulumiEnv, run } from "./harness";

const stack = "local";
// Not the harness's shared temp dir: tenancy.e2e.ts removes that one when it ends.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "domino-tenancy-e2e-admission-"));
const progress = (line: string) => process.stdout.write(`      ${line}\n`);
const figures: Record<string, unknown> = {};

let plan: Plan;
let model: DeploymentModel;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

function planned(kinds: readonly string[]): Obj[] {
    return plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs as unknown as Obj).filter((o) => kinds.includes(o.kind));
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
const unpinned = () => workload("Deployment", tweak(compliantPod(), (pod) => (containerOf(pod).image = "fluent/fluentd:latest")), "e2e-unpinned") as Obj;

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
        ok(cluster("up"), "cluster up");
        apply(planned(["Namespace"]), "Domino's namespaces");
        apply(planned(["ConfigMap"]).filter((o) => o.metadata.name === paramsName(model.name)), "the admission params");
        apply(planned(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityLevelConfiguration", "FlowSchema"]), "the twins and the priority level");
        // The twins are live once a rule-breaking object is refused, naming its rule.
        waitUntil("the twins to judge", 60, () => /images-pinned: /.test(dryRun(unpinned()).stderr));
    });

    after(() => {
        cluster("down");
        fs.rmSync(workDir, { recursive: true, force: true });
        process.stdout.write(`      admission e2e figures: ${JSON.stringify(figures)}\n`);
    });

    it("refuses a rule-breaking Deployment in Domino's namespace naming the rule, and admits it in the other tenant's", () => {
        const r = dryRun(unpinned());
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /ValidatingAdmissionPolicy 'domino-images-pinned' .*denied request: images-pinned: Deployment domino-platform\/e2e-unpinned: container\(s\) main not pinned/);
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
            figures.paramsMissing = r.stderr.trim().split("\n")[0];
            assert.equal(dryRun(inNamespace(compliant(), "acme")).code, 0, "the other tenant's namespace is outside every binding");
            assert.equal(dryRun(inNamespace(unpinned(), "acme")).code, 0);
        } finally {
            apply([params], "the admission params, back");
        }
        waitUntil("a compliant object to be admitted again", 60, () => dryRun(compliant()).code === 0);
        assert.match(dryRun(unpinned()).stderr, /images-pinned: /);
    });

    it("lifts the refusals, as the README says, when the bindings' validationActions is Warn: the request passes with a warning", () => {
        const params = planned(["ConfigMap"]).find((o) => o.metadata.name === paramsName(model.name))!;
        const bindings = planned(["ValidatingAdmissionPolicyBinding"]);
        const warn = bindings.map((b) => ({ ...b, spec: { ...(b.spec as object), validationActions: ["Warn"] } }));
        apply(warn, "bindings set to Warn");
        ok(kubectl(["-n", params.metadata.namespace!, "delete", "configmap", params.metadata.name]), "delete the params");
        try {
            waitUntil("a compliant object to pass with a warning", 60, () => {
                const r = dryRun(compliant());
                return r.code === 0 && /Warning: .*no params found/.test(r.stderr);
            });
        } finally {
            apply([params], "the admission params, back");
            apply(bindings, "bindings back to Deny");
        }
        waitUntil("the twins to refuse again", 60, () => /images-pinned: /.test(dryRun(unpinned()).stderr));
    });

    it("refuses a Domino request whose twin's CEL errors (failurePolicy Fail), naming the policy and the error; the other tenant's namespace is never evaluated", () => {
        // A twin as the builder makes it (its failurePolicy, params, binding), plus one
        // validation that errors on any object without the label it reads.
        const twin = allTwins().find((t) => t.rule === "images-pinned")!;
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
            assert.match(r.stderr, new RegExp(`ValidatingAdmissionPolicy '${name}' with binding '${name}' denied request: expression 'object\\.metadata\\.labels\\['e2e-missing'\\] == 'x'' resulted in error: no such key: e2e-missing`));
            figures.celError = r.stderr.trim().split("\n")[0];
            assert.equal(dryRun(inNamespace(compliant(), "acme")).code, 0);
        } finally {
            kubectl(["delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", name, "--ignore-not-found"]);
        }
    });
});
