// Preflight at preview and up: the program's gate before it registers anything, driven
// through a fake facts source (no cluster), and the live text source's secrecy.

import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { buildModel, type DeploymentModel } from "../../components/model/model";
import { expectationsFrom, type ClusterFacts } from "../../components/preflight";
import { adoptedClusterPreflight, skipReason, type FactsSource } from "../../components/preflight/atPreview";
import { kubeconfigTextSource } from "../../components/preflight/live";
import { preflight, type PreflightInputs } from "../../components/program";
import { readStackConfig, stackFile } from "../../plan/engine";

function stackModel(stack: string, edit: (t: Record<string, unknown>) => void = () => {}): DeploymentModel {
    const { config } = readStackConfig(stackFile(stack), "domino-tenancy");
    const tenancy = JSON.parse(config["domino-tenancy:tenancy"]) as Record<string, unknown>;
    edit(tenancy);
    return buildModel(tenancy, stack);
}

/** The local cluster as preflight reads it: every pool's nodes labelled and tainted, the APIs served. */
function matchingCluster(model: DeploymentModel): ClusterFacts {
    const expect = expectationsFrom(model);
    return {
        gitVersion: "v1.36.3",
        minor: 36,
        csiDrivers: expect.storageClasses.map((sc) => sc.provisioner),
        nodes: expect.pools.map((p) => ({
            name: `${p.name}-0`,
            labels: { ...p.labels },
            taints: [...p.taints],
            allocatable: p.role === "gpu" ? { "nvidia.com/gpu": "1" } : ({} as Record<string, string>),
        })),
        apiResources: {
            "networking.k8s.io/v1": ["networkpolicies"],
            "admissionregistration.k8s.io/v1": ["validatingadmissionpolicies", "validatingadmissionpolicybindings", "mutatingadmissionpolicies"],
            "flowcontrol.apiserver.k8s.io/v1": ["flowschemas", "prioritylevelconfigurations"],
        },
    };
}

interface Recorded {
    info: string[];
    warn: string[];
    asked: number;
}

async function gate(model: DeploymentModel, facts: (m: DeploymentModel) => ClusterFacts | Error): Promise<Recorded & { error?: unknown }> {
    const rec: Recorded = { info: [], warn: [], asked: 0 };
    const source = (): FactsSource => {
        rec.asked++;
        return {
            describe: ".cluster/kubeconfig (tenancy.cluster.kubeconfigPath)",
            gather: async () => {
                const f = facts(model);
                if (f instanceof Error) throw f;
                return f;
            },
        };
    };
    const inputs: PreflightInputs = { model };
    try {
        await preflight(inputs, source, { info: (m) => rec.info.push(m), warn: (m) => rec.warn.push(m) });
        return rec;
    } catch (error) {
        return { ...rec, error };
    }
}

/** The pool whose nodePoolLabel no node carries, as the e2e's broken variant. */
const unlabelled = (t: Record<string, unknown>) => {
    (t.nodePools as { nodePoolLabel?: string }[])[1].nodePoolLabel = "compute-missing";
};

describe("preflight at preview", () => {
    it("lets an adopted cluster that matches the stack through, logging one summary line", async () => {
        // A CSI block provisioner, so a matching cluster has nothing to warn about.
        const model = stackModel("local", (t) => {
            (t.domino as { storageClasses: { block: { provisioner: string } } }).storageClasses.block.provisioner = "local.csi.example.com";
        });
        const r = await gate(model, matchingCluster);
        assert.equal(r.error, undefined);
        assert.equal(r.asked, 1);
        assert.deepEqual(r.warn, []);
        assert.match(r.info.join("\n"), /Kubernetes v1\.36\.3\): 0 error\(s\), 0 warning\(s\), 5 check\(s\) passed/);
    });

    it("fails with a RunError listing each error finding and what to do, by default", async () => {
        const model = stackModel("local", unlabelled);
        assert.equal(model.preflight, "error", "error is the default");
        const r = await gate(model, () => {
            const facts = matchingCluster(stackModel("local"));
            return { ...facts, csiDrivers: facts.csiDrivers.filter((d) => d !== "nfs.csi.k8s.io") };
        });
        assert.ok(pulumi.RunError.isInstance(r.error), "a RunError, so the engine prints the message without a stack trace");
        const message = (r.error as Error).message;
        assert.match(message, /preflight found 2 problem\(s\) in the cluster of \.cluster\/kubeconfig/);
        assert.match(message, /\[pool-nodes\] pool compute: no node carries dominodatalab\.com\/node-pool=compute-missing\n {6}-> label the pool's nodes/);
        assert.match(message, /\[storage-drivers\] StorageClass .*no CSIDriver/);
        assert.match(message, /set tenancy\.preflight: warn/);
    });

    it("logs error findings as warnings and goes on under preflight: warn", async () => {
        const model = stackModel("local", (t) => {
            unlabelled(t);
            t.preflight = "warn";
        });
        const r = await gate(model, () => matchingCluster(stackModel("local")));
        assert.equal(r.error, undefined);
        assert.ok(
            r.warn.some((w) => /preflight error \(tenancy\.preflight: warn\) \[pool-nodes\] pool compute: no node carries/.test(w)),
            r.warn.join("\n"),
        );
    });

    it("logs warning findings with pulumi.log.warn without failing", async () => {
        const model = stackModel("local");
        const r = await gate(model, (m) => {
            const facts = matchingCluster(m);
            return { ...facts, nodes: facts.nodes.map((n) => ({ ...n, allocatable: {} })) };
        });
        assert.equal(r.error, undefined);
        assert.ok(
            r.warn.some((w) => /\[gpu-capacity\] pool gpu: node gpu-0 advertises no nvidia\.com\/gpu/.test(w)),
            r.warn.join("\n"),
        );
    });

    it("fails on an unreachable cluster by default, naming the switch for previews without it", async () => {
        const r = await gate(stackModel("local"), () => new Error("cannot reach the server (connect ECONNREFUSED)"));
        assert.ok(pulumi.RunError.isInstance(r.error));
        assert.match((r.error as Error).message, /preflight cannot read the cluster of .*ECONNREFUSED[\s\S]*set tenancy\.preflight: warn/);
    });

    it("only warns about an unreachable cluster under preflight: warn", async () => {
        const r = await gate(
            stackModel("local", (t) => (t.preflight = "warn")),
            () => new Error("cannot reach the server"),
        );
        assert.equal(r.error, undefined);
        assert.match(r.warn.join("\n"), /preflight cannot read the cluster .*\(tenancy\.preflight: warn, continuing\)/);
    });

    it("never asks the cluster under preflight: off", async () => {
        const r = await gate(
            stackModel("local", (t) => (t.preflight = "off")),
            () => new Error("must not be asked"),
        );
        assert.equal(r.error, undefined);
        assert.equal(r.asked, 0);
        assert.match(r.info.join("\n"), /skipped \(tenancy\.preflight: off\)/);
    });

    for (const stack of ["dev-aws", "prod-gcp"]) {
        it(`skips a cluster the stack creates (${stack}) with an info line, never asking it`, async () => {
            const r = await gate(stackModel(stack), () => new Error("must not be asked"));
            assert.equal(r.error, undefined);
            assert.equal(r.asked, 0);
            assert.match(r.info.join("\n"), /skipped, the (aws|gcp) cluster is created by this stack and does not exist at preview/);
        });
    }

    it("skips an adopted EKS cluster (prod-aws), whose credentials come from the cloud's exec plugin, with an info line", async () => {
        const r = await gate(stackModel("prod-aws"), () => new Error("must not be asked"));
        assert.equal(r.error, undefined);
        assert.equal(r.asked, 0);
        assert.match(r.info.join("\n"), /skipped at preview for the adopted aws cluster shared-prod-use1/);
    });

    it("says exactly what checks an adopted EKS or GKE cluster: the cloud CLI's kubeconfig, then preflight through it", () => {
        const eks = stackModel("prod-aws").cluster;
        assert.equal(
            adoptedClusterPreflight(eks, "prod-aws"),
            "aws eks update-kubeconfig --name shared-prod-use1 --region us-east-1 --kubeconfig /tmp/domino-tenancy-prod-aws.kubeconfig" +
                " && npm run preflight -- --stack prod-aws --kubeconfig /tmp/domino-tenancy-prod-aws.kubeconfig",
        );
        const gke = { ...(stackModel("prod-gcp").cluster as Extract<DeploymentModel["cluster"], { cloud: "gcp" }>), mode: "adopt" as const };
        assert.equal(
            adoptedClusterPreflight(gke, "prod-gcp"),
            `KUBECONFIG=/tmp/domino-tenancy-prod-gcp.kubeconfig gcloud container clusters get-credentials ${gke.name} --location us-central1 --project acme-domino-prod` +
                " && npm run preflight -- --stack prod-gcp --kubeconfig /tmp/domino-tenancy-prod-gcp.kubeconfig",
        );
        assert.match(
            skipReason({ ...stackModel("prod-gcp"), cluster: gke }, "prod-gcp") ?? "",
            /^preflight: skipped at preview for the adopted gcp cluster .*; to check it, run: KUBECONFIG=/,
        );
        assert.equal(adoptedClusterPreflight(stackModel("local").cluster, "local"), undefined);
    });

    it("never prints a secret kubeconfig's token or server when the cluster cannot be reached", async () => {
        const secretServer = "https://127.0.0.1:9";
        const kubeconfig = JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "c", cluster: { server: secretServer, "insecure-skip-tls-verify": true } }],
            users: [{ name: "u", user: { token: "tok-s3cr3t-value" } }],
            contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
            "current-context": "x",
        });
        const rec: string[] = [];
        let error: unknown;
        try {
            await preflight(
                { model: stackModel("local") },
                () => kubeconfigTextSource(kubeconfig, process.cwd(), undefined, "the secret config value `kubeconfig`"),
                { info: (m) => rec.push(m), warn: (m) => rec.push(m) },
            );
        } catch (err) {
            error = err;
        }
        assert.ok(pulumi.RunError.isInstance(error));
        const everything = `${(error as Error).message}\n${rec.join("\n")}`;
        assert.match(everything, /cannot read the cluster of the secret config value `kubeconfig`/);
        assert.doesNotMatch(everything, /s3cr3t/);
        assert.doesNotMatch(everything, /127\.0\.0\.1:9/);
    });
});
