// Providers handed in through options are the ones used: an injected Kubernetes
// provider by every Kubernetes object of the program, an injected GCP provider by every
// GCP resource and read of a GKE cluster. Without one, GCP gets an explicit provider of
// its own (never the ambient default), and a Kubernetes component refuses to register.
// Each registration's provider reference is read where the runtime hands it to the mocks.

import { strict as assert } from "assert";
import * as gcp from "../../components/cloud/sdk/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { componentArgs, deploy, DeployOptions, loadInputs } from "../../components/program";
import { DominoTenancy } from "../../components/tenancy/dominoTenancy";
import { buildModel } from "../../components/model/model";
import { projectName, readStackConfig, repoRoot, stackFile } from "../../plan/engine";
import { planMocks } from "../../plan/mocks";
import { readUrnSnapshot, urnSnapshotFile } from "../../plan/urnSnapshot";
import { baseTenancy, withPatch, testSecrets } from "../helpers/plan";

// Internal to the SDK, as in plan/engine.ts: the wait for in-flight registrations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

interface Registered {
    readonly type: string;
    readonly name: string;
    /** "<provider urn>::<provider id>", or "" when the runtime sent none. */
    readonly provider: string;
    readonly call?: boolean;
}

/** Runs the program for a stack config under the plan's mocks, recording each registration's and call's provider reference. */
async function registrations(stack: string, config: Record<string, string>, providers: () => DeployOptions["providers"]): Promise<Registered[]> {
    const seen: Registered[] = [];
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            seen.push({ type: args.type, name: args.name, provider: args.provider ?? "" });
            return planMocks.newResource(args);
        },
        call(args) {
            seen.push({ type: args.token, name: "", provider: args.provider ?? "", call: true });
            return planMocks.call(args);
        },
    };
    await pulumi.runtime.setMocks(mocks, projectName(), stack, false);
    pulumi.runtime.setAllConfig(config, []);
    const inputs = loadInputs({}, repoRoot);
    await pulumi.runtime.runInPulumiStack(async () => deploy(inputs, { providers: providers() }));
    await waitForRPCs();
    return seen;
}

const providerUrn = (ref: string) => ref.split("::").slice(0, -1).join("::");
const isKubernetes = (r: Registered) => r.type.startsWith("kubernetes:");
const isGcp = (r: Registered) => r.type.startsWith("gcp:");

describe("providers passed through options", function () {
    this.timeout(120000);

    describe("an injected Kubernetes provider", () => {
        let seen: Registered[];
        before(async () => {
            seen = await registrations("local", readStackConfig(stackFile("local"), projectName()).config, () => ({
                kubernetes: new k8s.Provider("injected", { kubeconfig: "injected" }),
            }));
        });

        it("is the provider of every Kubernetes object the program registers", () => {
            const objects = seen.filter(isKubernetes);
            // As many as the local stack's URN snapshot lists, so the loop below cannot pass on a short run.
            const typeOf = (urn: string) => urn.split("::")[2].split("$").pop() ?? "";
            const snapshot = readUrnSnapshot(urnSnapshotFile("local")) ?? [];
            assert.equal(objects.length, snapshot.filter((urn) => typeOf(urn).startsWith("kubernetes:")).length);
            assert.ok(objects.length > 0);
            for (const r of objects) assert.match(providerUrn(r.provider), /[:$]pulumi:providers:kubernetes::injected$/, `${r.type} ${r.name}`);
        });

        it("replaces the program's own provider rather than adding a second one", () => {
            assert.deepEqual(
                seen.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => r.name),
                ["injected"],
            );
        });
    });

    describe("GCP", () => {
        const prodGcp = () => readStackConfig(stackFile("prod-gcp"), projectName()).config;
        const adoptGcp = () => ({
            [`${projectName()}:tenancy`]: JSON.stringify(withPatch(baseTenancy("gcp"), { cluster: { mode: "adopt" } })),
            [`${projectName()}:registryPassword`]: testSecrets.registryPassword,
        });

        it("uses an injected provider for every GCP resource of a created cluster, and builds none of its own", async () => {
            const seen = await registrations("prod-gcp", prodGcp(), () => ({ gcp: new gcp.Provider("injected-gcp", { project: "other" }) }));
            const resources = seen.filter(isGcp);
            assert.equal(resources.length, 5, "the cluster, three node pools and the system pool");
            for (const r of resources) assert.match(providerUrn(r.provider), /[:$]pulumi:providers:gcp::injected-gcp$/, `${r.type} ${r.name}`);
            assert.deepEqual(
                seen.filter((r) => r.type === "pulumi:providers:gcp").map((r) => r.name),
                ["injected-gcp"],
            );
        });

        it("reads an adopted cluster through the injected provider", async () => {
            const seen = await registrations("adopt-gcp", adoptGcp(), () => ({ gcp: new gcp.Provider("injected-gcp", {}) }));
            const reads = seen.filter((r) => r.call && r.type === "gcp:container/getCluster:getCluster");
            assert.equal(reads.length, 1);
            assert.match(providerUrn(reads[0].provider), /[:$]pulumi:providers:gcp::injected-gcp$/);
            for (const r of seen.filter(isGcp)) assert.match(providerUrn(r.provider), /[:$]pulumi:providers:gcp::injected-gcp$/, `${r.type} ${r.name}`);
        });

        it("without one, builds an explicit provider from the stack's project and region, never the ambient default", async () => {
            const seen = await registrations("prod-gcp", prodGcp(), () => ({}));
            for (const r of seen.filter(isGcp)) {
                assert.match(providerUrn(r.provider), /GkeCluster\$pulumi:providers:gcp::cluster-gcp$/, `${r.type} ${r.name}`);
                assert.doesNotMatch(r.provider, /pulumi:providers:gcp::default/);
            }
        });
    });

    it("refuses to register a Kubernetes component that was given no Kubernetes provider", async () => {
        await pulumi.runtime.setMocks(planMocks, projectName(), "noprovider", false);
        const args = componentArgs(buildModel(baseTenancy("existing"), "t"));
        assert.throws(() => new DominoTenancy("domino", args.tenancy), /needs a Kubernetes provider in its options/);
        // A provider of another package is not a Kubernetes provider.
        assert.throws(() => new DominoTenancy("domino2", args.tenancy, { provider: new gcp.Provider("g", {}) }), /needs a Kubernetes provider/);
    });
});
