// Preflight checks, each against a cluster that matches the local stack exactly and
// then one tweak away from it (pod-security-admission's fixtures style).

import { strict as assert } from "assert";
import { buildModel } from "../../components/model/model";
import { allChecks, exitCodeOf, expectationsFrom, judge, type ClusterFacts, type Expectations, type Finding } from "../../components/preflight";
import { credentialsFrom, KubeconfigError } from "../../components/cloud/kubeconfigReader";
import { readStackConfig, stackFile } from "../../plan/engine";

function localStack(): Expectations {
    const { config } = readStackConfig(stackFile("local"), "domino-tenancy");
    return expectationsFrom(buildModel(JSON.parse(config["domino-tenancy:tenancy"]), "local"));
}

/** The local stack with a CSI block provisioner, so a matching cluster has nothing to warn about. */
function localExpectations(): Expectations {
    const stack = localStack();
    return { ...stack, storageClasses: stack.storageClasses.map((sc) => (sc.kind === "block" ? { ...sc, provisioner: "local.csi.example.com" } : sc)) };
}

/** The cluster `npm run cluster -- up` makes for the local stack, as preflight reads it. */
function matchingCluster(expect: Expectations): ClusterFacts {
    return {
        gitVersion: "v1.36.3",
        minor: 36,
        csiDrivers: ["nfs.csi.k8s.io", "local.csi.example.com"],
        nodes: [
            ...expect.pools.map((p) => ({
                name: `${p.name}-0`,
                labels: { ...p.labels },
                taints: [...p.taints],
                allocatable: p.role === "gpu" ? { "nvidia.com/gpu": "1" } : ({} as Record<string, string>),
            })),
            { name: "acme-0", labels: { tenant: "acme" }, taints: [], allocatable: {} },
        ],
        apiResources: {
            "networking.k8s.io/v1": ["networkpolicies"],
            "admissionregistration.k8s.io/v1": ["validatingadmissionpolicies", "validatingadmissionpolicybindings", "mutatingadmissionpolicies"],
            "flowcontrol.apiserver.k8s.io/v1": ["flowschemas", "prioritylevelconfigurations"],
        },
    };
}

const problems = (findings: Finding[]) => findings.filter((f) => f.severity !== "ok");

interface Case {
    readonly name: string;
    readonly tweak: (c: ClusterFacts & Record<string, unknown>) => ClusterFacts;
    readonly check: string;
    readonly severity: "error" | "warning";
    readonly message: RegExp;
}

const without = (c: ClusterFacts, node: string, key: string): ClusterFacts => ({
    ...c,
    nodes: c.nodes.map((n) => (n.name === node ? { ...n, labels: Object.fromEntries(Object.entries(n.labels).filter(([k]) => k !== key)) } : n)),
});

const cases: Case[] = [
    {
        name: "refuses an API server older than Pod Security Admission",
        tweak: (c) => ({ ...c, gitVersion: "v1.24.9", minor: 24 }),
        check: "kubernetes-version",
        severity: "error",
        message: /v1\.24\.9; the stack needs Kubernetes 1\.25 or newer/,
    },
    {
        name: "flags a StorageClass whose CSI driver the cluster lacks",
        tweak: (c) => ({ ...c, csiDrivers: ["local.csi.example.com"] }),
        check: "storage-drivers",
        severity: "error",
        message: /no CSIDriver 'nfs\.csi\.k8s\.io'.*would stay Pending/,
    },
    {
        name: "flags a pool with no node at all on an adopted cluster",
        tweak: (c) => ({ ...c, nodes: c.nodes.filter((n) => n.name !== "compute-0") }),
        check: "pool-nodes",
        severity: "error",
        message: /pool compute: no node carries dominodatalab\.com\/node-pool=default/,
    },
    {
        name: "flags a pool node that lost a label",
        tweak: (c) => without(c, "compute-0", "dominodatalab.com/build-node"),
        check: "pool-nodes",
        severity: "error",
        message: /node compute-0 lacks labels dominodatalab\.com\/build-node=true/,
    },
    {
        name: "flags a pool node without the dedicated taint, which would take other tenants' work",
        tweak: (c) => ({ ...c, nodes: c.nodes.map((n) => (n.name === "platform-0" ? { ...n, taints: [] } : n)) }),
        check: "pool-nodes",
        severity: "error",
        message: /node platform-0 lacks taints dominodatalab\.com\/dedicated=domino:NoSchedule/,
    },
    {
        name: "warns about a node labelled for a pool the deployment does not declare",
        tweak: (c) => ({ ...c, nodes: [...c.nodes, { name: "stray-0", labels: { "dominodatalab.com/node-pool": "highmem" }, taints: [], allocatable: {} }] }),
        check: "pool-nodes",
        severity: "warning",
        message: /stray-0 carries dominodatalab\.com\/node-pool=highmem/,
    },
    {
        name: "warns about a GPU node that advertises no GPU",
        tweak: (c) => ({ ...c, nodes: c.nodes.map((n) => (n.name === "gpu-0" ? { ...n, allocatable: {} } : n)) }),
        check: "gpu-capacity",
        severity: "warning",
        message: /node gpu-0 advertises no nvidia\.com\/gpu/,
    },
    {
        name: "refuses a server without NetworkPolicy",
        tweak: (c) => ({ ...c, apiResources: { ...c.apiResources, "networking.k8s.io/v1": [] } }),
        check: "served-apis",
        severity: "error",
        message: /does not serve networkpolicies/,
    },
    {
        name: "refuses, under dedicated isolation, a server without MutatingAdmissionPolicy v1: Domino's pods would stay Pending",
        tweak: (c) => ({
            ...c,
            gitVersion: "v1.34.4",
            minor: 34,
            apiResources: { ...c.apiResources, "admissionregistration.k8s.io/v1": ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] },
        }),
        check: "served-apis",
        severity: "error",
        message: /mutatingadmissionpolicies in admissionregistration\.k8s\.io\/v1: under dedicated isolation.*stay Pending/,
    },
    {
        name: "refuses a server that does not serve ValidatingAdmissionPolicy v1 (older than 1.30): the runtime twins cannot be registered",
        // The 1.36 server the e2e starts with VAP turned off: MutatingAdmissionPolicy still served.
        tweak: (c) => ({ ...c, apiResources: { ...c.apiResources, "admissionregistration.k8s.io/v1": ["mutatingadmissionpolicies"] } }),
        check: "served-apis",
        severity: "error",
        message: /does not serve validatingadmissionpolicies in admissionregistration\.k8s\.io\/v1: the tenancy rules' runtime twins/,
    },
    {
        name: "refuses a server without API Priority and Fairness v1: Domino's priority level cannot be registered",
        tweak: (c) => ({ ...c, apiResources: { ...c.apiResources, "flowcontrol.apiserver.k8s.io/v1": [] } }),
        check: "served-apis",
        severity: "error",
        message: /does not serve flowschemas in flowcontrol\.apiserver\.k8s\.io\/v1/,
    },
];

describe("preflight", () => {
    const expect = localExpectations();

    it("passes a cluster that matches the local stack, one ok line per check", () => {
        const findings = judge(expect, matchingCluster(expect));
        assert.deepEqual(problems(findings), []);
        assert.deepEqual(
            findings.map((f) => f.check),
            allChecks.map((c) => c.name),
        );
        assert.equal(exitCodeOf(findings), 0);
    });

    for (const c of cases) {
        it(c.name, () => {
            const findings = judge(expect, c.tweak(matchingCluster(expect) as ClusterFacts & Record<string, unknown>));
            const found = problems(findings);
            assert.equal(found.length, 1, `expected exactly one finding, got:\n${found.map((f) => `${f.check}: ${f.message}`).join("\n")}`);
            assert.equal(found[0].check, c.check);
            assert.equal(found[0].severity, c.severity);
            assert.match(found[0].message, c.message);
            assert.ok(found[0].fix && found[0].fix.length > 10, "every problem says what to do");
            assert.equal(exitCodeOf(findings), c.severity === "error" ? 1 : 0);
        });
    }

    it("leaves another deployment's dedicated nodes alone, even one whose pool label has the same value as ours", () => {
        const beta = (name: string, pool: string) => ({
            name,
            labels: { "dominodatalab.com/node-pool": pool, "dominodatalab.com/domino-node": "true" },
            taints: [{ key: "dominodatalab.com/dedicated", value: "beta", effect: "NoSchedule" as const }],
            allocatable: {},
        });
        const cluster = matchingCluster(expect);
        const withBeta = { ...cluster, nodes: [...cluster.nodes, beta("beta-platform-0", "beta-platform"), beta("beta-compute-0", "default")] };
        assert.deepEqual(problems(judge(expect, withBeta)), []);
        // A node labelled for one of our pools and tainted for no one is still ours, and judged.
        const untainted = { ...withBeta, nodes: [...withBeta.nodes, { ...beta("stray-compute-0", "default"), taints: [] }] };
        assert.match(
            problems(judge(expect, untainted))
                .map((f) => f.message)
                .join("\n"),
            /node stray-compute-0 lacks .*taints dominodatalab\.com\/dedicated=domino:NoSchedule/,
        );
    });

    it("tells a dedicated stack on a pre-1.36 server its two ways out, and asks nothing of a shared one", () => {
        const old = (c: ClusterFacts): ClusterFacts => ({
            ...c,
            apiResources: { ...c.apiResources, "admissionregistration.k8s.io/v1": ["validatingadmissionpolicies"] },
        });
        const [finding] = problems(judge(expect, old(matchingCluster(expect))));
        assert.match(finding.fix ?? "", /Kubernetes 1\.36\+.*isolation: shared/);
        const shared: Expectations = { ...expect, isolation: "shared", apis: expect.apis.filter((a) => a.resource !== "mutatingadmissionpolicies") };
        assert.deepEqual(problems(judge(shared, old(matchingCluster(shared)))), []);
    });

    it("tells a stack with admission twins on a pre-1.30 server its two ways out, and asks nothing of one with admission off", () => {
        const old = (c: ClusterFacts): ClusterFacts => ({ ...c, apiResources: { ...c.apiResources, "admissionregistration.k8s.io/v1": [] } });
        const shared: Expectations = { ...expect, isolation: "shared", apis: expect.apis.filter((a) => a.resource !== "mutatingadmissionpolicies") };
        const [finding] = problems(judge(shared, old(matchingCluster(shared))));
        assert.match(finding.fix ?? "", /Kubernetes 1\.30\+.*admission\.enabled: false/);
        const { config } = readStackConfig(stackFile("local"), "domino-tenancy");
        const tenancy = JSON.parse(config["domino-tenancy:tenancy"]) as { domino: Record<string, unknown> };
        tenancy.domino.admission = { enabled: false };
        const off = expectationsFrom(buildModel(tenancy, "local"));
        assert.deepEqual(
            off.apis.filter((a) => ["validatingadmissionpolicies", "flowschemas"].includes(a.resource)),
            [],
        );
    });

    it("gives every check a name, a reason and what a pass means", () => {
        for (const check of allChecks) {
            assert.match(check.name, /^[a-z]+(-[a-z]+)*$/);
            assert.ok(check.why.length > 60, `${check.name}: say why`);
            assert.ok(check.passes.length > 20, check.name);
        }
    });

    it("warns that a non-CSI provisioner such as the local stack's rancher.io/local-path cannot be verified", () => {
        const stack = localStack();
        const found = problems(judge(stack, matchingCluster(stack)));
        assert.deepEqual(
            found.map((f) => [f.check, f.severity]),
            [["storage-drivers", "warning"]],
        );
        assert.match(found[0].message, /'rancher\.io\/local-path' is not a CSI driver/);
    });

    it("tolerates an empty pool that its cloud scales from zero", () => {
        const scaled = { ...expect, poolsCreatedByStack: true, pools: expect.pools.map((p) => (p.role === "gpu" ? { ...p, mayBeEmpty: true } : p)) };
        const cluster = matchingCluster(expect);
        assert.deepEqual(problems(judge(scaled, { ...cluster, nodes: cluster.nodes.filter((n) => n.name !== "gpu-0") })), []);
    });

    describe("kubeconfig", () => {
        const kubeconfig = (user: object) =>
            JSON.stringify({
                apiVersion: "v1",
                clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:6443/", "certificate-authority-data": Buffer.from("CA").toString("base64") } }],
                users: [{ name: "u", user }],
                contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
                "current-context": "x",
            });

        it("reads the current context's server, CA and token", () => {
            const creds = credentialsFrom(kubeconfig({ token: "s3cret-token" }), undefined);
            assert.equal(creds.server, "https://127.0.0.1:6443");
            assert.equal(creds.ca?.toString(), "CA");
            assert.equal(creds.token, "s3cret-token");
        });

        it("names a missing context without printing any credential", () => {
            assert.throws(
                () => credentialsFrom(kubeconfig({ token: "s3cret-token" }), undefined, "other"),
                (err: Error) => err instanceof KubeconfigError && /no context named 'other'/.test(err.message) && !err.message.includes("s3cret"),
            );
        });

        it("takes the token an exec plugin prints, as kubectl does", () => {
            const status = JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: "from-exec" } });
            const creds = credentialsFrom(
                kubeconfig({ exec: { command: process.execPath, args: ["-e", `process.stdout.write(${JSON.stringify(status)})`] } }),
                undefined,
            );
            assert.equal(creds.token, "from-exec");
        });
    });
});
