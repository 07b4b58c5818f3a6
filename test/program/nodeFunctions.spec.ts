// One owner per node-level function, judged from what a plan actually holds (Domino's
// switches in the generated config, the program's DaemonSets and node config), over
// the five shipped stacks and a table of configs. Cluster-wide functions: clusterFunctions.spec.ts.

import { strict as assert } from "assert";
import { buildModel } from "../../components/model/model";
import { readStackConfig, runProgram, stackFile, type Plan } from "../../plan/engine";
import { observedOwner, observeNodeFunctions } from "../../plan/nodeFunctionOwners";
import { checkOwner, defaultOwners, type NodeFunction, type NodeFunctionOwner, nodeFunctions, nodeFunctionSpecs } from "@domino-tenancy/core";
import { baseTenancy, withPatch, testSecrets } from "../helpers/plan";
import { editDominoConfig, shippedPlan } from "../helpers/policyPlans";

const stacks = ["local", "byo", "dev-aws", "prod-aws", "prod-gcp"] as const;

function ownersOfStack(stack: string): Record<NodeFunction, NodeFunctionOwner> {
    const { config } = readStackConfig(stackFile(stack), "domino-tenancy");
    const model = buildModel(JSON.parse(config["domino-tenancy:tenancy"]), stack);
    return Object.fromEntries(nodeFunctions.map((fn) => [fn, model.nodeFunctions[fn].owner])) as Record<NodeFunction, NodeFunctionOwner>;
}

/** Every function has at most one doer in the plan, and it is the owner the config chose. */
function assertOneOwnerEach(plan: Plan, expected: Record<NodeFunction, NodeFunctionOwner>, label: string): void {
    const seen = observeNodeFunctions(plan);
    assert.ok(seen.dominoConfigFound, `${label}: the plan holds no generated Domino config`);
    assert.deepEqual(seen.unownedDaemonSets, [], `${label}: DaemonSets that do no node function`);
    for (const f of seen.functions) {
        assert.ok(f.doers.length <= 1, `${label}: ${f.fn} has two owners: ${f.doers.map((d) => `${d.owner} (${d.evidence})`).join(", ")}`);
        assert.equal(observedOwner(f), expected[f.fn], `${label}: ${f.fn}`);
    }
}

describe("node functions: one owner each", function () {
    this.timeout(120000);

    describe("over the shipped stacks", () => {
        for (const stack of stacks) {
            it(`gives every node function of the ${stack} stack exactly the owner its config names, and no second one`, async () => {
                assertOneOwnerEach(await shippedPlan(stack), ownersOfStack(stack), stack);
            });
        }

        it("leaves the device plugin, the sysctl and registry certificates to the byo stack's admins, with Domino's switched off", async () => {
            const owners = ownersOfStack("byo");
            assert.deepEqual([owners.gpuDevicePlugin, owners.sysctl, owners.registryCertificates], ["cluster", "cluster", "cluster"]);
            const seen = observeNodeFunctions(await shippedPlan("byo"));
            assert.deepEqual(seen.functions.find((f) => f.fn === "gpuDevicePlugin")?.doers, []);
        });
    });

    describe("over a table of configs", () => {
        const table: {
            title: string;
            cloud: "aws" | "gcp" | "existing";
            nodeFunctions: Partial<Record<NodeFunction, NodeFunctionOwner>>;
            maxMapCount?: number;
        }[] = [
            { title: "EKS defaults", cloud: "aws", nodeFunctions: {} },
            { title: "EKS asking for a larger max_map_count than AL2023 ships", cloud: "aws", nodeFunctions: {}, maxMapCount: 1048576 },
            { title: "GKE defaults", cloud: "gcp", nodeFunctions: {} },
            { title: "an adopted cluster's defaults", cloud: "existing", nodeFunctions: {} },
            { title: "Domino's own device plugin on EKS", cloud: "aws", nodeFunctions: { gpuDevicePlugin: "domino" } },
            { title: "the program's device plugin on GKE", cloud: "gcp", nodeFunctions: { gpuDevicePlugin: "program", sysctl: "cluster" } },
            {
                title: "everything the cluster's admins can take",
                cloud: "existing",
                nodeFunctions: {
                    nodeMetrics: "cluster",
                    imageCache: "cluster",
                    registryCertificates: "cluster",
                    gpuDevicePlugin: "cluster",
                    sysctl: "cluster",
                },
            },
        ];
        for (const c of table) {
            it(`gives every node function one owner: ${c.title}`, async () => {
                const tenancy = withPatch(baseTenancy(c.cloud), {
                    nodeFunctions: c.nodeFunctions,
                    ...(c.maxMapCount ? { plumbing: { maxMapCount: c.maxMapCount } } : {}),
                });
                const model = buildModel(tenancy, "t");
                const expected = Object.fromEntries(nodeFunctions.map((fn) => [fn, model.nodeFunctions[fn].owner])) as Record<NodeFunction, NodeFunctionOwner>;
                for (const [fn, owner] of Object.entries(c.nodeFunctions))
                    assert.equal(expected[fn as NodeFunction], owner, `the stack's choice wins for ${fn}`);
                const { plan } = await runProgram({
                    inline: { stack: `owners-${c.cloud}`, tenancy: JSON.parse(JSON.stringify(tenancy)), secrets: testSecrets },
                });
                assertOneOwnerEach(plan, expected, c.title);
            });
        }
    });

    it("sees two owners when Domino's switch is on beside the program's own agent", async () => {
        // The guard itself: the local plan with Domino's gpu.enabled flipped on next to the program's device plugin.
        const plan = await shippedPlan("local");
        editDominoConfig(plan, "domino", (c) => ((c.gpu as { enabled: boolean }).enabled = true));
        const gpu = observeNodeFunctions(plan).functions.find((f) => f.fn === "gpuDevicePlugin")!;
        assert.equal(observedOwner(gpu), "two owners");
        assert.deepEqual(gpu.doers.map((d) => d.owner).sort(), ["domino", "program"]);
    });

    it("flags a DaemonSet that does no node function, so a stand-in cannot come back unnoticed", async () => {
        const plan = await shippedPlan("local");
        const ds = plan.resources.find((r) => (r.inputs as { kind?: string }).kind === "DaemonSet")!;
        plan.resources.push({ ...ds, urn: `${ds.urn}-copy`, inputs: { ...ds.inputs, metadata: { name: "fluentd", namespace: "domino-platform" } } });
        assert.deepEqual(observeNodeFunctions(plan).unownedDaemonSets, ["domino-platform/fluentd"]);
    });
});

describe("node function owners and defaults (core)", () => {
    it("allows domino only where Domino's config has a switch, and program only where the program has an agent", () => {
        for (const fn of nodeFunctions) {
            const spec = nodeFunctionSpecs[fn];
            assert.equal(spec.allowed.includes("domino"), spec.dominoKey !== undefined || fn === "logs", fn);
        }
        assert.deepEqual(
            nodeFunctions.filter((fn) => nodeFunctionSpecs[fn].allowed.includes("program")),
            ["gpuDevicePlugin", "sysctl"],
        );
        assert.match(checkOwner("logs", "cluster") ?? "", /allowed: domino$/);
        assert.equal(checkOwner("gpuDevicePlugin", "domino"), undefined);
    });

    it("defaults the device plugin to the cloud's on GKE and to the program elsewhere, and the sysctl to the node image where it suffices", () => {
        const gke = defaultOwners({ cloud: "gcp", cloudRunsDevicePlugin: true, nodesSetMaxMapCount: false });
        const eks = defaultOwners({ cloud: "aws", cloudRunsDevicePlugin: false, nodesSetMaxMapCount: true });
        assert.deepEqual([gke.gpuDevicePlugin.owner, gke.sysctl.owner], ["cluster", "program"]);
        assert.deepEqual([eks.gpuDevicePlugin.owner, eks.sysctl.owner], ["program", "cluster"]);
        for (const fn of ["logs", "nodeMetrics", "imageCache", "registryCertificates"] as const) assert.equal(gke[fn].owner, "domino", fn);
    });
});
