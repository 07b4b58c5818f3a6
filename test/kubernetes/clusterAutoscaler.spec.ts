// The cluster autoscaler's manifests for the acme fixture, without mocks: a Domino
// namespace of its own (never kube-system), prefixed cluster-scoped RBAC that the
// pack's least-privilege rule accepts, and one constrained pod on the platform pool.

import { strict as assert } from "assert";
import { buildClusterAutoscaler, type ClusterAutoscalerArgs } from "../../components/kubernetes/clusterAutoscaler";
import type { Manifest } from "../../components/kubernetes/manifest";
import { roleProblems } from "../../policy/rules/rbac-least-privilege/rule";
import { acmeModel } from "../helpers/acmeModel";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const model = acmeModel();
const args: ClusterAutoscalerArgs = {
    deploymentName: model.name,
    namespace: "acme-autoscaler",
    serviceAccountName: "cluster-autoscaler",
    image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1",
    cloudArgs: ["--cloud-provider=aws"],
    env: { AWS_REGION: "us-west-2" },
    pools: model.cluster.pools,
};
const manifests = buildClusterAutoscaler(args);
const one = (kind: string): Obj => {
    const found = manifests.filter((m: Manifest) => m.kind === kind);
    assert.equal(found.length, 1, kind);
    return found[0] as Obj;
};

describe("buildClusterAutoscaler()", () => {
    it("puts every namespaced object in its own Domino namespace, restricted, never a shared one", () => {
        const ns = one("Namespace");
        assert.equal(ns.metadata.name, "acme-autoscaler");
        assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(ns.metadata.labels["domino-tenancy/deployment"], "acme");
        for (const m of manifests)
            if (m.metadata.namespace !== undefined) assert.equal(m.metadata.namespace, "acme-autoscaler", `${m.kind} ${m.metadata.name}`);
    });

    it("prefixes its cluster-scoped names and grants no wildcard, escalation or secret", () => {
        assert.equal(one("ClusterRole").metadata.name, "acme-cluster-autoscaler");
        assert.equal(one("ClusterRoleBinding").roleRef.name, "acme-cluster-autoscaler");
        for (const kind of ["ClusterRole", "Role"]) {
            assert.deepEqual(roleProblems(one(kind).rules), [], kind);
            assert.ok(!one(kind).rules.some((r: Obj) => r.resources.includes("secrets")), kind);
        }
        // Its status and lease live in its own namespace: the Role, not the ClusterRole, names them.
        assert.ok(!one("ClusterRole").rules.some((r: Obj) => r.resources.includes("leases") || r.resources.includes("configmaps")));
    });

    it("runs one pinned, constrained container with the cloud's flags on the platform pool, as its service account", () => {
        const spec = one("Deployment").spec.template.spec;
        assert.equal(spec.serviceAccountName, "cluster-autoscaler");
        assert.equal(spec.nodeSelector["dominodatalab.com/node-pool"], "platform");
        // acme is dedicated: the platform pool's taint is tolerated.
        assert.ok(spec.tolerations.some((t: Obj) => t.key === model.dedicatedTaint?.key));
        const [c] = spec.containers;
        assert.equal(c.image, args.image);
        assert.ok(c.args.includes("--cloud-provider=aws"));
        assert.deepEqual(c.env, [{ name: "AWS_REGION", value: "us-west-2" }]);
        assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    });
});
