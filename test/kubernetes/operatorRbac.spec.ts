// What the operator chart's rendered objects become (components/kubernetes/operatorRbac.ts),
// on objects shaped like Domino's chart 0.6.0 renders them (the stand-in chart's).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import { confinedReconcilerRules, operatorChartTransform, operatorNamespaceGrants } from "../../components/kubernetes/operatorRbac";
import { roleProblems } from "../../policy/rules/rbac-least-privilege/rule";

const reconciler = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "platform-operator-reconciler-role" },
    rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
    ],
};
const priorityClass = { kind: "PriorityClass", metadata: { name: "domino-operator" }, value: 100000000, preemptionPolicy: "PreemptLowerPriority" };
const operatorDeployment = {
    kind: "Deployment",
    metadata: { name: "platform-operator-manager" },
    spec: { template: { spec: { securityContext: { runAsNonRoot: true, runAsUser: 65532, seLinuxOptions: { type: "spc_t" } }, containers: [] } } },
};
const types = {
    ClusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    PriorityClass: "kubernetes:scheduling.k8s.io/v1:PriorityClass",
    Deployment: "kubernetes:apps/v1:Deployment",
};
type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] };

describe("the operator chart's objects as the program adapts them", () => {
    const confined = operatorChartTransform({ rbac: "confined", isolation: "dedicated", admission: true });
    const chart = operatorChartTransform({ rbac: "chart", isolation: "dedicated", admission: true });

    it("rewrites the cluster-admin reconciler role under confined into rules rbac-least-privilege accepts", () => {
        const out = confined(types.ClusterRole, reconciler);
        assert.ok(out);
        const rules = out.rules as Rule[];
        assert.deepEqual(roleProblems(rules), []);
        assert.ok(!rules.some((r) => r.nonResourceURLs), "no non-resource URL");
    });

    it("grants no read of Secrets cluster-wide under confined, and writes of them only with admission to confine them", () => {
        for (const admission of [true, false]) {
            const rules = confinedReconcilerRules(admission);
            const onSecrets = rules.filter((r) => r.apiGroups.includes("") && r.resources.includes("secrets"));
            assert.ok(
                onSecrets.every((r) => !r.verbs.some((v) => ["get", "list", "watch"].includes(v))),
                JSON.stringify(onSecrets),
            );
            assert.equal(onSecrets.length > 0, admission);
        }
    });

    it("keeps namespaced writes to Domino's namespaces (through its Roles) when admission is off", () => {
        const deployments = confinedReconcilerRules(false).find((r) => r.apiGroups.includes("apps"));
        assert.deepEqual(deployments?.verbs, ["get", "list", "watch"]);
    });

    it("writes the cluster-scoped kinds Domino installs: ClusterRoles, CRDs, priority and storage classes, namespaces", () => {
        const writes = (group: string, resource: string) =>
            confinedReconcilerRules(true).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes("create"));
        assert.ok(writes("rbac.authorization.k8s.io", "clusterroles"));
        assert.ok(writes("apiextensions.k8s.io", "customresourcedefinitions"));
        assert.ok(writes("scheduling.k8s.io", "priorityclasses"));
        assert.ok(writes("storage.k8s.io", "storageclasses"));
        assert.ok(writes("", "namespaces"));
    });

    it("keeps the chart's grant as shipped under chart", () => {
        assert.equal(chart(types.ClusterRole, reconciler), undefined);
    });

    it("leaves the chart's other ClusterRoles alone", () => {
        assert.equal(confined(types.ClusterRole, { ...reconciler, metadata: { name: "platform-operator-manager-role" } }), undefined);
    });

    it("stops the operator's PriorityClass from preempting under shared isolation, keeping its name", () => {
        const shared = operatorChartTransform({ rbac: "confined", isolation: "shared", admission: true });
        assert.deepEqual(shared(types.PriorityClass, priorityClass), { ...priorityClass, preemptionPolicy: "Never" });
        assert.equal(confined(types.PriorityClass, priorityClass), undefined, "dedicated: placement keeps it on Domino's nodes");
    });

    it("drops SELinux type spc_t from the operator's pod, which Pod Security baseline refuses, keeping the rest of its security context", () => {
        const out = confined(types.Deployment, operatorDeployment) as typeof operatorDeployment;
        assert.deepEqual(out.spec.template.spec.securityContext, { runAsNonRoot: true, runAsUser: 65532 });
        assert.equal(operatorDeployment.spec.template.spec.securityContext.seLinuxOptions.type, "spc_t", "the input is not mutated");
    });

    it("gives full rights by a Role and RoleBinding in each installer namespace, bound to the operator's account", () => {
        const grants = operatorNamespaceGrants({
            deploymentName: "domino",
            namespaces: ["domino-platform", "domino-compute"],
            operatorNamespace: "domino-system",
        });
        assert.deepEqual(
            grants.map((g) => `${g.kind} ${g.metadata.namespace}/${g.metadata.name}`),
            [
                "Role domino-platform/domino-platform-operator",
                "RoleBinding domino-platform/domino-platform-operator",
                "Role domino-compute/domino-platform-operator",
                "RoleBinding domino-compute/domino-platform-operator",
            ],
        );
        const binding = grants[1] as { subjects: unknown };
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "platform-operator", namespace: "domino-system" }]);
    });

    it("matches the stand-in chart's objects by the names the stand-in renders", () => {
        const dir = path.join(__dirname, "..", "fixtures", "platform-operator-standin", "templates");
        const text = fs.readFileSync(path.join(dir, "clusterrole.yaml"), "utf8");
        const docs = text.split(/^---$/m).map((d) => load(d.replace(/\{\{[^}]*\}\}/g, "x")) as { metadata?: { name?: string } } | undefined);
        assert.ok(docs.some((d) => d?.metadata?.name === reconciler.metadata.name));
        const pc = fs.readFileSync(path.join(dir, "priorityclass.yaml"), "utf8");
        assert.match(pc, /name: domino-operator/);
        assert.match(pc, /preemptionPolicy: PreemptLowerPriority/);
    });
});
