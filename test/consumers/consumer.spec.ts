// The example consumer (examples/consumer) against a mocked producer stack: what it
// deploys comes only from the exports contract, with its own scoped kubeconfig (never
// the admin one), and a producer it cannot read fails it with a message that says why
// and never shows a kubeconfig.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { exportsFromModel, StackExports } from "../../components/contract/exports";
import { buildModel } from "../../components/model/model";
import { readStackExports, StackExportsError } from "../../components/contract/reader";
import { deployConsumer } from "../../examples/consumer/program";
import { projectName, readStackConfig, stackFile } from "../../plan/engine";
import type { PodSpecLike } from "../helpers/plan";

const kubeconfigSecret = "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: kc-token-7f3a9c-never-print\n";
const secretMarker = "kc-token-7f3a9c";
const scopedKubeconfigSecret = "apiVersion: v1\nkind: Config\nusers:\n- name: feature-store\n  user:\n    token: sa-token-51d2e8-never-print\n";
const scopedMarker = "sa-token-51d2e8";
const consumer = "feature-store";

/** The contract a shipped stack would export, as the producer program builds it. */
function producerExports(stack: string): StackExports {
    const project = projectName();
    const tenancy = JSON.parse(readStackConfig(stackFile(stack), project).config[`${project}:tenancy`]) as unknown;
    const model = buildModel(tenancy, stack);
    return {
        ...exportsFromModel(model),
        clusterName: `${stack}-cluster`,
        adminKubeconfig: kubeconfigSecret,
        consumers: {
            [consumer]: {
                namespace: `${model.name}-${consumer}`,
                serviceAccount: `${consumer}-deployer`,
                kubeconfig: scopedKubeconfigSecret,
                tokenExpiresAt: "2026-12-30T05:00:00Z",
            },
        },
    };
}

/** A producer's outputs with edits applied (a value of undefined removes the output). */
function edited(base: StackExports, edit: (o: Record<string, unknown>) => void): Record<string, unknown> {
    const out = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    edit(out);
    return out;
}

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/**
 * Installs mocks in which the StackReference reads `outputs` (kubeconfig marked
 * secret, as the producer exports it). Called in each test, since other specs
 * install their own mocks in the same process.
 */
async function mockProducer(outputs: Record<string, unknown>): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
                if (args.type === "pulumi:pulumi:StackReference") {
                    return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs, secretOutputNames: ["adminKubeconfig", "consumers"] } };
                }
                // Echo inputs, plus the auto-generated name the provider would give.
                const metadata = (args.inputs.metadata ?? {}) as Record<string, unknown>;
                return { id: `${args.name}-id`, state: { ...args.inputs, metadata: { name: `${args.name}-x7k2p`, ...metadata } } };
            },
            call: (args) => args.inputs,
        },
        "domino-consumer",
        "test",
        false,
    );
    return registered;
}

/** Output.promise() is the SDK's own (untyped) way to await an output; tests only. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

function deploymentPod(registered: readonly Registered[]): { namespace: string; pod: PodSpecLike } {
    const deployments = registered.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
    assert.equal(deployments.length, 1, "the consumer registers one Deployment");
    const inputs = deployments[0].inputs as { metadata: { namespace: string }; spec: { template: { spec: PodSpecLike } } };
    return { namespace: inputs.metadata.namespace, pod: inputs.spec.template.spec };
}

/** What a Pulumi run would report: the program's unhandled rejections while `run` goes on, plus a settle time. */
async function unhandledDuring(run: () => Promise<unknown>): Promise<Error[]> {
    const seen: Error[] = [];
    const listener = (reason: unknown): void => {
        if (reason instanceof Error) seen.push(reason);
    };
    process.on("unhandledRejection", listener);
    try {
        await run();
        for (let i = 0; i < 50 && !seen.some((e) => e instanceof StackExportsError); i++) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setImmediate(r));
    } finally {
        process.off("unhandledRejection", listener);
    }
    return seen;
}

/** The reader's validated contract, as an error message (or a failure if it was readable). */
async function readError(outputs: Record<string, unknown>): Promise<StackExportsError> {
    await mockProducer(outputs);
    const reader = readStackExports(new pulumi.StackReference("domino", { name: "org/domino-tenancy/test" }), "org/domino-tenancy/test");
    let caught: unknown;
    await unhandledDuring(async () => {
        try {
            await valueOf(reader.exports);
        } catch (err) {
            caught = err;
        }
    });
    assert.ok(caught instanceof StackExportsError, `expected a StackExportsError, got ${String(caught)}`);
    return caught;
}

describe("consumer of the exports contract (examples/consumer)", () => {
    it("deploys into its own namespace from the contract, with exactly the exported compute selector, required affinity and tolerations", async () => {
        // byo has two compute pools, one tainted: placement needs affinity and a toleration.
        const exported = producerExports("byo");
        const compute = exported.scheduling.compute;
        assert.ok(compute.requiredNodeAffinity && compute.tolerations.length > 0, "fixture: byo's compute placement has affinity and tolerations");
        const registered = await mockProducer(exported);

        const outputs = deployConsumer({ producerStack: "org/domino-tenancy/byo", consumer });
        assert.equal(await valueOf(outputs.namespace), exported.consumers[consumer].namespace);
        assert.equal(await pulumi.isSecret(outputs.namespace), false, "a namespace name is not secret");
        await valueOf(outputs.deploymentName);

        const { namespace, pod } = deploymentPod(registered);
        assert.equal(namespace, "analytics-feature-store");
        assert.deepEqual(pod.nodeSelector, compute.nodeSelector);
        assert.deepEqual(pod.tolerations, compute.tolerations);
        assert.deepEqual(pod.affinity, {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: compute.requiredNodeAffinity }] } },
        });
    });

    it("sets no affinity when the exported placement has none (one compute pool, dedicated taint)", async () => {
        const exported = producerExports("local");
        const registered = await mockProducer(exported);

        await valueOf(deployConsumer({ producerStack: "org/domino-tenancy/local", consumer }).deploymentName);

        const { namespace, pod } = deploymentPod(registered);
        assert.equal(namespace, exported.consumers[consumer].namespace);
        assert.deepEqual(pod.nodeSelector, exported.scheduling.compute.nodeSelector);
        assert.deepEqual(pod.tolerations, exported.scheduling.compute.tolerations);
        assert.ok(
            exported.scheduling.compute.tolerations.some((t) => t.key === "dominodatalab.com/dedicated"),
            "fixture: local is dedicated",
        );
        assert.equal(pod.affinity, undefined);
    });

    it("builds its Kubernetes provider from its own scoped kubeconfig, never the admin one; kubeconfigs stay secret while placement does not", async () => {
        const registered = await mockProducer(producerExports("local"));
        const reader = readStackExports(new pulumi.StackReference("domino", { name: "org/domino-tenancy/local" }), "org/domino-tenancy/local");
        assert.equal(await pulumi.isSecret(reader.adminKubeconfig), true);
        assert.equal(await pulumi.isSecret(reader.kubeconfigFor(consumer)), true);
        assert.equal(await pulumi.isSecret(reader.output("consumers")), true);
        assert.equal(await pulumi.isSecret(reader.exports), true);
        assert.equal(await pulumi.isSecret(reader.placementFor("compute")), false);
        assert.equal(await pulumi.isSecret(reader.namespace("compute")), false);

        await valueOf(deployConsumer({ producerStack: "org/domino-tenancy/local", consumer }).deploymentName);
        const providers = registered.filter((r) => r.type === "pulumi:providers:kubernetes");
        assert.equal(providers.length, 1);
        // Mocks see a secret input as the wire's secret wrapper around its value.
        assert.deepEqual(providers[0].inputs.kubeconfig, { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: scopedKubeconfigSecret });
        assert.ok(!JSON.stringify(registered.map((r) => r.inputs)).includes(secretMarker), "the admin kubeconfig reached a resource of the consumer");
    });

    it("fails a team the producer grants no access, naming the teams it does grant and never a kubeconfig", async () => {
        await mockProducer(producerExports("local"));
        const reader = readStackExports(new pulumi.StackReference("domino", { name: "org/domino-tenancy/local" }), "org/domino-tenancy/local");
        let caught: unknown;
        await unhandledDuring(async () => {
            try {
                await valueOf(reader.kubeconfigFor("payments"));
            } catch (err) {
                caught = err;
            }
        });
        assert.ok(caught instanceof StackExportsError, `expected a StackExportsError, got ${String(caught)}`);
        assert.match(caught.message, /grants no consumer 'payments' \(it grants 'feature-store'\): ask the platform team to add it to tenancy.consumers/);
        assert.ok(!caught.message.includes(scopedMarker) && !caught.message.includes(secretMarker));
    });

    it("refuses a producer with a newer contract version, telling the consumer to upgrade", async () => {
        const newer = edited(producerExports("local"), (o) => {
            o.contractVersion = 3;
            delete o.storageClasses; // a newer contract may differ anywhere: the version is reported, not the fields
        });
        const err = await readError(newer);
        assert.equal(err.kind, "newer");
        assert.match(err.message, /contract version 3, newer than version 2/);
        assert.match(err.message, /producing stack is newer; upgrade the consumer/);
        assert.doesNotMatch(err.message, /storageClasses/);
    });

    it("fails the consumer program itself with that message (what `pulumi up` reports)", async () => {
        const registered = await mockProducer(edited(producerExports("local"), (o) => (o.contractVersion = 7)));
        const errors = await unhandledDuring(async () => {
            deployConsumer({ producerStack: "org/domino-tenancy/local", consumer });
        });
        assert.ok(
            errors.some((e) => e instanceof StackExportsError && /exports contract version 7, newer than version 2/.test(e.message)),
            `got: ${errors.map((e) => e.message).join(" | ")}`,
        );
        assert.equal(registered.filter((r) => r.type === "kubernetes:apps/v1:Deployment").length, 0, "no Deployment is registered from an unreadable contract");
        for (const e of errors) {
            assert.ok(!`${e.message}\n${e.stack}`.includes(secretMarker), "the admin kubeconfig is in an error");
            assert.ok(!`${e.message}\n${e.stack}`.includes(scopedMarker), "a scoped kubeconfig is in an error");
        }
    });

    it("tells an older producer (no contractVersion, or a lower one) that it is older", async () => {
        const missing = await readError(edited(producerExports("local"), (o) => delete o.contractVersion));
        assert.equal(missing.kind, "older");
        assert.match(missing.message, /no contractVersion output: the producing stack is older than contract version 2/);
        const lower = await readError(edited(producerExports("local"), (o) => (o.contractVersion = 0)));
        assert.equal(lower.kind, "older");
        assert.match(lower.message, /contract version 0, older than version 2/);
    });

    it("refuses a version 1 producer (admin kubeconfig only) rather than reading it, and says what version 2 changed", async () => {
        const v1 = edited(producerExports("local"), (o) => {
            o.contractVersion = 1;
            o.kubeconfig = o.adminKubeconfig;
            delete o.adminKubeconfig;
            delete o.consumers;
            delete o.publishedExports;
        });
        const err = await readError(v1);
        assert.equal(err.kind, "older");
        assert.match(err.message, /contract version 1, older than version 2/);
        assert.match(err.message, /Version 2: `kubeconfig` \(the admin kubeconfig\) is now `adminKubeconfig`, for the platform team only/);
        assert.match(err.message, /consumers.<name>.kubeconfig/);
        assert.ok(!err.message.includes(secretMarker));
    });

    it("names each missing or mistyped output and what was expected there", async () => {
        const broken = edited(producerExports("byo"), (o) => {
            delete o.storageClasses;
            const scheduling = o.scheduling as { compute: { tolerations: { effect: string }[]; nodeSelector?: unknown } };
            scheduling.compute.tolerations[0].effect = "Sometimes";
            delete scheduling.compute.nodeSelector;
            (o.namespaces as Record<string, unknown>).compute = 42;
        });
        const err = await readError(broken);
        assert.equal(err.kind, "invalid");
        const byPath = new Map(err.issues.map((i) => [i.path, i.message]));
        assert.match(byPath.get("storageClasses") ?? "", /is missing: the producing stack does not export it \(expected object\)/);
        assert.match(byPath.get("scheduling.compute.tolerations[0].effect") ?? "", /expected one of "NoSchedule"\|"PreferNoSchedule"\|"NoExecute"/);
        assert.match(byPath.get("scheduling.compute.nodeSelector") ?? "", /is missing \(expected record\)/);
        assert.match(byPath.get("namespaces.compute") ?? "", /expected string/);
        assert.equal(err.issues.length, 4, err.message);
        assert.match(err.message, / {2}- output storageClasses: is missing/);
    });

    it("never puts the kubeconfig's value in an error, even when the kubeconfig itself is malformed", async () => {
        const cases: Record<string, unknown>[] = [
            edited(producerExports("local"), (o) => (o.adminKubeconfig = { token: `${secretMarker}-as-object` })),
            edited(producerExports("local"), (o) => (o.adminKubeconfig = [kubeconfigSecret])),
            edited(producerExports("local"), (o) => ((o.consumers as Record<string, { kubeconfig: unknown }>)[consumer].kubeconfig = { token: scopedMarker })),
            edited(producerExports("local"), (o) => {
                o.contractVersion = 3;
            }),
            edited(producerExports("local"), (o) => {
                delete o.pools;
                o.cloud = kubeconfigSecret.length;
            }),
        ];
        for (const outputs of cases) {
            const err = await readError(outputs);
            assert.ok(!`${err.message}\n${err.stack}`.includes(secretMarker), `the kubeconfig is in: ${err.message}`);
            assert.ok(!`${err.message}\n${err.stack}`.includes(scopedMarker), `a scoped kubeconfig is in: ${err.message}`);
            assert.ok(!JSON.stringify(err.issues).includes(secretMarker) && !JSON.stringify(err.issues).includes(scopedMarker));
        }
        const malformed = await readError(cases[0]);
        assert.deepEqual(
            malformed.issues.map((i) => i.path),
            ["adminKubeconfig"],
        );
    });
});
