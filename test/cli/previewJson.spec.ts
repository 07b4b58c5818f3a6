// `pulumi preview --json` gets the same verdicts as the offline plan. The fixture is built
// from an offline plan the way the engine prints a first preview (display.PreviewDigest in
// pulumi/pulumi sdk/go/common/display/json.go; state = apitype.ResourceV3): one `create`
// step per resource with its newState, secrets as the signature object, changeSummary.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Plan } from "../../plan/engine";
import { fromPreviewJson, isPreviewJson, PreviewDigest, secretSig } from "../../plan/previewJson";
import { checkPlan } from "../../policy/lib/check";
import { podSpec, shippedPlan } from "../helpers/policyPlans";

function secretObject(value: unknown): unknown {
    if (value === "[secret]") return { [secretSig.key]: secretSig.value, ciphertext: "AAABAGx2aXc=" };
    if (Array.isArray(value)) return value.map(secretObject);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretObject(v)]));
    return value;
}

/** What `pulumi preview --json` prints for a new stack that would register `plan`'s resources. */
export function previewOf(plan: Plan, extra: PreviewDigest["steps"] = []): PreviewDigest {
    const steps = plan.resources.map((r) => ({
        op: "create",
        urn: r.urn,
        ...(r.options.provider ? { provider: r.options.provider } : {}),
        newState: {
            urn: r.urn,
            custom: r.custom,
            type: r.type,
            ...(Object.keys(r.inputs).length ? { inputs: secretObject(r.inputs) as Record<string, unknown> } : {}),
            ...(r.parent ? { parent: r.parent } : {}),
            ...(r.options.protect ? { protect: true } : {}),
            ...(r.options.provider ? { provider: r.options.provider } : {}),
            ...(r.options.dependsOn.length ? { dependencies: r.options.dependsOn } : {}),
        },
        detailedDiff: null,
    }));
    return { config: { "domino-tenancy:tenancy": "{...}" }, steps: [...steps, ...(extra ?? [])], diagnostics: [], changeSummary: { create: steps.length } };
}

describe("pulumi preview --json as policy input", function () {
    this.timeout(60000);

    it("converts back to the offline plan: same resources, inputs and secrets hidden the same way", async () => {
        const plan = await shippedPlan("byo");
        const converted = fromPreviewJson(JSON.parse(JSON.stringify(previewOf(plan))));
        assert.deepEqual(
            converted.resources.map((r) => [r.urn, r.type, r.name, r.parent, r.custom, r.inputs]),
            plan.resources.map((r) => [r.urn, r.type, r.name, r.parent, r.custom, r.inputs]),
        );
        assert.equal(converted.stack, plan.stack);
        assert.equal(converted.project, plan.project);
        assert.ok(JSON.stringify(converted).includes('"[secret]"'), "fixture: byo's plan has a secret");
    });

    for (const [label, edit] of [
        ["a clean stack", () => undefined],
        [
            "a broken stack",
            (plan: Plan) => {
                delete podSpec(plan, "DaemonSet", "nvidia-device-plugin").nodeSelector;
                podSpec(plan, "DaemonSet", "nvidia-device-plugin").containers[0].image = "k8s-device-plugin";
            },
        ],
    ] as [string, (plan: Plan) => void][]) {
        it(`gives the same violations as the offline plan for ${label}`, async () => {
            const plan = await shippedPlan("local");
            edit(plan);
            const offline = checkPlan(plan);
            assert.deepEqual(checkPlan(fromPreviewJson(previewOf(plan))), offline);
            if (label === "a broken stack") assert.ok(offline.length >= 2, "fixture: the broken stack has violations");
        });
    }

    it("leaves a deleted resource out of the new plan", async () => {
        const plan = await shippedPlan("local");
        const gone = {
            op: "delete",
            urn: "urn:pulumi:local::domino-tenancy::kubernetes:core/v1:Namespace::old",
            oldState: { urn: "urn:pulumi:local::domino-tenancy::kubernetes:core/v1:Namespace::old", custom: true, type: "kubernetes:core/v1:Namespace" },
        };
        const converted = fromPreviewJson(previewOf(plan, [gone]));
        assert.equal(converted.resources.length, plan.resources.length);
        assert.ok(!converted.resources.some((r) => r.urn === gone.urn));
    });

    it("is detected by policy check and report, which give it the plan's verdict @slow", async () => {
        const plan = await shippedPlan("local");
        delete podSpec(plan, "DaemonSet", "nvidia-device-plugin").nodeSelector;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-json-"));
        const file = path.join(dir, "preview.json");
        fs.writeFileSync(file, JSON.stringify(previewOf(plan), null, 4));
        assert.ok(isPreviewJson(JSON.parse(fs.readFileSync(file, "utf8"))));
        const root = path.join(__dirname, "..", "..");
        const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/policy.ts", "check", file], { cwd: root, encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stdout, /^mandatory +daemonsets-node-scoped +urn:pulumi:local::domino-tenancy::.*DaemonSet::domino-device-plugin-nvidia-device-plugin/m);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
