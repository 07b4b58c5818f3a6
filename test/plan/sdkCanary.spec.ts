// A canary for the SDK internals the offline plan stands on (plan/engine.ts). They are
// not in @pulumi/pulumi's typings and may change in any release; when they do, this
// spec says what changed and where the plan relies on it, before a plan quietly
// comes out empty, hangs, or leaks wire encodings into what reviewers read.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { engineUrn, runPlan, secretPlaceholder } from "../../plan/engine";
import { planMocks } from "../../plan/mocks";

const sdk = "@pulumi/pulumi 3.270 (node_modules/@pulumi/pulumi/runtime)";

/** The modules plan/engine.ts requires by path, read the same way (they have no typings to import). */
/* eslint-disable @typescript-eslint/no-require-imports */
const state = require("@pulumi/pulumi/runtime/state") as Record<string, unknown>;
const settings = require("@pulumi/pulumi/runtime/settings") as Record<string, unknown>;
const rpc = require("@pulumi/pulumi/runtime/rpc") as Record<string, unknown>;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The request getters plan/engine.ts calls in its registerResource hook. */
const requestGetters = [
    "getType",
    "getName",
    "getParent",
    "getCustom",
    "getProtect",
    "getRetainondelete",
    "getProvider",
    "getDependenciesList",
    "getIgnorechangesList",
    "getObject",
] as const;

type Request = Record<(typeof requestGetters)[number], () => unknown>;
type Monitor = { registerResource(req: Request, cb: (err: Error | null, resp?: { getUrn(): string }) => void): unknown };

/** The one resource of the canary's program. */
class Thing extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super("canary:index:Thing", name, props, opts);
    }
}

function monitorOf(): Monitor {
    const getStore = state.getStore as () => { settings?: { monitor?: Monitor } };
    return getStore().settings?.monitor as Monitor;
}

describe("the SDK internals the offline plan relies on", function () {
    this.timeout(60000);

    it("runtime/state exports getStore(), whose settings carry the mock monitor with registerResource", async () => {
        assert.equal(
            typeof state.getStore,
            "function",
            `${sdk}: runtime/state no longer exports getStore; plan/engine.ts reads the mock monitor through getStore().settings.monitor`,
        );
        await pulumi.runtime.setMocks(planMocks, "canary", "canary", false);
        const monitor = monitorOf();
        assert.ok(monitor, `${sdk}: getStore().settings.monitor is not set after setMocks; plan/engine.ts patches it to record registrations`);
        assert.equal(
            typeof monitor.registerResource,
            "function",
            `${sdk}: the mock monitor has no registerResource(req, cb); plan/engine.ts wraps it to record each resource`,
        );
    });

    it("runtime/settings exports waitForRPCs()", () => {
        assert.equal(
            typeof settings.waitForRPCs,
            "function",
            `${sdk}: runtime/settings no longer exports waitForRPCs; plan/engine.ts awaits it so no registration is missed`,
        );
    });

    it("the wire markers plan/engine.ts decodes are exported by the SDK, publicly and in runtime/rpc.js alike", () => {
        const markers = {
            specialSigKey: /^[0-9a-f]{32}$/,
            specialSecretSig: /^[0-9a-f]{32}$/,
            specialResourceSig: /^[0-9a-f]{32}$/,
            unknownValue: /^[0-9a-f-]{36}$/,
        } as const;
        const publicRuntime = pulumi.runtime as unknown as Record<string, unknown>;
        for (const [name, shape] of Object.entries(markers)) {
            assert.match(
                String(rpc[name]),
                shape,
                `${sdk}: runtime/rpc.js no longer defines ${name} as before; plan/engine.ts uses it to turn secrets, resource references and unknowns into plain JSON`,
            );
            assert.equal(
                publicRuntime[name],
                rpc[name],
                `${sdk}: pulumi.runtime.${name} is no longer the value runtime/rpc.js defines; plan/engine.ts takes it from pulumi.runtime`,
            );
        }
    });

    it("a one-resource program reaches the mock monitor as one request whose getters return its name, type, options and inputs", async () => {
        await pulumi.runtime.setMocks(planMocks, "canary", "canary", false);
        const monitor = monitorOf();
        const original = monitor.registerResource.bind(monitor);
        const seen: { req: Request; urn: string }[] = [];
        monitor.registerResource = (req, cb) => original(req, (err, resp) => (!err && resp && seen.push({ req, urn: resp.getUrn() }), cb(err, resp)));
        new Thing("one", { size: 3, token: pulumi.secret("s3cr3t") }, { protect: true, retainOnDelete: true, ignoreChanges: ["size"] });
        await (settings.waitForRPCs as () => Promise<void>)();

        assert.equal(seen.length, 1, `${sdk}: one resource gave ${seen.length} registerResource calls; plan/engine.ts records one plan entry per call`);
        const { req, urn } = seen[0];
        for (const getter of requestGetters) {
            assert.equal(typeof req[getter], "function", `${sdk}: the RegisterResourceRequest has no ${getter}(); plan/engine.ts reads it for every resource`);
        }
        assert.equal(req.getType(), "canary:index:Thing");
        assert.equal(req.getName(), "one");
        assert.equal(req.getCustom(), true);
        assert.equal(req.getProtect(), true, `${sdk}: getProtect() no longer reports protect; the plan's options.protect comes from it`);
        assert.equal(
            req.getRetainondelete(),
            true,
            `${sdk}: getRetainondelete() no longer reports retainOnDelete; the plan's options.retainOnDelete comes from it`,
        );
        assert.deepEqual(
            req.getIgnorechangesList(),
            ["size"],
            `${sdk}: getIgnorechangesList() no longer reports ignoreChanges; the plan's options.ignoreChanges comes from it`,
        );
        assert.deepEqual(req.getDependenciesList(), []);
        assert.equal(req.getProvider(), "");
        assert.match(urn, /::canary:index:Thing::one$/);
        const object = req.getObject() as { toJavaScript(): Record<string, unknown> } | undefined;
        assert.equal(
            typeof object?.toJavaScript,
            "function",
            `${sdk}: getObject() no longer returns a protobuf Struct with toJavaScript(); plan/engine.ts reads the inputs from it`,
        );
        const inputs = object!.toJavaScript();
        assert.equal(inputs.size, 3);
        const token = inputs.token as Record<string, unknown>;
        assert.equal(
            token[pulumi.runtime.specialSigKey],
            pulumi.runtime.specialSecretSig,
            `${sdk}: a secret input no longer arrives as {[specialSigKey]: specialSecretSig}; plan/engine.ts would print the secret instead of [secret]`,
        );
    });

    it("runPlan records the program's resources with their inputs, and no wire encoding leaks into the plan", async () => {
        const plan = await runPlan({ stack: "local", env: {} });
        const stacks = plan.resources.filter((r) => r.type === "pulumi:pulumi:Stack");
        assert.equal(stacks.length, 1, "the plan must record the root stack exactly once");
        const model = plan.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("tenancy-model"));
        assert.equal(model.length, 1, `expected one tenancy-model ConfigMap, got ${model.map((r) => r.name).join(", ") || "none"}`);
        const [cm] = model;
        assert.equal(cm.custom, true);
        assert.equal((cm.inputs as { kind?: string }).kind, "ConfigMap", "the recorded inputs are not the object the program passed");
        assert.ok(
            cm.parent && plan.resources.some((r) => r.urn === cm.parent),
            `the ConfigMap's parent ${cm.parent} is not a recorded URN (getParent, engineUrn)`,
        );
        assert.ok(
            cm.options.provider && plan.resources.some((r) => r.urn === cm.options.provider),
            `the ConfigMap's provider ${cm.options.provider} is not a recorded URN (getProvider's "<urn>::<id>" form)`,
        );
        // The local stack's Kubernetes provider gets the kubeconfig as a secret.
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes");
        assert.equal(
            provider?.inputs.kubeconfig,
            secretPlaceholder,
            `${sdk}: the provider's secret kubeconfig is not shown as ${secretPlaceholder}; plan/engine.ts plain() no longer recognises the SDK's secret signature`,
        );
        const text = JSON.stringify(plan);
        assert.ok(
            !text.includes(pulumi.runtime.specialSigKey),
            `${sdk}: a value wrapped with specialSigKey reached the plan; plan/engine.ts plain() no longer recognises the SDK's secret or resource signatures`,
        );
        assert.ok(!text.includes(pulumi.runtime.unknownValue), `${sdk}: the unknown sentinel reached the plan; plan/engine.ts plain() no longer recognises it`);
        assert.ok(
            plan.resources.every((r) => !r.urn.includes("pulumi:pulumi:Stack$")),
            "a URN kept the mock monitor's stack prefix (engineUrn)",
        );
        assert.equal(engineUrn("urn:pulumi:s::p::pulumi:pulumi:Stack$a:b:C::n"), "urn:pulumi:s::p::a:b:C::n");
    });
});
