// operator-writes-confined (policy/admission/operatorConfinement.ts), evaluated in node the
// way the API server applies it to the operator's requests, with the params a stack that
// installs the operator generates.

import { strict as assert } from "assert";
import { operatorUsername } from "@domino-tenancy/core";
import { admissionParams, operatorAccountsCondition, operatorConfinementArgs, operatorConfinementPolicy } from "../../policy/admission";
import { type KubeObject, namespaces, withOperator } from "../../policy/testing/fixtures";
import { evaluate } from "@marcbachmann/cel-js";
import { judge, type Request } from "./admissionHarness";

const params = admissionParams({ ...withOperator(), installApiGroups: ["operator.domino.ai"] });
const policy = operatorConfinementPolicy(operatorConfinementArgs(params));
const operator = operatorUsername(namespaces.system);
const as = (obj: KubeObject, operation: Request["operation"] = "CREATE") => judge(policy, obj, params, { username: operator, operation });

const obj = (apiVersion: string, kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...extra,
});

describe("operator-writes-confined: what Domino's operator may write, at admission", () => {
    it("reads no params object, so a missing params ConfigMap can never refuse the cluster's writes", () => {
        assert.ok(!JSON.stringify(policy).includes("params."), "the policy's CEL reads params");
    });

    it("admits what Domino's installer does in Domino's namespaces: Helm's release Secret, a HelmRelease, a ConfigMap, a Job, deletes", () => {
        const inDomino = [
            obj("v1", "Secret", "sh.helm.release.v1.nucleus.v1", namespaces.platform, { type: "helm.sh/release.v1" }),
            obj("operator.domino.ai/v1beta1", "HelmRelease", "nucleus", namespaces.platform),
            obj("v1", "ConfigMap", "settings", namespaces.compute),
            obj("batch/v1", "Job", "domino-agent", namespaces.system),
        ];
        for (const o of inDomino) for (const op of ["CREATE", "UPDATE", "DELETE"] as const) assert.deepEqual(as(o, op), [], `${op} ${o.kind}`);
    });

    it("refuses a Deployment in another tenant's namespace, naming the rule, the account and the namespace", () => {
        const [m] = as(obj("apps/v1", "Deployment", "web", "acme"));
        assert.match(
            m,
            /^operator-writes-confined: system:serviceaccount:domino-system:platform-operator may not CREATE Deployment acme\/web: it is outside Domino's namespaces/,
        );
    });

    it("refuses writes in the node agents' privileged namespaces, which are Domino's but not its installer's", () => {
        assert.equal(as(obj("v1", "Pod", "x", namespaces.devicePlugin)).length, 1);
    });

    it("refuses a ClusterRole with a non-Domino name, and deleting another tenant's namespace", () => {
        assert.match(
            as(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "acme-admin"))[0],
            /ClusterRole acme-admin: a cluster-scoped object must be prefixed 'domino-'/,
        );
        assert.match(as(obj("v1", "Namespace", "acme"), "DELETE")[0], /may not DELETE Namespace acme/);
    });

    it("admits Domino's prefixed cluster-scoped objects, the operator chart's own, and CRDs and objects of Domino's API groups", () => {
        assert.deepEqual(as(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "domino-nucleus")), []);
        assert.deepEqual(as(obj("scheduling.k8s.io/v1", "PriorityClass", "domino-operator")), []);
        assert.deepEqual(as(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "platform-operator-reconciler-role"), "UPDATE"), []);
        const crd = (name: string, group: string) => obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", name, undefined, { spec: { group } });
        assert.deepEqual(as(crd("sparkclusters.sparkoperator.dominodatalab.com", "sparkoperator.dominodatalab.com")), []);
        assert.equal(as(crd("widgets.example.com", "example.com")).length, 1);
    });

    it("matches the operator's account only, so other tenants and Domino's other accounts are never judged by it", () => {
        const condition = operatorAccountsCondition([operator]);
        const by = (username: string) => evaluate(condition, { request: { userInfo: { username } } });
        assert.equal(by(operator), true);
        assert.equal(by("system:serviceaccount:domino-platform:nucleus"), false);
        assert.equal(by("system:serviceaccount:acme:platform-operator"), false);
    });
});
