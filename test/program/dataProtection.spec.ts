// Production data safety: which objects refuse deletion or stay in the cluster, read from
// the options each registration request really carried (the offline plan records
// protect and retainOnDelete from the request the SDK sends), the reclaim policy of data
// classes, and the rename guard that reads the stack's own last outputs.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { buildModel } from "../../components/model/model";
import { ConfigError } from "../../components/model/schema";
import { dataProtectionOf, protectionOptions } from "../../components/tenancy/dataProtection";
import type { Manifest } from "../../components/kubernetes/manifest";
import { Plan, PlanResource, runPlan } from "../../plan/engine";
import { baseTenancy, withPatch, testSecrets } from "../helpers/plan";

// Every stack with environment prod, by its deployment name: byo is production too (a shared prod cluster).
const prodStacks: Record<string, string> = { "prod-aws": "domino", "prod-gcp": "domino", byo: "analytics" };
const otherStacks = ["local", "dev-aws"];
const dataNamespacesOf = (name: string) => [`${name}-compute`, `${name}-platform`, `${name}-system`];
const dataKinds = ["Namespace", "StorageClass", "PersistentVolumeClaim", "PersistentVolume", "StatefulSet"];

const kindOf = (r: PlanResource): string | undefined => (r.type.startsWith("kubernetes:") ? r.type.split(":")[2] : undefined);
const kubernetes = (p: Plan): PlanResource[] => p.resources.filter((r) => r.custom && kindOf(r) !== undefined && !r.type.startsWith("pulumi:providers"));
const nameOf = (r: PlanResource): string => (r.inputs.metadata as { name: string }).name;

const namespace = (name: string): Manifest => ({ kind: "Namespace", metadata: { name } });
const storageClass: Manifest = { kind: "StorageClass", metadata: { name: "domino-disk" }, provisioner: "ebs.csi.aws.com" };
const modelWith = (patch: Record<string, unknown>) => buildModel(withPatch(baseTenancy("aws"), patch), "t");

describe("production data safety", function () {
    this.timeout(120000);
    const plans = new Map<string, Plan>();

    before(async () => {
        for (const stack of [...Object.keys(prodStacks), ...otherStacks]) plans.set(stack, await runPlan({ stack, env: {} }));
    });

    describe("the options each object is registered with", () => {
        for (const [stack, deployment] of Object.entries(prodStacks)) {
            it(`${stack}: Domino's platform, compute and system namespaces are registered with protect`, () => {
                const p = plans.get(stack)!;
                const protectedNamespaces = kubernetes(p)
                    .filter((r) => kindOf(r) === "Namespace" && r.options.protect)
                    .map(nameOf)
                    .sort();
                assert.deepEqual(protectedNamespaces, dataNamespacesOf(deployment));
            });

            it(`${stack}: every StorageClass is registered with retainOnDelete and reclaims its volumes with Retain`, () => {
                const classes = kubernetes(plans.get(stack)!).filter((r) => kindOf(r) === "StorageClass");
                assert.equal(classes.length, 2);
                for (const sc of classes) {
                    assert.equal(sc.options.retainOnDelete, true, `${sc.urn}: not retained on delete`);
                    assert.equal(sc.inputs.reclaimPolicy, "Retain", `${sc.urn}: reclaimPolicy ${String(sc.inputs.reclaimPolicy)}`);
                }
            });

            it(`${stack}: no object that can bear volumes (namespace of Domino's data, class, claim, volume, StatefulSet) is left unguarded`, () => {
                const p = plans.get(stack)!;
                const dataNamespaces = new Set(dataNamespacesOf(deployment));
                const unguarded = kubernetes(p)
                    .filter((r) => dataKinds.includes(kindOf(r)!) && (kindOf(r) !== "Namespace" || dataNamespaces.has(nameOf(r))))
                    .filter((r) => !r.options.protect && !r.options.retainOnDelete)
                    .map((r) => r.urn);
                assert.deepEqual(unguarded, []);
            });

            it(`${stack}: the plumbing namespaces (device plugin, autoscaler, node tuning) stay removable, so switching a plumbing option off still works`, () => {
                const guarded = kubernetes(plans.get(stack)!)
                    .filter((r) => kindOf(r) === "Namespace" && !dataNamespacesOf(deployment).includes(nameOf(r)))
                    .filter((r) => r.options.protect || r.options.retainOnDelete);
                assert.deepEqual(
                    guarded.map((r) => r.urn),
                    [],
                );
            });
        }

        for (const stack of otherStacks) {
            it(`${stack}: no Kubernetes object is protected or retained, and classes still reclaim with Delete (unchanged outside prod)`, () => {
                const k8s = kubernetes(plans.get(stack)!);
                assert.deepEqual(
                    k8s.filter((r) => r.options.protect || r.options.retainOnDelete).map((r) => r.urn),
                    [],
                );
                for (const sc of k8s.filter((r) => kindOf(r) === "StorageClass")) assert.equal(sc.inputs.reclaimPolicy, "Delete", sc.urn);
            });
        }
    });

    describe("the switch (tenancy.dataProtection)", () => {
        it("auto protects with environment prod and leaves dev and staging unguarded", () => {
            assert.equal(modelWith({ environment: "prod" }).dataProtection.mode, "protect");
            assert.equal(modelWith({ environment: "staging" }).dataProtection.mode, "off");
            assert.equal(modelWith({}).dataProtection.mode, "off");
        });

        it("an explicit mode wins over the environment", () => {
            assert.equal(modelWith({ environment: "prod", dataProtection: { mode: "retain" } }).dataProtection.mode, "retain");
            assert.equal(modelWith({ environment: "dev", dataProtection: { mode: "protect" } }).dataProtection.mode, "protect");
            assert.equal(modelWith({ environment: "prod", dataProtection: { mode: "off" } }).storageClasses.block.reclaimPolicy, "Delete");
        });

        it("refuses a Delete reclaim policy while data is protected, naming the path and what is allowed", () => {
            assert.throws(
                () => modelWith({ environment: "prod", domino: { storageClasses: { block: { reclaimPolicy: "Delete" } } } }),
                (err: unknown) =>
                    err instanceof ConfigError &&
                    err.issues.some(
                        (i) =>
                            i.path === "tenancy.domino.storageClasses.block.reclaimPolicy" &&
                            /allowed: Retain/.test(i.message) &&
                            /dataProtection\.mode: off/.test(i.message),
                    ),
            );
        });

        it("protect: data namespaces refuse deletion, classes stay in the cluster, other kinds and namespaces get nothing", () => {
            const policy = dataProtectionOf(modelWith({ dataProtection: { mode: "protect" } }));
            assert.deepEqual(protectionOptions(policy, namespace("domino-compute")), { protect: true });
            assert.deepEqual(protectionOptions(policy, storageClass), { retainOnDelete: true });
            assert.deepEqual(protectionOptions(policy, namespace("domino-node-tuning")), {});
            assert.deepEqual(protectionOptions(policy, { kind: "ConfigMap", metadata: { name: "x", namespace: "domino-compute" } }), {});
        });

        it("retain: data namespaces and classes stay in the cluster when they leave the stack, nothing refuses", () => {
            const policy = dataProtectionOf(modelWith({ dataProtection: { mode: "retain" } }));
            assert.deepEqual(protectionOptions(policy, namespace("domino-platform")), { retainOnDelete: true });
            assert.deepEqual(protectionOptions(policy, storageClass), { retainOnDelete: true });
        });

        it("off: nothing is protected or retained", () => {
            const policy = dataProtectionOf(modelWith({ dataProtection: { mode: "off" } }));
            assert.deepEqual(protectionOptions(policy, namespace("domino-platform")), {});
            assert.deepEqual(protectionOptions(policy, storageClass), {});
        });
    });

    describe("the rename guard", () => {
        const deployedAs = (name: string) => ({
            deploymentName: name,
            namespaces: { platform: `${name}-platform`, compute: `${name}-compute`, system: `${name}-system` },
            storageClasses: { block: `${name}-disk`, shared: `${name}-shared` },
        });
        const refusal = async (source: Parameters<typeof runPlan>[0]): Promise<Error> => {
            try {
                await runPlan(source);
            } catch (err) {
                return err as Error;
            }
            assert.fail("the plan went ahead");
        };

        it("fails a prod stack whose last outputs name another deployment, with a RunError that says what would be deleted and how to move on purpose", async () => {
            const err = await refusal({ stack: "prod-gcp", env: {}, previousOutputs: deployedAs("legacy") });
            assert.ok(pulumi.RunError.isInstance(err), `not a RunError (the CLI would print a stack trace): ${err.name}`);
            assert.match(err.message, /^tenancy\.domino\.name: is 'domino', but this stack last deployed Domino as 'legacy'/);
            for (const ns of dataNamespacesOf("legacy")) assert.match(err.message, new RegExp(`namespaces \\([^)]*${ns}`));
            assert.match(err.message, /legacy-disk, legacy-shared/);
            assert.match(err.message, /tenancy\.dataProtection\.renameFrom: legacy/);
            assert.match(err.message, /Nothing was changed/);
        });

        it("refuses a renameFrom that names another deployment than the one deployed", async () => {
            const tenancy = { ...baseTenancy("aws"), environment: "prod", dataProtection: { renameFrom: "other" } };
            const err = await refusal({ inline: { stack: "renamed", tenancy, secrets: testSecrets }, previousOutputs: deployedAs("legacy") });
            assert.match(err.message, /renameFrom is 'other', which does not acknowledge it: it must name 'legacy'/);
        });

        it("lets a rename acknowledged with renameFrom go ahead", async () => {
            const tenancy = { ...baseTenancy("aws"), environment: "prod", dataProtection: { renameFrom: "legacy" } };
            const p = await runPlan({ inline: { stack: "renamed", tenancy, secrets: testSecrets }, previousOutputs: deployedAs("legacy") });
            assert.ok(p.resources.length > 0);
        });

        it("lets a stack deployed under the same name, and a brand-new stack (no outputs), go ahead", async () => {
            assert.ok((await runPlan({ stack: "prod-aws", env: {}, previousOutputs: deployedAs("domino") })).resources.length > 0);
            assert.ok((await runPlan({ stack: "prod-aws", env: {}, previousOutputs: {} })).resources.length > 0);
        });

        it("does not guard a stack whose data is unprotected (dev, local): its behaviour is unchanged", async () => {
            assert.ok((await runPlan({ stack: "dev-aws", env: {}, previousOutputs: deployedAs("legacy") })).resources.length > 0);
        });
    });
});
