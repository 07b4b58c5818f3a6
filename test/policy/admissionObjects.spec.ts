// The admission objects the program registers: every twin's policy and binding,
// prefixed, scoped to Domino alone, failing closed, with the configured actions;
// Domino's API priority level; and the shipped stacks' own objects admitted by every
// twin, so turning the guard on never refuses what the stack itself deploys.

import { strict as assert } from "assert";
import { evaluate } from "@marcbachmann/cel-js";
import { deploymentLabel } from "@domino-tenancy/core";
import { buildAdmissionPolicies, dominoServiceAccountCondition } from "../../components/kubernetes/admissionPolicies";
import { buildDominoTenancy } from "../../components/kubernetes/dominoTenancy";
import { buildFlowControl, dominoMatchingPrecedence } from "../../components/kubernetes/flowControl";
import { buildGpuDevicePlugin } from "../../components/kubernetes/gpuDevicePlugin";
import { buildInstaller, registrySecret } from "../../components/kubernetes/installer";
import type { Manifest } from "../../components/kubernetes/manifest";
import { buildSysctlTuner } from "../../components/kubernetes/sysctlTuner";
import { buildModel, DeploymentModel } from "../../components/model/model";
import { componentArgs } from "../../components/program";
import { projectName, readStackConfig, stackFile } from "../../plan/engine";
import { admissionParams, admissionPolicies, allTwins, podTemplatesPolicy, previewOnlyRules } from "../../policy/admission";
import { allRules } from "../../policy/rules";
import type { KubeObject } from "../../policy/testing/fixtures";
import { judge } from "./admissionHarness";
import { tenancyModelArgsOf, tenancyModelDocument } from "../../components/kubernetes/dominoTenancy";

const stacks = ["local", "byo", "dev-aws", "prod-aws", "prod-gcp"];

function modelOf(stack: string, edit: (t: Record<string, Record<string, unknown>>) => void = () => {}): DeploymentModel {
    const project = projectName();
    const tenancy = JSON.parse(readStackConfig(stackFile(stack), project).config[`${project}:tenancy`]) as Record<string, Record<string, unknown>>;
    edit(tenancy);
    return buildModel(tenancy, stack);
}

type Spec = Record<string, unknown>;
const specOf = (m: Manifest) => (m as unknown as { spec: Spec }).spec;
const ofKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);

const apiVersions: Record<string, string> = {
    Namespace: "v1",
    ServiceAccount: "v1",
    ConfigMap: "v1",
    Secret: "v1",
    Service: "v1",
    ResourceQuota: "v1",
    LimitRange: "v1",
    DaemonSet: "apps/v1",
    Job: "batch/v1",
    NetworkPolicy: "networking.k8s.io/v1",
    ClusterRole: "rbac.authorization.k8s.io/v1",
    ClusterRoleBinding: "rbac.authorization.k8s.io/v1",
    Role: "rbac.authorization.k8s.io/v1",
    RoleBinding: "rbac.authorization.k8s.io/v1",
    PriorityClass: "scheduling.k8s.io/v1",
    StorageClass: "storage.k8s.io/v1",
};

describe("admission objects (components/kubernetes/admissionPolicies.ts)", () => {
    const model = modelOf("local");
    const built = buildAdmissionPolicies(model);

    it("has a runtime twin or a stated reason for every rule of the pack, never both", () => {
        const twins = allTwins().map((t) => t.rule);
        for (const rule of allRules) {
            const has = twins.includes(rule.name);
            const why = previewOnlyRules[rule.name];
            assert.ok(has !== (why !== undefined), `${rule.name}: twin ${has}, preview-only reason ${why ?? "none"}`);
        }
    });

    it("registers one policy and one binding per policy the twins name, then the operator's confinement, each named <deployment>-<policy>", () => {
        const names = [...admissionPolicies(allTwins()).map((p) => `${model.name}-${p.name}`), `${model.name}-operator-writes-confined`];
        assert.deepEqual(
            ofKind(built, "ValidatingAdmissionPolicy").map((m) => m.metadata.name),
            names,
        );
        assert.deepEqual(
            ofKind(built, "ValidatingAdmissionPolicyBinding").map((m) => m.metadata.name),
            names,
        );
        for (const b of ofKind(built, "ValidatingAdmissionPolicyBinding")) assert.equal(specOf(b).policyName, b.metadata.name);
    });

    it("judges a pod template with one policy: every pod-template check shares one conversion of the request", () => {
        const policies = admissionPolicies(allTwins());
        const forDeployments = policies.filter((p) => p.resourceRules.some((r) => r.apiGroups.includes("apps") && r.resources.includes("deployments")));
        assert.deepEqual(
            forDeployments.map((p) => p.name),
            [podTemplatesPolicy],
        );
        const [templates] = forDeployments;
        assert.equal(templates.reach, "namespaced", "no matchConditions: they would cost another conversion");
        assert.equal(templates.validations.filter((v) => v.messageExpression).length, 0, "a messageExpression runs on every request, passing or not");
        for (const rule of [
            "images-pinned",
            "no-privileged-containers",
            "no-host-namespaces",
            "hostpath-allowlisted",
            "resources-requests-limits",
            "sysctls-safe",
            "workloads-land-on-domino-pools",
            "daemonsets-node-scoped",
            "storage-dynamic-only",
        ])
            assert.ok(templates.rules.includes(rule), rule);
    });

    it("binds the operator's confinement to the operator's account by match condition, in every namespace and for cluster-scoped objects", () => {
        const policy = ofKind(built, "ValidatingAdmissionPolicy").find((m) => m.metadata.name === "domino-operator-writes-confined")!;
        const spec = specOf(policy) as { matchConditions: { expression: string }[]; matchConstraints: { resourceRules: { operations: string[] }[] } };
        assert.deepEqual(
            spec.matchConditions.map((c) => c.expression),
            ["request.userInfo.username in ['system:serviceaccount:domino-system:platform-operator']"],
        );
        assert.deepEqual(spec.matchConstraints.resourceRules[0].operations, ["CREATE", "UPDATE", "DELETE"]);
        const binding = ofKind(built, "ValidatingAdmissionPolicyBinding").find((m) => m.metadata.name === "domino-operator-writes-confined")!;
        assert.equal((specOf(binding) as { matchResources?: unknown }).matchResources, undefined, "no namespace selector: the other tenant's namespace too");
    });

    it("registers no operator confinement for a stack that shares another stack's operator", () => {
        const shared = buildAdmissionPolicies(
            modelOf("local", (t) => (t.domino = { ...t.domino, install: { ...(t.domino.install as object), operator: "shared", chart: undefined } })),
        );
        assert.ok(!shared.some((m) => m.metadata.name.endsWith("operator-writes-confined")));
    });

    it("refuses to group twins that match different requests or define a variable differently", () => {
        const [a, b] = allTwins().filter((t) => t.policy === podTemplatesPolicy);
        assert.throws(() => admissionPolicies([a, { ...b, resourceRules: [] }]), /matches other requests than twin/);
        assert.throws(
            () => admissionPolicies([a, { ...b, variables: [{ name: "podSpec", expression: "object.spec" }] }]),
            /variable podSpec of twin .* differs/,
        );
    });

    it("keeps two deployments' objects apart: every name carries its deployment's prefix", () => {
        const other = buildAdmissionPolicies(modelOf("local", (t) => (t.domino = { ...t.domino, name: "analytics" })));
        const names = (ms: Manifest[]) => ms.map((m) => `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name}`);
        assert.deepEqual(
            names(built).filter((n) => names(other).includes(n)),
            [],
        );
        for (const m of [...built, ...buildFlowControl(model)]) assert.ok(m.metadata.name.startsWith(`${model.name}-`), m.metadata.name);
    });

    it("fails closed: every policy has failurePolicy Fail and every twin's binding denies when its params are missing; the operator's confinement reads none", () => {
        for (const p of ofKind(built, "ValidatingAdmissionPolicy")) assert.equal(specOf(p).failurePolicy, "Fail", p.metadata.name);
        const confinement = ofKind(built, "ValidatingAdmissionPolicyBinding").filter((b) => b.metadata.name.endsWith("operator-writes-confined"));
        assert.equal(confinement.length, 1);
        assert.equal(specOf(confinement[0]).paramRef, undefined, "it matches every namespace: a missing params object would refuse the whole cluster");
        for (const b of ofKind(built, "ValidatingAdmissionPolicyBinding").filter((x) => !confinement.includes(x))) {
            assert.deepEqual(specOf(b).paramRef, {
                name: `${model.name}-admission-params`,
                namespace: model.namespaces.system,
                parameterNotFoundAction: "Deny",
            });
        }
    });

    it("reads its exceptions from one params ConfigMap generated from the tenancy model", () => {
        const [params] = ofKind(built, "ConfigMap");
        assert.equal(params.metadata.name, `${model.name}-admission-params`);
        assert.equal(params.metadata.namespace, model.namespaces.system);
        assert.deepEqual((params as unknown as { data: Record<string, string> }).data, admissionParams(tenancyModelDocument(tenancyModelArgsOf(model))));
        assert.match(
            admissionParams(tenancyModelDocument(tenancyModelArgsOf(model))).hostPaths,
            new RegExp(`${model.namespaces.devicePlugin}/nvidia-device-plugin\\|/var/lib/kubelet/device-plugins\\|rw`),
        );
    });

    it("denies by default, and warns or audits when the config says so", () => {
        const actions = (ms: Manifest[]) => [
            ...new Set(ofKind(ms, "ValidatingAdmissionPolicyBinding").map((b) => JSON.stringify(specOf(b).validationActions))),
        ];
        assert.deepEqual(actions(built), ['["Deny"]']);
        for (const action of ["Warn", "Audit"]) {
            const staged = buildAdmissionPolicies(modelOf("local", (t) => (t.domino = { ...t.domino, admission: { validationActions: action } })));
            assert.deepEqual(actions(staged), [`["${action}"]`]);
        }
    });

    it("registers nothing when admission is off", () => {
        const off = modelOf("local", (t) => (t.domino = { ...t.domino, admission: { enabled: false } }));
        assert.deepEqual([...buildAdmissionPolicies(off), ...buildFlowControl(off)], []);
    });

    it("binds namespaced policies to Domino's namespaces by the deployment label, and cluster-scoped ones to Domino's service accounts", () => {
        for (const twin of admissionPolicies(allTwins())) {
            const binding = ofKind(built, "ValidatingAdmissionPolicyBinding").find((b) => b.metadata.name === `${model.name}-${twin.name}`)!;
            const policy = ofKind(built, "ValidatingAdmissionPolicy").find((p) => p.metadata.name === binding.metadata.name)!;
            const selector = (specOf(binding).matchResources as { namespaceSelector?: unknown } | undefined)?.namespaceSelector;
            const conditions = (specOf(policy).matchConditions ?? []) as { expression: string }[];
            if (twin.reach === "cluster") assert.equal(selector, undefined, twin.name);
            else assert.deepEqual(selector, { matchLabels: { [deploymentLabel]: model.name } }, twin.name);
            assert.equal(conditions.length, twin.reach === "namespaced" ? 0 : 1, twin.name);
        }
    });

    it("counts only Domino's service accounts as Domino's writers of cluster-scoped objects", () => {
        const condition = dominoServiceAccountCondition(Object.values(model.namespaces));
        const by = (username: string) => evaluate(condition, { request: { userInfo: { username } } });
        assert.equal(by(`system:serviceaccount:${model.namespaces.platform}:operator`), true);
        assert.equal(by(`system:serviceaccount:${model.namespaces.platform}x:operator`), false, "a namespace that merely starts with Domino's");
        assert.equal(by("system:serviceaccount:other-tenant:operator"), false);
        assert.equal(by("kubernetes-admin"), false);
    });

    it("starts every refusal message with the rule's name", () => {
        for (const twin of allTwins()) {
            for (const v of twin.validations) {
                assert.ok(v.message.startsWith(`${twin.rule}: `), v.message);
                if (v.messageExpression) assert.ok(v.messageExpression.startsWith(`'${twin.rule}: `), v.messageExpression);
            }
        }
    });

    for (const stack of stacks) {
        it(`admits every object the ${stack} stack deploys itself, so the guard never blocks its own stack`, () => {
            const m = modelOf(stack);
            const params = admissionParams(tenancyModelDocument(tenancyModelArgsOf(m)));
            const args = componentArgs(m);
            const objects = [
                ...buildDominoTenancy(args.tenancy),
                ...buildGpuDevicePlugin(args.devicePlugin),
                ...buildSysctlTuner(args.sysctlTuner),
                // The agent's Job and RBAC (5.x), or the registry secret beside the operator (6.x); secrets as placeholders.
                ...(m.install.method === "agent"
                    ? buildInstaller({ ...args.installer, agentImage: m.install.agentImage, configText: "{}", dockerConfig: "{}" })
                    : [registrySecret(m.namespaces.system, {}, "{}")]),
            ].map((x) => ({ apiVersion: apiVersions[x.kind], ...x }) as unknown as KubeObject);
            const refusals = objects.flatMap((o) => allTwins().flatMap((t) => judge(t, o, params)));
            assert.deepEqual(refusals, []);
        });
    }
});

describe("Domino's API priority level (components/kubernetes/flowControl.ts)", () => {
    const model = modelOf("local");
    const [level, schema] = buildFlowControl(model);

    it("puts every service account of Domino's namespaces, and only those, in a limited level of its own", () => {
        assert.equal(level.kind, "PriorityLevelConfiguration");
        assert.equal(specOf(level).type, "Limited");
        assert.equal(schema.kind, "FlowSchema");
        const spec = specOf(schema) as {
            priorityLevelConfiguration: { name: string };
            rules: { subjects: { kind: string; serviceAccount: { namespace: string; name: string } }[] }[];
        };
        assert.equal(spec.priorityLevelConfiguration.name, level.metadata.name);
        const subjects = spec.rules.flatMap((r) => r.subjects);
        assert.deepEqual([...new Set(subjects.map((s) => s.kind))], ["ServiceAccount"]);
        assert.deepEqual(subjects.map((s) => s.serviceAccount.namespace).sort(), [...new Set(Object.values(model.namespaces))].sort());
    });

    it("matches before the built-in service-accounts schema (9000) and after every system one (900)", () => {
        assert.ok(dominoMatchingPrecedence > 900 && dominoMatchingPrecedence < 9000);
    });

    it("caps Domino at its own seats: no borrowing, a bounded queue", () => {
        const limited = (
            specOf(level) as { limited: { borrowingLimitPercent: number; limitResponse: { type: string; queuing: { queueLengthLimit: number } } } }
        ).limited;
        assert.equal(limited.borrowingLimitPercent, 0);
        assert.equal(limited.limitResponse.type, "Queue");
        assert.ok(limited.limitResponse.queuing.queueLengthLimit > 0 && limited.limitResponse.queuing.queueLengthLimit <= 128);
    });
});
