// Two Domino deployments in one cluster (issue 11, item 6): the local stack (deployment
// `domino`) and a variant with deployment `beta`, its own namespaces, pools and dedicated
// taint, deployed side by side on the local control plane with extra kwok nodes. Each
// stack has its own state backend. Runs after tenancy.e2e.ts in the same process, on a
// cluster of its own (down, then up with both deployments' nodes).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { isOperatorOwnObject } from "@domino-tenancy/core";
import { destroy, openStack, OperationReport, up } from "../../plan/automation";
import { repoRoot } from "../../plan/engine";
import { dominoShapedWorkloads, stackVariant, type DeploymentShape } from "./fixtures";
import { cluster, kubectl, KubeObject, kubeList, ok, pulumiEnv, waitFor, workspace } from "./harness";

interface Deployment extends DeploymentShape {
    readonly name: string;
}

const domino: Deployment = {
    name: "domino",
    platformNamespace: "domino-platform",
    computeNamespace: "domino-compute",
    pools: { platform: "platform", compute: "default", gpu: "default-gpu" },
};
const beta: Deployment = {
    name: "beta",
    platformNamespace: "beta-platform",
    computeNamespace: "beta-compute",
    pools: { platform: "beta-platform", compute: "beta-default", gpu: "beta-gpu" },
};

const dedicatedKey = "dominodatalab.com/dedicated";
const poolKey = "dominodatalab.com/node-pool";

/** The shipped nodes plus a copy of domino's for beta: beta's pool labels, tainted dedicated=beta. */
function twoDeploymentNodes(file: string): void {
    const shipped = JSON.parse(fs.readFileSync(path.join(repoRoot, "scripts", "lib", "cluster-nodes.json"), "utf8")) as {
        nodes: { name: string; labels: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] }[];
    };
    const betaPool: Record<string, string> = { platform: beta.pools.platform, default: beta.pools.compute, "default-gpu": beta.pools.gpu };
    const betaNodes = shipped.nodes
        .filter((n) => n.labels[poolKey] !== undefined)
        .map((n) => ({
            ...n,
            name: n.name.replace(/^domino-/, "beta-"),
            labels: { ...n.labels, [poolKey]: betaPool[n.labels[poolKey]] },
            taints: (n.taints ?? []).map((t) => (t.key === dedicatedKey ? { ...t, value: beta.name } : t)),
        }));
    fs.writeFileSync(file, JSON.stringify({ ...shipped, nodes: [...shipped.nodes, ...betaNodes] }, null, 1));
}

interface StateObject {
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
}

/** The Kubernetes objects a stack's state owns, from its exported deployment. */
async function stateObjects(stack: Stack): Promise<StateObject[]> {
    const exported = (await stack.exportStack()) as {
        deployment: { resources?: { type: string; outputs?: { kind?: string; metadata?: { name?: string; namespace?: string; uid?: string } } }[] };
    };
    return (exported.deployment.resources ?? [])
        .filter((r) => r.type.startsWith("kubernetes:") && r.outputs?.kind && r.outputs.metadata?.name)
        .map((r) => ({ kind: r.outputs!.kind!, name: r.outputs!.metadata!.name!, namespace: r.outputs!.metadata!.namespace, uid: r.outputs!.metadata!.uid }));
}

const idOf = (o: { kind: string; name: string; namespace?: string }) => `${o.kind}/${o.namespace ?? ""}/${o.name}`;

/** The operator chart's `Domino` CRD (the stand-in's, test/fixtures/platform-operator-standin). */
const operatorCrd = "CustomResourceDefinition//dominos.operator.domino.ai";

const namespacedKinds =
    "configmaps,secrets,serviceaccounts,services,resourcequotas,limitranges,daemonsets,deployments,statefulsets,replicasets,controllerrevisions,jobs,pods,networkpolicies,roles,rolebindings,persistentvolumeclaims";
const clusterKinds =
    "namespaces,clusterroles,clusterrolebindings,priorityclasses,storageclasses,validatingadmissionpolicies,validatingadmissionpolicybindings,mutatingadmissionpolicies,mutatingadmissionpolicybindings,flowschemas,prioritylevelconfigurations";

/** Every object in a deployment's namespaces and every cluster-scoped object its state owns, as the API server stores it. */
function liveSnapshot(objects: readonly StateObject[]): Map<string, KubeObject> {
    const namespaces = objects.filter((o) => o.kind === "Namespace").map((o) => o.name);
    const owned = new Set(objects.filter((o) => !o.namespace).map(idOf));
    const out = new Map<string, KubeObject>();
    for (const ns of namespaces)
        for (const o of kubeList(namespacedKinds, ["-n", ns])) out.set(idOf({ kind: o.kind, name: o.metadata.name, namespace: ns }), o);
    for (const o of kubeList(clusterKinds, [])) {
        const id = idOf({ kind: o.kind, name: o.metadata.name });
        if (owned.has(id)) out.set(id, o);
    }
    return out;
}

function succeeded(r: OperationReport, what: string): OperationReport {
    assert.ok(r.ok, `${what} failed after ${r.seconds}s:\n${r.failure ?? ""}\npolicy: ${JSON.stringify(r.policy, null, 1)}`);
    return r;
}

const progress = (line: string) => process.stdout.write(`      ${line}\n`);

describe("two deployments in one cluster", function () {
    this.timeout(20 * 60 * 1000);
    const ws = workspace("two-deployments");
    const timings: Record<string, number> = {};
    const stacks: Partial<Record<"domino" | "beta", Stack>> = {};
    let betaFile: string;

    before(async () => {
        const nodesFile = path.join(ws.dir, "two-deployments-nodes.json");
        twoDeploymentNodes(nodesFile);
        cluster("down");
        timings.clusterUp = ok(cluster("up", 180, { CLUSTER_NODES_FILE: nodesFile }), "cluster up with both deployments' nodes").seconds;
        betaFile = stackVariant(ws.dir, "local", "beta", (t) => {
            t.domino.name = beta.name;
            t.domino.hostname = "beta.local.test";
            t.nodePools = [
                { name: "platform", role: "platform", nodePoolLabel: beta.pools.platform },
                { name: "compute", role: "compute", nodePoolLabel: beta.pools.compute },
                { name: "gpu", role: "gpu", nodePoolLabel: beta.pools.gpu },
            ];
            // The two deployments share one operator (one per cluster; its CRD is cluster-wide):
            // beta creates only its registry secret and its Domino resource.
            const install = (t.domino.install ?? {}) as Record<string, unknown>;
            delete install.chart;
            t.domino.install = { ...install, operator: "shared" };
        });
        // Both stacks are named `local` (the salt in stacks/Pulumi.local.yaml serves both), each in its own backend.
        for (const name of ["domino", "beta"] as const) {
            const stateDir = path.join(ws.dir, `state-${name}`);
            fs.mkdirSync(stateDir, { recursive: true });
            stacks[name] = await openStack("local", repoRoot, {
                stateDir,
                passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE),
                pulumiHome: String(pulumiEnv.PULUMI_HOME),
            });
        }
    });

    after(async () => {
        // Leave nothing behind, whatever failed: no resources, no processes, no temp state.
        for (const s of [stacks.beta, stacks.domino]) if (s) await destroy(s);
        cluster("down");
        ws.cleanup();
        process.stdout.write(`      two-deployments timings (s): ${JSON.stringify(timings)}\n`);
    });

    it("deploys deployment domino and deployment beta side by side, each through the policy pack", async () => {
        timings.upDomino = succeeded(await up(stacks.domino!, { policyPack: "policy", progress }), "up domino").seconds;
        timings.upBeta = succeeded(await up(stacks.beta!, { policyPack: "policy", configFile: betaFile, progress }), "up beta").seconds;
    });

    it("collides nowhere: each cluster-scoped object carries its own deployment's prefix, and no object is in both stacks' state", async () => {
        const [ofDomino, ofBeta] = [await stateObjects(stacks.domino!), await stateObjects(stacks.beta!)];
        assert.ok(ofDomino.length > 40 && ofBeta.length > 40, `${ofDomino.length} and ${ofBeta.length} objects in state`);
        for (const [d, objects] of [
            [domino, ofDomino],
            [beta, ofBeta],
        ] as const) {
            // The operator chart's own objects (its CRDs, RBAC and PriorityClass: the named exception
            // platform-operator-chart) are what the deployments share on purpose (docs/installing-domino.md:
            // two deployments share one operator): only the stack that installs the operator holds them.
            const unprefixed = objects
                .filter((o) => !o.namespace && !o.name.startsWith(`${d.name}-`))
                .filter((o) => !(d === domino && isOperatorOwnObject(o.kind, o.name)))
                .map(idOf);
            assert.deepEqual(unprefixed, [], `cluster-scoped objects of ${d.name} without the prefix ${d.name}-`);
            const foreign = objects.filter((o) => o.namespace && !o.namespace.startsWith(`${d.name}-`)).map(idOf);
            assert.deepEqual(foreign, [], `objects of ${d.name} outside its namespaces`);
        }
        assert.ok(ofDomino.map(idOf).includes(operatorCrd), "the installing stack holds the operator's CRD");
        assert.ok(!ofBeta.map(idOf).includes(operatorCrd), "the sharing stack does not");
        const betaIds = new Set(ofBeta.map(idOf));
        assert.deepEqual(
            ofDomino.map(idOf).filter((id) => betaIds.has(id)),
            [],
            "objects in both stacks' state",
        );
        const betaUids = new Set(ofBeta.map((o) => o.uid).filter(Boolean));
        assert.deepEqual(ofDomino.filter((o) => o.uid && betaUids.has(o.uid)).map(idOf), [], "live objects (by uid) in both stacks' state");
    });

    it("lands each deployment's Domino-shaped workloads (kubectl, outside Pulumi) on its own pools only", async () => {
        const marker = { "e2e-two-deployments": "true" };
        const workloads = { domino: dominoShapedWorkloads(domino, "two-domino", marker), beta: dominoShapedWorkloads(beta, "two-beta", marker) };
        const file = path.join(ws.dir, "two-deployments-workloads.json");
        fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: [...workloads.domino.items, ...workloads.beta.items] }));
        const nodes = new Map(kubeList("nodes").map((n) => [n.metadata.name, n]));
        ok(kubectl(["create", "-f", file]), "create Domino-shaped workloads for both deployments");
        try {
            // Per deployment: 2 + 1 + 6 DaemonSet pods (every one of its nodes, GPU ones too) + 3 runs.
            const pods = await waitFor("both deployments' Domino-shaped pods to run", 180, () => {
                const ps = kubeList("pods", ["-A", "-l", "e2e-two-deployments=true"]);
                return ps.length >= 24 && ps.every((p) => (p.status as { phase?: string }).phase === "Running") ? ps : undefined;
            });
            assert.equal(pods.length, 24);
            for (const d of [domino, beta]) {
                const own = pods.filter((p) => p.metadata.namespace === d.platformNamespace || p.metadata.namespace === d.computeNamespace);
                assert.equal(own.length, 12, `${d.name}'s pods`);
                const expected = workloads[d.name as "domino" | "beta"].expected;
                for (const p of own) {
                    const nodeName = (p.spec as { nodeName?: string }).nodeName ?? "";
                    const node = nodes.get(nodeName);
                    const where = `${p.metadata.namespace}/${p.metadata.name} on ${nodeName}`;
                    const labels = node?.metadata.labels ?? {};
                    const taints = ((node?.spec as { taints?: { key: string; value?: string }[] } | undefined)?.taints ?? []).filter(
                        (t) => t.key === dedicatedKey,
                    );
                    assert.deepEqual(
                        taints.map((t) => t.value),
                        [d.name],
                        `${where}: not on a node dedicated to ${d.name}`,
                    );
                    assert.ok(Object.values(d.pools).includes(labels[poolKey]), `${where}: pool ${labels[poolKey]} is not one of ${d.name}'s`);
                    const prefix = Object.keys(expected).find((k) => p.metadata.name.startsWith(k));
                    assert.ok(prefix, where);
                    if (expected[prefix]) assert.equal(labels[poolKey], expected[prefix], where);
                    // Only its own deployment's placement policy touched it.
                    const tolerated = ((p.spec as { tolerations?: { key?: string; value?: string }[] }).tolerations ?? []).filter(
                        (t) => t.key === dedicatedKey,
                    );
                    assert.deepEqual(
                        tolerated.map((t) => t.value),
                        [d.name],
                        `${where}: dedicated tolerations`,
                    );
                }
                assert.equal(
                    own.filter((p) => p.metadata.name.startsWith(`two-${d.name}-node-agent`)).length,
                    6,
                    `${d.name}'s DaemonSet pods (all 6 of its nodes)`,
                );
            }
        } finally {
            kubectl(["delete", "-f", file, "--wait=true", "--timeout=90s"], 120);
        }
    });

    it("destroys beta and leaves every object of domino byte-identical", async () => {
        const ofDomino = await stateObjects(stacks.domino!);
        const ofBeta = await stateObjects(stacks.beta!);
        const before = liveSnapshot(ofDomino);
        assert.ok(
            before.size >= ofDomino.length,
            `the snapshot holds ${before.size} objects, domino's state ${ofDomino.length}: ${ofDomino
                .map(idOf)
                .filter((id) => !before.has(id))
                .join(", ")}`,
        );
        timings.destroyBeta = succeeded(await destroy(stacks.beta!, { progress }), "destroy beta").seconds;
        const after = liveSnapshot(ofDomino);
        const changed = [...before.keys()].filter((id) => JSON.stringify(after.get(id)) !== JSON.stringify(before.get(id)));
        const added = [...after.keys()].filter((id) => !before.has(id));
        assert.deepEqual(changed, [], "domino's objects changed (uid, resourceVersion or any field) or vanished");
        assert.deepEqual(added, [], "objects appeared in domino's namespaces");
        // And beta is gone: none of its cluster-scoped objects or namespaces is left.
        const liveIds = new Set(kubeList(clusterKinds, []).map((o) => idOf({ kind: o.kind, name: o.metadata.name })));
        assert.deepEqual(ofBeta.filter((o) => !o.namespace && liveIds.has(idOf(o))).map(idOf), [], "beta's cluster-scoped objects left");
    });
});
