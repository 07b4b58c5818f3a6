// A cluster the program creates has somewhere for its own system workloads to run. In
// dedicated isolation every Domino pool is tainted, and neither CoreDNS (EKS) nor
// kube-dns (GKE) nor the CSI controllers tolerate Domino's taints: without an untainted
// pool a created cluster has no DNS. The system pool carries no Domino label and no
// taint, has a fixed size, and exists only where the program creates the cluster.

import { strict as assert } from "assert";
import { systemPoolLabel } from "@domino-tenancy/core";
import { Plan, PlanResource, runPlan } from "../../plan/engine";
import { baseTenancy, configIssuesOf, ofType, testSecrets, withPatch } from "../helpers/plan";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const inputs = (r: PlanResource): Inputs => r.inputs as Inputs;
const nodeGroups = (p: Plan) => ofType(p, "aws:eks/nodeGroup:NodeGroup");
const gkePools = (p: Plan) => ofType(p, "gcp:container/nodePool:NodePool");
const isSystem = (labels: Record<string, string> | undefined) => labels?.[systemPoolLabel.key] === systemPoolLabel.value;
const hasDominoLabel = (labels: Record<string, string> | undefined) => Object.keys(labels ?? {}).some((k) => k.startsWith("dominodatalab.com/"));

async function variant(cloud: "aws" | "gcp", patch: Record<string, unknown>): Promise<Plan> {
    return runPlan({ inline: { stack: `system-${cloud}`, tenancy: JSON.parse(JSON.stringify(withPatch(baseTenancy(cloud), patch))), secrets: testSecrets } });
}

const issuesOf = configIssuesOf;

describe("the created cluster's own system pool", function () {
    this.timeout(120000);

    it("gives a created GKE cluster in dedicated isolation (prod-gcp) one untainted pool without Domino's labels, beside its tainted Domino pools", async () => {
        const p = await runPlan({ stack: "prod-gcp", env: {} });
        const pools = gkePools(p);
        const system = pools.filter((x) => isSystem(inputs(x).nodeConfig.labels));
        assert.equal(system.length, 1);
        const s = inputs(system[0]);
        assert.equal(s.name, "system");
        assert.equal(s.nodeCount, 2);
        assert.equal(s.autoscaling, undefined, "a fixed size");
        assert.deepEqual(s.nodeConfig.taints ?? [], []);
        assert.equal(hasDominoLabel(s.nodeConfig.labels), false);
        for (const pool of pools.filter((x) => x !== system[0]))
            assert.ok((inputs(pool).nodeConfig.taints ?? []).length > 0, `${pool.name}: every Domino pool is tainted, so only the system pool takes DNS`);
    });

    it("gives a created EKS cluster in dedicated isolation an untainted node group of fixed size, which the CSI controllers wait for", async () => {
        const p = await variant("aws", { isolation: "dedicated" });
        const [system, ...more] = nodeGroups(p).filter((g) => isSystem(inputs(g).labels));
        assert.equal(more.length, 0);
        const g = inputs(system);
        assert.equal(g.nodeGroupName, "test-system");
        assert.deepEqual(g.scalingConfig, { minSize: 2, maxSize: 2, desiredSize: 2 });
        assert.deepEqual(g.taints ?? [], []);
        assert.equal(hasDominoLabel(g.labels), false);
        assert.equal(g.amiType, "AL2023_x86_64_STANDARD");
        const ebs = ofType(p, "aws:eks/addon:Addon").find((a) => inputs(a).addonName === "aws-ebs-csi-driver")!;
        assert.ok(ebs.options.dependsOn.includes(system.urn), "the EBS controller may start before any node it tolerates exists");
    });

    it("makes none in shared isolation unless asked, and takes the machine type and size it is given", async () => {
        const shared = await variant("aws", { isolation: "shared" });
        assert.equal(nodeGroups(shared).filter((g) => isSystem(inputs(g).labels)).length, 0);
        const asked = await variant("gcp", { isolation: "shared", cluster: { systemPool: { machineType: "e2-standard-2", nodes: 3 } } });
        const [system] = gkePools(asked).filter((x) => isSystem(inputs(x).nodeConfig.labels));
        assert.equal(inputs(system).nodeConfig.machineType, "e2-standard-2");
        assert.equal(inputs(system).nodeCount, 3);
    });

    it("makes none on an adopted cluster, and refuses the setting there rather than ignoring it", async () => {
        const adopted = await variant("gcp", { isolation: "dedicated", cluster: { mode: "adopt" } });
        assert.equal(gkePools(adopted).filter((x) => isSystem(inputs(x).nodeConfig.labels)).length, 0);
        const adopt = issuesOf(withPatch(baseTenancy("aws"), { cluster: { mode: "adopt", systemPool: { nodes: 2 } } }));
        assert.ok(
            adopt.some((i) => i.path === "tenancy.cluster.systemPool" && /mode create/.test(i.message)),
            JSON.stringify(adopt),
        );
        const existing = issuesOf(withPatch(baseTenancy("existing"), { cluster: { systemPool: {} } }));
        assert.ok(
            existing.some((i) => i.path === "tenancy.cluster.systemPool" && /not used with cloud 'existing'/.test(i.message)),
            JSON.stringify(existing),
        );
        const zero = issuesOf(withPatch(baseTenancy("gcp"), { cluster: { systemPool: { nodes: 0 } } }));
        assert.ok(
            zero.some((i) => i.path === "tenancy.cluster.systemPool.nodes" && /at least 1/.test(i.message)),
            JSON.stringify(zero),
        );
    });
});
