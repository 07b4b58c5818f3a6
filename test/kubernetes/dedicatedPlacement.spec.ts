// The dedicated-placement MutatingAdmissionPolicy: its CEL evaluated in node with
// @marcbachmann/cel-js the way the API server runs it (variables in order, then each
// mutation's JSON patch applied), over Domino-shaped pods and templates. cel-js has no
// typed `JSONPatch{...}` literal, so the specs render the same patches as maps; the
// typed form itself was checked against a Kubernetes 1.36.3 API server (see the e2e).

import { strict as assert } from "assert";
import { Environment } from "@marcbachmann/cel-js";
import { buildDedicatedPlacement, placementPatches, placementVariables } from "../../components/kubernetes/dedicatedPlacement";
import { componentArgs } from "../../components/program";
import { acmeModel } from "../helpers/acmeModel";
import { asPlacementAdmits } from "@domino-tenancy/core";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const model = acmeModel("dedicated");
const args = componentArgs(model).dedicatedPlacement;
const taint = model.dedicatedTaint!;
const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
const asMap = (op: string, path: string, value: string) => `{'op': ${op}, 'path': ${path}, 'value': ${value}}`;

/** Applies RFC 6902 `add` operations, the only kind the policy emits. */
function applyPatch(target: Obj, ops: { op: string; path: string; value: unknown }[]): Obj {
    const out = structuredClone(target);
    for (const { op, path, value } of ops) {
        assert.equal(op, "add");
        const keys = path
            .split("/")
            .slice(1)
            .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
        const last = keys.pop()!;
        const parent = keys.reduce((o, k) => o[k], out);
        if (Array.isArray(parent)) {
            assert.equal(last, "-");
            parent.push(value);
        } else parent[last] = value;
    }
    return out;
}

/** What the API server would store: the object after both mutations. */
function admit(object: Obj, namespace: string, placementArgs = args): Obj {
    const variables: Obj = {};
    const ctx = { object, request: { namespace }, variables };
    for (const v of placementVariables({ ...placementArgs, dedicatedTaint: taint })) variables[v.name] = env.evaluate(v.expression, ctx);
    const patches = placementPatches(asMap);
    let result = object;
    for (const expr of [patches.toleration, patches.placement]) result = applyPatch(result, env.evaluate(expr, ctx) as never);
    return result;
}

const dedicatedToleration = { key: "dominodatalab.com/dedicated", operator: "Equal", value: "acme", effect: "NoSchedule" };
const pod = (spec: Obj): Obj => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c" }], ...spec } });
const deployment = (spec: Obj): Obj => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { template: { spec: { containers: [{ name: "c" }], ...spec } } },
});

const gpuToleration = { key: "nvidia.com/gpu", operator: "Exists" };
/** A pod as the DaemonSet controller creates it: owned by its DaemonSet, selecting every Domino node. */
const daemonSetPod = (spec: Obj = {}, ownerKind = "DaemonSet"): Obj => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "agent-x1", ownerReferences: [{ apiVersion: "apps/v1", kind: ownerKind, name: "agent", uid: "u1", controller: true }] },
    spec: { containers: [{ name: "c" }], nodeSelector: { "dominodatalab.com/domino-node": "true" }, ...spec },
});

describe("dedicated placement at admission: DaemonSet pods and GPU nodes", () => {
    it("gives a DaemonSet's pod the GPU taint's toleration as well, so a DaemonSet selecting domino-node reaches GPU nodes", () => {
        const out = admit(daemonSetPod(), model.namespaces.platform);
        assert.deepEqual(out.spec.tolerations, [dedicatedToleration, gpuToleration]);
        assert.deepEqual(out.spec.nodeSelector, { "dominodatalab.com/domino-node": "true" }, "its own node selection is kept");
    });

    it("appends both to a DaemonSet pod's own tolerations", () => {
        const own = { key: "CriticalAddonsOnly", operator: "Exists" };
        const out = admit(daemonSetPod({ tolerations: [own] }), model.namespaces.platform);
        assert.deepEqual(out.spec.tolerations, [own, dedicatedToleration, gpuToleration]);
    });

    it("adds no GPU toleration to a DaemonSet pod that already tolerates every GPU taint", () => {
        const out = admit(daemonSetPod({ tolerations: [gpuToleration] }), model.namespaces.platform);
        assert.deepEqual(out.spec.tolerations, [gpuToleration, dedicatedToleration]);
        const everything = daemonSetPod({ tolerations: [{ operator: "Exists" }] });
        assert.deepEqual(admit(everything, model.namespaces.platform), everything);
    });

    it("still adds the effect-less GPU toleration where the pod tolerates only one cloud's GPU taint", () => {
        const awsOnly = { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" };
        const out = admit(daemonSetPod({ tolerations: [awsOnly] }), model.namespaces.platform);
        assert.deepEqual(out.spec.tolerations, [awsOnly, dedicatedToleration, gpuToleration]);
    });

    it("gives pods owned by anything but a DaemonSet no GPU toleration", () => {
        for (const owner of ["ReplicaSet", "StatefulSet", "Job"]) {
            const out = admit(daemonSetPod({}, owner), model.namespaces.platform);
            assert.deepEqual(out.spec.tolerations, [dedicatedToleration], owner);
        }
    });

    it("gives a DaemonSet's template the GPU toleration too: its controller makes no pod for a node the template does not tolerate", () => {
        const ds = { ...deployment({ nodeSelector: { "dominodatalab.com/domino-node": "true" } }), kind: "DaemonSet" };
        assert.deepEqual(admit(ds, model.namespaces.platform).spec.template.spec.tolerations, [dedicatedToleration, gpuToleration]);
    });

    it("gives a Deployment's template no GPU toleration", () => {
        const d = deployment({ nodeSelector: { "dominodatalab.com/node-pool": "platform" } });
        assert.deepEqual(admit(d, model.namespaces.platform).spec.template.spec.tolerations, [dedicatedToleration]);
    });

    it("adds no GPU toleration where the model has no GPU pool", () => {
        const noGpu = { ...args, pools: args.pools.filter((p) => p.role !== "gpu") };
        assert.deepEqual(admit(daemonSetPod(), model.namespaces.platform, noGpu).spec.tolerations, [dedicatedToleration]);
    });
});

describe("dedicated placement at admission", () => {
    it("adds the dedicated toleration to a platform Deployment's template, keeping its own selector", () => {
        const out = admit(deployment({ nodeSelector: { "dominodatalab.com/node-pool": "platform" } }), model.namespaces.platform);
        assert.deepEqual(out.spec.template.spec.tolerations, [dedicatedToleration]);
        assert.deepEqual(out.spec.template.spec.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
    });

    it("appends to a GPU run's own tolerations instead of replacing them", () => {
        const gpu = { key: "nvidia.com/gpu", operator: "Exists" };
        const out = admit(pod({ nodeSelector: { "dominodatalab.com/node-pool": "default-gpu" }, tolerations: [gpu] }), model.namespaces.compute);
        assert.deepEqual(out.spec.tolerations, [gpu, dedicatedToleration]);
        assert.deepEqual(out.spec.nodeSelector, { "dominodatalab.com/node-pool": "default-gpu" });
    });

    it("adds nothing to a pod that already tolerates the taint, by value or by Exists", () => {
        for (const t of [dedicatedToleration, { key: "dominodatalab.com/dedicated", operator: "Exists" }, { operator: "Exists" }]) {
            const given = pod({ nodeSelector: { "dominodatalab.com/node-pool": "default" }, tolerations: [t] });
            assert.deepEqual(admit(given, model.namespaces.compute), given);
        }
    });

    it("still adds the toleration when the pod tolerates another deployment's dedicated taint", () => {
        const other = { key: "dominodatalab.com/dedicated", operator: "Equal", value: "other", effect: "NoSchedule" };
        const out = admit(pod({ nodeSelector: { "dominodatalab.com/node-pool": "default" }, tolerations: [other] }), model.namespaces.compute);
        assert.deepEqual(out.spec.tolerations, [other, dedicatedToleration]);
    });

    it("places a pod that chose no pool on the pool its namespace implies: compute, else platform", () => {
        assert.deepEqual(admit(pod({}), model.namespaces.compute).spec.nodeSelector, { "dominodatalab.com/node-pool": "default" });
        assert.deepEqual(admit(pod({}), model.namespaces.platform).spec.nodeSelector, { "dominodatalab.com/node-pool": "platform" });
        assert.deepEqual(admit(pod({ nodeSelector: { "kubernetes.io/os": "linux" } }), model.namespaces.system).spec.nodeSelector, {
            "kubernetes.io/os": "linux",
            "dominodatalab.com/node-pool": "platform",
        });
    });

    it("leaves the placement of a pod that selects a Domino pool by label or by required affinity", () => {
        const byDominoNode = admit(pod({ nodeSelector: { "dominodatalab.com/domino-node": "true" } }), model.namespaces.platform);
        assert.deepEqual(byDominoNode.spec.nodeSelector, { "dominodatalab.com/domino-node": "true" });
        const affinity = {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchExpressions: [{ key: "dominodatalab.com/node-pool", operator: "In", values: ["default", "default-gpu"] }] }],
                },
            },
        };
        assert.equal(admit(pod({ affinity }), model.namespaces.compute).spec.nodeSelector, undefined);
    });

    it("patches a CronJob's job template where its pods are described", () => {
        const cron = {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: { name: "c" },
            spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
        };
        const out = admit(cron, model.namespaces.compute);
        assert.deepEqual(out.spec.jobTemplate.spec.template.spec.tolerations, [dedicatedToleration]);
    });
});

describe("dedicated placement objects", () => {
    it("are a policy and its binding, named with the deployment prefix, bound only to the deployment's namespaces", () => {
        const ms = buildDedicatedPlacement(args) as Obj[];
        assert.deepEqual(
            ms.map((m) => `${m.kind}/${m.metadata.name}`),
            ["MutatingAdmissionPolicy/acme-dedicated-placement", "MutatingAdmissionPolicyBinding/acme-dedicated-placement"],
        );
        assert.deepEqual(ms[1].spec, {
            policyName: "acme-dedicated-placement",
            matchResources: { namespaceSelector: { matchLabels: { "domino-tenancy/deployment": "acme" } } },
        });
        assert.equal(ms[0].spec.failurePolicy, "Fail");
        assert.ok(ms[0].spec.mutations.every((m: Obj) => m.patchType === "JSONPatch" && m.jsonPatch.expression.includes("JSONPatch{op: ")));
    });

    it("are not built under shared isolation", () => {
        assert.deepEqual(buildDedicatedPlacement(componentArgs(acmeModel("shared")).dedicatedPlacement), []);
    });
});

describe("the static analysis's model of dedicated placement (core's asPlacementAdmits)", () => {
    const templates: [string, Obj, string][] = [
        [
            "the operator's Deployment: platform selected, nothing tolerated",
            deployment({ nodeSelector: { "dominodatalab.com/node-pool": "platform" } }),
            "acme-system",
        ],
        ["a Job selecting no pool in the compute namespace", { ...deployment({}), kind: "Job", apiVersion: "batch/v1" }, args.computeNamespace],
        [
            "a DaemonSet selecting every Domino node",
            { ...deployment({ nodeSelector: { "dominodatalab.com/domino-node": "true" } }), kind: "DaemonSet" },
            "acme-platform",
        ],
        [
            "a template already tolerating the taint",
            deployment({ tolerations: [dedicatedToleration], nodeSelector: { "dominodatalab.com/node-pool": "platform" } }),
            "acme-platform",
        ],
    ];
    for (const [what, object, namespace] of templates) {
        it(`adds what the policy's CEL adds: ${what}`, () => {
            const byCel = admit(object, namespace).spec.template.spec;
            const byModel = asPlacementAdmits(object.spec.template.spec, {
                dedicatedTaint: taint,
                pools: model.cluster.pools.map((p) => ({ name: p.name, role: p.role, labels: p.labels, taints: p.taints })),
                computeNamespace: args.computeNamespace,
                namespace,
                daemonSet: object.kind === "DaemonSet",
            });
            assert.deepEqual(byModel.tolerations ?? [], byCel.tolerations ?? []);
            assert.deepEqual(byModel.nodeSelector ?? {}, byCel.nodeSelector ?? {});
        });
    }
});
