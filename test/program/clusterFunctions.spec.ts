// One owner per cluster-wide function Domino's config can install itself (the cluster
// autoscaler, metrics-server, Domino's StorageClasses, certificate management): the
// defaults per shipped stack, the generated config's switches per owner, what a plan
// shows, and the created EFS file system named in Domino's config.

import { strict as assert } from "assert";
import * as yaml from "js-yaml";
import { buildModel, type DeploymentModel } from "../../components/model/model";
import { buildDominoYml, certificateManagementKey } from "../../components/kubernetes/installer";
import { reviewableConfigAnnotation } from "../../components/kubernetes/dominoResource";
import { componentArgs } from "../../components/program";
import { readStackConfig, runProgram, stackFile, type Plan } from "../../plan/engine";
import { observeClusterFunctions, observedClusterOwner } from "../../plan/clusterFunctionOwners";
import {
    allowedClusterOwners,
    type ClusterFunction,
    type ClusterFunctionFacts,
    type ClusterFunctionOwner,
    clusterFunctions,
    defaultClusterOwners,
    dominoClusterSwitches,
} from "@domino-tenancy/core";
import { baseTenancy, testSecrets, withPatch } from "../helpers/plan";
import { editDominoConfig, manifest, shippedPlan } from "../helpers/policyPlans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function modelOfStack(stack: string): DeploymentModel {
    const { config } = readStackConfig(stackFile(stack), "domino-tenancy");
    return buildModel(JSON.parse(config["domino-tenancy:tenancy"]), stack);
}

const ownersOf = (model: DeploymentModel) =>
    Object.fromEntries(clusterFunctions.map((fn) => [fn, model.clusterFunctions[fn].owner])) as Record<ClusterFunction, ClusterFunctionOwner>;

/** The generated config as the plan's `Domino` resource shows it (password masked). */
function dominoConfigOf(plan: Plan, name: string): Obj {
    const annotations = (manifest(plan, "Domino", name).metadata as { annotations: Record<string, string> }).annotations;
    return yaml.load(annotations[reviewableConfigAnnotation]) as Obj;
}

/** Domino's keys for the cluster functions, from a model with some owners changed. */
function switchesFor(cloud: "aws" | "gcp" | "existing", clusterFunctionsPatch: Record<string, string>, extra: Record<string, unknown> = {}): Obj {
    const model = buildModel(withPatch(baseTenancy(cloud), { clusterFunctions: clusterFunctionsPatch, ...extra }), "t");
    return buildDominoYml(componentArgs(model).installer) as Obj;
}

describe("cluster functions: one owner each", function () {
    this.timeout(120000);

    describe("defaults per shipped stack", () => {
        const expected: Record<string, Record<ClusterFunction, ClusterFunctionOwner>> = {
            // Adopted clusters: their admins scale pools and run metrics-server.
            local: { clusterAutoscaler: "cluster", metricsServer: "cluster", storageClasses: "program", certificateManagement: "domino" },
            byo: { clusterAutoscaler: "cluster", metricsServer: "cluster", storageClasses: "program", certificateManagement: "cluster" },
            // The EKS cluster dev-aws creates has pools that scale: the program runs the autoscaler.
            "dev-aws": { clusterAutoscaler: "program", metricsServer: "cluster", storageClasses: "program", certificateManagement: "domino" },
            // prod-aws adopts its EKS cluster, whose admins scale it.
            "prod-aws": { clusterAutoscaler: "cluster", metricsServer: "cluster", storageClasses: "program", certificateManagement: "domino" },
            // GKE scales its pools and runs metrics-server itself.
            "prod-gcp": { clusterAutoscaler: "cluster", metricsServer: "cluster", storageClasses: "program", certificateManagement: "domino" },
        };
        for (const [stack, owners] of Object.entries(expected)) {
            it(`gives the ${stack} stack the owners its cloud and cluster call for`, () => {
                assert.deepEqual(ownersOf(modelOfStack(stack)), owners);
            });

            it(`shows in the ${stack} plan exactly the owner its config names for each cluster function, and no second one`, async () => {
                const seen = observeClusterFunctions(await shippedPlan(stack));
                assert.ok(seen.dominoConfigFound, stack);
                for (const f of seen.functions) {
                    assert.ok(f.doers.length <= 1, `${stack}: ${f.fn} has two owners: ${f.doers.map((d) => d.evidence).join(", ")}`);
                    assert.equal(observedClusterOwner(f), owners[f.fn], `${stack}: ${f.fn}`);
                }
            });
        }

        it("gives the reason of each default, naming the cloud", () => {
            const gke = modelOfStack("prod-gcp").clusterFunctions;
            assert.match(gke.clusterAutoscaler.reason, /^gcp: GKE scales its node pools itself$/);
            assert.match(gke.metricsServer.reason, /^gcp: GKE runs metrics-server on every cluster; one metrics.k8s.io API per cluster$/);
            assert.match(
                modelOfStack("dev-aws").clusterFunctions.metricsServer.reason,
                /EKS runs none by default; the cluster's owner adds EKS's metrics-server add-on/,
            );
        });
    });

    describe("Domino's switch follows the owner", () => {
        it("turns Domino's cluster-autoscaler off wherever the program or the cluster scales the pools", () => {
            assert.deepEqual(switchesFor("aws", {}).release_overrides, { "cluster-autoscaler": { installed: false } });
            assert.deepEqual(switchesFor("aws", { clusterAutoscaler: "cluster" }).release_overrides, { "cluster-autoscaler": { installed: false } });
            assert.deepEqual(switchesFor("gcp", {}).release_overrides, { "cluster-autoscaler": { installed: false } });
        });

        it("leaves Domino's cluster-autoscaler on (no release override) where Domino owns it", () => {
            const y = switchesFor("existing", { clusterAutoscaler: "domino" });
            assert.equal("release_overrides" in y, false);
        });

        it("installs Domino's metrics-server only where Domino owns it", () => {
            assert.deepEqual(switchesFor("existing", {}).metrics_server, { install: false });
            assert.deepEqual(switchesFor("existing", { metricsServer: "domino" }, { domino: { admission: { enabled: false } } }).metrics_server, {
                install: true,
            });
        });

        it("writes one certificate_management switch under the version's name, on exactly where Domino owns certificates", () => {
            assert.deepEqual(switchesFor("existing", {}).certificate_management, { install: true });
            const agentsOff = buildDominoYml(
                componentArgs(buildModel(withPatch(baseTenancy("existing"), { nodeFunctions: { registryCertificates: "cluster" } }), "t")).installer,
            ) as Obj;
            assert.deepEqual(agentsOff.certificate_management, { install: false }, "the cluster function follows the node function");
            const older = buildDominoYml({ ...componentArgs(buildModel(baseTenancy("existing"), "t")).installer, version: "5.11.1" }) as Obj;
            assert.deepEqual(older.certificate_management, { enabled: true }, "before 6.2 the switch is named enabled");
            assert.equal(certificateManagementKey("6.1.4"), "enabled");
            assert.equal(certificateManagementKey("6.2.0"), "install");
            assert.equal(certificateManagementKey("7.0.0"), "install");
        });

        it("never lets Domino create the StorageClasses the program creates", () => {
            for (const cloud of ["aws", "gcp", "existing"] as const) {
                const y = switchesFor(cloud, {});
                assert.deepEqual([y.storage_classes.block.create, y.storage_classes.shared.create], [false, false], cloud);
            }
            // The builder follows the switch itself: the model refuses domino for now (see configErrors.spec).
            const model = buildModel(baseTenancy("existing"), "t");
            const domino = dominoClusterSwitches({ ...model.clusterFunctions, storageClasses: { owner: "domino", reason: "test" } });
            const y = buildDominoYml({ ...componentArgs(model).installer, dominoClusterFunctions: domino }) as Obj;
            assert.deepEqual([y.storage_classes.block.create, y.storage_classes.shared.create], [true, true]);
        });

        it("does not run the program's cluster-autoscaler on a created EKS cluster whose admins own autoscaling", async () => {
            const tenancy = withPatch(baseTenancy("aws"), { clusterFunctions: { clusterAutoscaler: "cluster" } });
            const { plan } = await runProgram({ inline: { stack: "cf-aws-cluster", tenancy: JSON.parse(JSON.stringify(tenancy)), secrets: testSecrets } });
            const seen = observeClusterFunctions(plan).functions.find((f) => f.fn === "clusterAutoscaler")!;
            assert.deepEqual(seen.doers, []);
            assert.equal(observedClusterOwner(seen), "cluster");
            const withProgram = observeClusterFunctions(
                (await runProgram({ inline: { stack: "cf-aws", tenancy: baseTenancy("aws"), secrets: testSecrets } })).plan,
            );
            assert.equal(observedClusterOwner(withProgram.functions.find((f) => f.fn === "clusterAutoscaler")!), "program");
        });
    });

    describe("the EFS file system the program creates", () => {
        it("is named in dev-aws's Domino config: the created file system's id and the cluster's region", async () => {
            const plan = await shippedPlan("dev-aws");
            const model = modelOfStack("dev-aws");
            const config = dominoConfigOf(plan, model.name);
            const [fs] = plan.resources.filter((r) => r.type === "aws:efs/fileSystem:FileSystem");
            assert.ok(fs, "dev-aws creates an EFS file system");
            // The mocks give a created resource the id `<name>-id`.
            assert.deepEqual(config.storage_classes.shared.efs, {
                filesystem_id: `${fs.name}-id`,
                region: model.cluster.cloud === "aws" ? model.cluster.region : "",
            });
            assert.equal(config.storage_classes.shared.type, "efs");
            assert.equal(config.storage_classes.shared.create, false);
        });

        it("is absent where the stack brings its own file system (prod-aws) or the class is not EFS (prod-gcp)", async () => {
            for (const stack of ["prod-aws", "prod-gcp"]) {
                const config = dominoConfigOf(await shippedPlan(stack), modelOfStack(stack).name);
                assert.equal("efs" in config.storage_classes.shared, false, stack);
            }
        });
    });

    it("sees two owners when Domino's cluster-autoscaler is switched on beside the program's", async () => {
        const plan = await shippedPlan("dev-aws");
        editDominoConfig(plan, modelOfStack("dev-aws").name, (c) => delete c.release_overrides);
        const autoscaler = observeClusterFunctions(plan).functions.find((f) => f.fn === "clusterAutoscaler")!;
        assert.equal(observedClusterOwner(autoscaler), "two owners");
        assert.deepEqual(autoscaler.doers.map((d) => d.owner).sort(), ["domino", "program"]);
    });
});

describe("cluster function owners and defaults (core)", () => {
    const facts = (programRunsAutoscaler: boolean): ClusterFunctionFacts => ({
        cloud: "aws",
        programRunsAutoscaler,
        autoscalerElsewhere: "the admins",
        metricsServerBy: "the admins",
    });

    it("allows Domino's cluster-autoscaler only where the program runs none, and the program's only where it runs one", () => {
        assert.deepEqual(allowedClusterOwners("clusterAutoscaler", facts(true)).allowed, ["program", "cluster"]);
        assert.deepEqual(allowedClusterOwners("clusterAutoscaler", facts(false)).allowed, ["domino", "cluster"]);
    });

    it("never allows the program for functions it has no copy of, and only the program for the StorageClasses it creates", () => {
        for (const fn of ["metricsServer", "certificateManagement"] as const)
            assert.deepEqual(allowedClusterOwners(fn, facts(true)).allowed, ["domino", "cluster"], fn);
        assert.deepEqual(allowedClusterOwners("storageClasses", facts(false)).allowed, ["program"]);
    });

    it("defaults every function to an owner it allows", () => {
        for (const runs of [true, false]) {
            const defaults = defaultClusterOwners(facts(runs));
            for (const fn of clusterFunctions)
                assert.ok(allowedClusterOwners(fn, facts(runs)).allowed.includes(defaults[fn].owner), `${fn} (program runs one: ${runs})`);
        }
    });
});
