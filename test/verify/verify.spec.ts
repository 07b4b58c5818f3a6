// verify's judgement, without a cluster: who a refusal is credited to, how checks become
// verdicts, what the evidence says, and that the probes are a stable, named catalogue.
// The live half (every probe holding on the local stack, and failing when broken on
// purpose) is test/e2e/verify.e2e.ts.

import { strict as assert } from "assert";
import { evaluate } from "@marcbachmann/cel-js";
import { buildModel } from "../../components/model/model";
import { projectName, readStackConfig, stackFile } from "../../plan/engine";
import { buildGuardsStay, eksSessionsOf, guardsStayName, requesterIn } from "../../components/kubernetes/guardsStay";
import { accessChecks } from "../../components/verify/access";
import { rightCause } from "../../components/verify/behaviour";
import type { Answer, VerifyClient } from "../../components/verify/client";
import { html, markdown, policyReport, summaryOf, table, type Evidence } from "../../components/verify/evidence";
import { allProbes, exitCodeOf } from "../../components/verify";
import { runProbe, type Probe, type ProbeContext } from "../../components/verify/probe";
import { paramsReadBy, pluralOf, sameParams } from "../../components/verify/probes/admissionTwins";
import { addedCapabilitiesBehaviour } from "../../components/verify/probes/addedCapabilities";
import { hostPathBehaviour } from "../../components/verify/probes/hostPath";
import { objectQuota, resourceQuota } from "../../components/verify/probes/quotaKeys";
import { causeOf, dominoSpoke } from "../../components/verify/refusal";
import { targetOf, type VerifyTarget } from "../../components/verify/target";
import { allTwins } from "../../policy/admission";

const answer = (status: number, message = "", body: unknown = {}): Answer => ({ status, message, body, headers: {} });
const psa = `pods "x" is forbidden: violates PodSecurity "baseline:latest": privileged (container "probe" must not set securityContext.privileged=true)`;
const vap = `pods "x" is forbidden: ValidatingAdmissionPolicy 'domino-pod-templates' with binding 'domino-pod-templates' denied request: no-privileged-containers: a container is privileged`;
const rbac = `pods is forbidden: User "system:serviceaccount:domino-compute:default" cannot create resource "pods" in API group "" in the namespace "domino-compute"`;

function modelOf(stack: string) {
    const project = projectName();
    return buildModel(JSON.parse(readStackConfig(stackFile(stack), project).config[`${project}:tenancy`]), stack);
}
const target: VerifyTarget = targetOf("local", modelOf("local"), { namespace: "acme", serviceAccount: "default" });

/** A client that answers from a table of paths; everything else is a 404. */
function fakeClient(routes: Record<string, Answer>, reviews: (user: string, attrs: Record<string, string>) => boolean = () => false): VerifyClient {
    let n = 0;
    const get = async <T>(path: string) => {
        n++;
        return (routes[path] ?? answer(404, "not found")) as Answer<T>;
    };
    return {
        get,
        dryRunCreate: get,
        dryRunDelete: get,
        review: async <T>(_path: string, body: object, as?: { user: string }) => {
            n++;
            const attrs = (body as { spec: { resourceAttributes: Record<string, string> } }).spec.resourceAttributes;
            return answer(201, "", { status: { allowed: reviews(as?.user ?? "", attrs) } }) as Answer<T>;
        },
        put: get,
        create: get,
        count: () => n,
    };
}
const ctxOf = (client: VerifyClient): ProbeContext => ({ client, target, probeName: (w) => `verify-${w}-test` });

describe("verify (components/verify)", () => {
    describe("crediting a refusal to its cause", () => {
        it("reads Pod Security's level and words, a Domino policy's name and rule, quota, and anything else as other", () => {
            assert.deepEqual(causeOf(answer(403, psa), "domino"), {
                by: "pod-security",
                level: "baseline",
                text: 'privileged (container "probe" must not set securityContext.privileged=true)',
            });
            const v = causeOf(answer(403, vap), "domino");
            assert.equal(v.by, "domino-policy");
            assert.deepEqual(v.by === "domino-policy" && [v.policy, v.rule], ["domino-pod-templates", "no-privileged-containers"]);
            assert.equal(causeOf(answer(403, "exceeded quota: compute-quota, requested: services.nodeports=1"), "domino").by, "quota");
            assert.equal(causeOf(answer(403, rbac), "domino").by, "other");
            assert.equal(causeOf(answer(201), "domino").by, "admitted");
        });

        it("never credits another deployment's policy, RBAC or a validation error as the right cause", () => {
            const b = { podSecurity: /privileged \(container/, rules: ["no-privileged-containers"] };
            assert.equal(rightCause(answer(403, psa), "domino", b), true);
            assert.equal(rightCause(answer(403, vap), "domino", b), true);
            assert.equal(rightCause(answer(403, vap.replace(/domino-/g, "other-")), "domino", b), false);
            assert.equal(rightCause(answer(403, rbac), "domino", b), false);
            assert.equal(rightCause(answer(422, 'Pod "x" is invalid: spec.containers[0].image: Required value'), "domino", b), false);
            assert.equal(rightCause(answer(403, psa.replace("privileged (container", "hostPath volumes (volume")), "domino", b), false);
            assert.equal(rightCause(answer(201), "domino", b), false);
        });

        it("credits Pod Security's restricted wording where restricted replaces a baseline check (capabilities, volume types)", () => {
            const restricted = (words: string) => answer(403, `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${words}`);
            const baseline = (words: string) => answer(403, `pods "x" is forbidden: violates PodSecurity "baseline:latest": ${words}`);
            const capsWords = 'capabilities (container "probe" must not include "SYS_ADMIN" in securityContext.capabilities.add)';
            assert.equal(rightCause(restricted(`unrestricted ${capsWords}`), "domino", addedCapabilitiesBehaviour), true);
            assert.equal(rightCause(baseline(`non-default ${capsWords}`), "domino", addedCapabilitiesBehaviour), true);
            assert.equal(
                rightCause(restricted('restricted volume types (volume "host" uses restricted volume type "hostPath")'), "domino", hostPathBehaviour),
                true,
            );
            assert.equal(rightCause(baseline('hostPath volumes (volume "host")'), "domino", hostPathBehaviour), true);
            const root = restricted('runAsNonRoot != true (pod or container "probe" must set securityContext.runAsNonRoot=true)');
            assert.equal(rightCause(root, "domino", addedCapabilitiesBehaviour), false);
        });

        it("hears a Domino policy speak only in its own refusals", () => {
            assert.equal(dominoSpoke(answer(403, vap), "domino"), true);
            assert.equal(dominoSpoke(answer(403, psa), "domino"), false);
            assert.equal(dominoSpoke(answer(201, vap), "domino"), false);
        });
    });

    describe("checks and verdicts", () => {
        const probe = (run: Probe["run"]): Probe => ({ id: "p", title: "t", remediation: "fix it", run });

        it("fails a probe on one failed check, names an exception, and skips with its reason", async () => {
            const ctx = ctxOf(fakeClient({}));
            const ok = { identity: "i", request: "r", expected: "e", actual: "a", holds: true };
            assert.equal(
                (
                    await runProbe(
                        probe(async () => ({ checks: [ok] })),
                        ctx,
                    )
                ).verdict,
                "pass",
            );
            const failed = await runProbe(
                probe(async () => ({ checks: [ok, { ...ok, holds: false }] })),
                ctx,
            );
            assert.equal(failed.verdict, "fail");
            assert.equal(failed.remediation, "fix it");
            const excepted = await runProbe(
                probe(async () => ({ checks: [ok, { ...ok, holds: false, exception: "why" }] })),
                ctx,
            );
            assert.deepEqual([excepted.verdict, excepted.reason], ["exception", "why"]);
            const skipped = await runProbe(
                probe(async () => ({ skip: "no operator" })),
                ctx,
            );
            assert.deepEqual([skipped.verdict, skipped.reason], ["skip", "no operator"]);
        });

        it("fails, never passes, a probe that throws or checks nothing", async () => {
            const ctx = ctxOf(fakeClient({}));
            const thrown = await runProbe(
                probe(async () => {
                    throw new Error("boom");
                }),
                ctx,
            );
            assert.equal(thrown.verdict, "fail");
            assert.match(thrown.checks[0].actual, /boom/);
            assert.equal(
                (
                    await runProbe(
                        probe(async () => ({ checks: [] })),
                        ctx,
                    )
                ).verdict,
                "fail",
            );
            assert.equal(exitCodeOf([thrown]), 1);
        });

        it("holds an access row only when the server's answer is the expected one", async () => {
            const client = fakeClient({}, (user, attrs) => user.endsWith(":reader") && attrs.verb === "get");
            const as = { user: "system:serviceaccount:x:reader", label: "reader" };
            const checks = await accessChecks(client, [
                { as, attrs: { verb: "get", resource: "nodes" }, allowed: false },
                { as, attrs: { verb: "delete", resource: "nodes" }, allowed: false },
                { as, attrs: { verb: "get", resource: "nodes" }, allowed: true, exception: "admin pages" },
            ]);
            assert.deepEqual(
                checks.map((c) => [c.holds, c.exception]),
                [
                    [false, undefined],
                    [true, undefined],
                    [true, "admin pages"],
                ],
            );
        });

        it("finds the quota keys the benchmarks name, and names the missing ones", async () => {
            const quota = (hard: Record<string, string>) =>
                fakeClient({ "/api/v1/namespaces/domino-compute/resourcequotas": answer(200, "", { items: [{ metadata: { name: "q" }, spec: { hard } }] }) });
            const full = await runProbe(resourceQuota, ctxOf(quota({ "requests.cpu": "1", "limits.memory": "1Gi", "requests.ephemeral-storage": "1Gi" })));
            assert.equal(full.verdict, "pass");
            const partial = await runProbe(resourceQuota, ctxOf(quota({ "requests.cpu": "1", "limits.memory": "1Gi" })));
            assert.equal(partial.verdict, "fail");
            assert.deepEqual(
                partial.checks.filter((c) => !c.holds).map((c) => c.request),
                ["GET resourcequotas in domino-compute: a hard limit on ephemeral-storage"],
            );
            const counts = await runProbe(objectQuota, ctxOf(quota({ pods: "1", "count/secrets": "2" })));
            assert.ok(counts.checks.find((c) => /secrets/.test(c.request))!.holds);
            assert.equal(counts.checks.find((c) => /configmaps/.test(c.request))!.holds, false);
        });
    });

    describe("replaying the rules' cases", () => {
        it("reads the params keys each twin's CEL reads", () => {
            const pinned = allTwins().find((t) => t.rule === "images-pinned")!;
            assert.deepEqual(paramsReadBy(pinned), ["requireDigests"]);
            assert.ok(paramsReadBy(allTwins().find((t) => t.rule === "workloads-land-on-domino-pools")!).includes("pools"));
        });

        it("replays a case whose list params gained entries its objects never mention, and no other difference", () => {
            const obj = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { group: "a.example.com" } }];
            assert.equal(sameParams(["groups"], { groups: "a.example.com,b.example.com" }, { groups: "a.example.com" }, obj), true);
            assert.equal(sameParams(["groups"], { groups: "a.example.com,b.example.com" }, { groups: "b.example.com" }, obj), false);
            const mentions = [{ ...obj[0], data: { group: "b.example.com" } }];
            assert.equal(sameParams(["groups"], { groups: "a.example.com,b.example.com" }, { groups: "a.example.com" }, mentions), false);
            assert.equal(sameParams(["prefix"], { prefix: "domino-" }, { prefix: "other-" }, obj), false);
        });

        it("names the API plural of a kind", () => {
            assert.deepEqual(["NetworkPolicy", "Ingress", "PriorityClass", "Pod", "StorageClass"].map(pluralOf), [
                "networkpolicies",
                "ingresses",
                "priorityclasses",
                "pods",
                "storageclasses",
            ]);
        });
    });

    describe("the catalogue", () => {
        it("gives every probe a unique kebab-case id, a title and a remediation, benchmarks by their kubectl-mtb id", () => {
            const probes = allProbes();
            assert.equal(new Set(probes.map((p) => p.id)).size, probes.length);
            for (const p of probes) {
                assert.match(p.id, /^(mtb|domino)-[a-z0-9-]+$/);
                assert.ok(p.title && p.remediation, p.id);
                if (p.benchmark) assert.match(p.benchmark, /^MTB-PL[12]-(BC|CC)-[A-Z]+-\d$/, p.id);
            }
            const covered = new Set(probes.flatMap((p) => (p.benchmark ? [p.benchmark] : [])));
            for (const id of ["MTB-PL1-CC-CPI-1", "MTB-PL1-BC-CPI-2", "MTB-PL1-BC-CPI-3", "MTB-PL1-BC-CPI-4", "MTB-PL1-BC-CPI-5", "MTB-PL1-BC-CPI-6"])
                assert.ok(covered.has(id), id);
            for (const id of [
                "MTB-PL1-CC-TI-1",
                "MTB-PL2-CC-TI-2",
                "MTB-PL2-CC-TI-1",
                "MTB-PL1-BC-HI-1",
                "MTB-PL1-BC-HI-3",
                "MTB-PL1-BC-HI-4",
                "MTB-PL1-BC-HI-5",
            ])
                assert.ok(covered.has(id), id);
            for (const id of ["MTB-PL1-CC-FNS-1", "MTB-PL1-CC-FNS-2"]) assert.ok(covered.has(id), id);
        });

        it("has one admission probe per policy the program registers, and a skipped operator probe where no operator is installed", async () => {
            const ids = allProbes().map((p) => p.id);
            for (const name of ["pod-templates", "cluster-scoped-names-prefixed", "rbac-least-privilege", "no-nodeport-loadbalancer", "storage-dynamic-only"])
                assert.ok(ids.includes(`domino-admission-${name}`), name);
            const operator = allProbes().find((p) => p.id === "domino-operator-confined")!;
            const noOperator: VerifyTarget = { ...target, operator: undefined };
            const r = await runProbe(operator, { ...ctxOf(fakeClient({})), target: noOperator });
            assert.equal(r.verdict, "skip");
            assert.match(r.reason!, /installs no operator/);
        });
    });

    describe("the evidence", () => {
        const doc: Evidence = {
            tool: "domino-tenancy verify",
            stack: "local",
            deployment: "domino",
            server: "https://127.0.0.1:1",
            clusterVersion: "v1.36.3",
            otherTenant: "acme",
            startedAt: "2026-12-03T09:00:00.000Z",
            seconds: 2,
            requests: 10,
            summary: { pass: 1, fail: 1, exception: 1, skip: 0 },
            probes: [
                { id: "domino-a", title: "a <b>", verdict: "pass", checks: [], seconds: 0 },
                {
                    id: "mtb-b",
                    title: "b",
                    benchmark: "MTB-PL1-CC-FNS-1",
                    verdict: "fail",
                    remediation: "do X",
                    checks: [{ identity: "sa", request: "GET q", expected: "e", actual: "none", holds: false }],
                    seconds: 0,
                },
                { id: "mtb-c", title: "c", verdict: "exception", reason: "by design", checks: [], seconds: 0 },
            ],
        };

        it("shows a failure's request, expectation, actual answer and remediation on the terminal", () => {
            const t = table(doc);
            assert.match(t, /FAIL\s+mtb-b/);
            assert.match(t, /expected: e\n\s+actual:\s+none\n\s+-> do X/);
            assert.match(t, /EXCEPTION mtb-c[\s\S]*\(by design\)/);
            assert.match(t, /1 pass, 1 fail, 1 named exception/);
        });

        it("keeps the stack, cluster version, time and every probe in the Markdown and HTML files, escaped", () => {
            for (const text of [markdown(doc), html(doc)]) {
                for (const s of ["local", "v1.36.3", "2026-12-03T09:00:00.000Z", "domino-a", "mtb-b", "mtb-c", "MTB-PL1-CC-FNS-1"])
                    assert.ok(text.includes(s), s);
            }
            assert.ok(html(doc).includes("a &lt;b&gt;"));
            assert.ok(!html(doc).includes("a <b>"));
        });

        it("writes a wgpolicyk8s.io/v1alpha2 PolicyReport, a named exception as a warning", () => {
            const r = policyReport(doc, "domino-system") as {
                apiVersion: string;
                kind: string;
                summary: Record<string, number>;
                results: { rule: string; result: string }[];
            };
            assert.equal(r.apiVersion, "wgpolicyk8s.io/v1alpha2");
            assert.equal(r.kind, "PolicyReport");
            assert.deepEqual(r.summary, { pass: 1, fail: 1, warn: 1, error: 0, skip: 0 });
            assert.deepEqual(
                r.results.map((x) => [x.rule, x.result]),
                [
                    ["domino-a", "pass"],
                    ["mtb-b", "fail"],
                    ["mtb-c", "warn"],
                ],
            );
            assert.deepEqual(summaryOf(doc.probes), doc.summary);
        });
    });
});

describe("the guards stay (components/kubernetes/guardsStay.ts)", () => {
    const run = (expr: string, username: string) => evaluate(expr, { request: { userInfo: { username } } });

    it("lets the deploy identities, exactly or by prefix, and the namespace cleaners through, and no one else", () => {
        const expr = requesterIn(["admin", "arn:aws:sts::123456789012:assumed-role/deploy/*", "system:serviceaccount:kube-system:namespace-controller"]);
        assert.equal(run(expr, "admin"), true);
        assert.equal(run(expr, "arn:aws:sts::123456789012:assumed-role/deploy/gh-run-1"), true);
        assert.equal(run(expr, "system:serviceaccount:kube-system:namespace-controller"), true);
        assert.equal(run(expr, "administrator"), false);
        assert.equal(run(expr, "arn:aws:sts::123456789012:assumed-role/deployer/x"), false);
        assert.equal(run(expr, "system:serviceaccount:domino-compute:default"), false);
    });

    it("names a role's EKS sessions, with or without a path", () => {
        assert.equal(eksSessionsOf("arn:aws:iam::123456789012:role/ci/deploy"), "arn:aws:sts::123456789012:assumed-role/deploy/*");
        assert.equal(eksSessionsOf("arn:aws-us-gov:iam::123456789012:role/deploy"), "arn:aws-us-gov:sts::123456789012:assumed-role/deploy/*");
        assert.throws(() => eksSessionsOf("arn:aws:iam::123456789012:user/me"), /not an IAM role ARN/);
    });

    it("guards the program's labelled quota, limits, network policies and role bindings in Domino's namespaces on update and delete", () => {
        const ms = buildGuardsStay(modelOf("local"));
        assert.deepEqual(
            ms.map((m) => [m.kind, m.metadata.name]),
            [
                ["ValidatingAdmissionPolicy", guardsStayName("domino")],
                ["ValidatingAdmissionPolicyBinding", guardsStayName("domino")],
            ],
        );
        const spec = (
            ms[0] as unknown as {
                spec: {
                    failurePolicy: string;
                    matchConstraints: { resourceRules: { resources: string[]; operations: string[] }[] };
                    validations: { expression: string; message: string }[];
                };
            }
        ).spec;
        assert.equal(spec.failurePolicy, "Fail");
        assert.deepEqual(spec.matchConstraints.resourceRules.flatMap((r) => r.resources).sort(), [
            "limitranges",
            "networkpolicies",
            "resourcequotas",
            "rolebindings",
            "roles",
        ]);
        for (const r of spec.matchConstraints.resourceRules) assert.deepEqual(r.operations, ["UPDATE", "DELETE"]);
        assert.match(spec.validations[0].message, /^guards-stay: /);
        assert.equal(run(spec.validations[0].expression, "admin"), true);
        assert.equal(run(spec.validations[0].expression, "tenant-admin"), false);
        const binding = (ms[1] as unknown as { spec: { matchResources: { namespaceSelector: unknown; objectSelector: unknown } } }).spec.matchResources;
        assert.deepEqual(binding.objectSelector, { matchLabels: { "app.kubernetes.io/managed-by": "domino-tenancy" } });
        assert.deepEqual(binding.namespaceSelector, { matchLabels: { "domino-tenancy/deployment": "domino" } });
    });

    it("derives the deploy identities from the AWS deploy roles, and registers nothing where none is known", () => {
        const aws = buildGuardsStay(modelOf("dev-aws"));
        assert.equal(aws.length, 2);
        assert.match(JSON.stringify(aws[0]), /assumed-role/);
        assert.deepEqual(buildGuardsStay(modelOf("prod-gcp")), []);
    });
});
