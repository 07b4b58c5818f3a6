// Least privilege for consuming teams: each team's namespace, ServiceAccount and Role
// (components/kubernetes/consumerAccess.ts), the published exports, the TokenRequest
// resource (components/tenancy/serviceAccountToken.ts) and the plan of a stack with
// consumers: only namespaced rights, the pack green, no token or kubeconfig in a plan.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { deploymentLabel } from "@domino-tenancy/core";
import { ConfigError } from "../../components/model/schema";
import {
    buildConsumerAccess,
    consumerLabel,
    deployerRole,
    exportsConfigMap,
    exportsReaderRole,
    scopedKubeconfig,
} from "../../components/kubernetes/consumerAccess";
import type { Manifest } from "../../components/kubernetes/manifest";
import { componentArgs } from "../../components/program";
import { exportsFromModel, exportsContractVersion, publishedExportsSchema } from "../../components/contract/exports";
import { parsePublishedExports, StackExportsError } from "../../components/contract/reader";
import {
    needsRenewal,
    serviceAccountTokenProvider,
    tokenRequestBody,
    tokenRequestPath,
    type ServiceAccountTokenOutputs,
} from "../../components/tenancy/serviceAccountToken";
import { ConsumerAccess } from "../../components/tenancy/consumerAccess";
import { providerCodePlaceholder, runProgram, secretPlaceholder } from "../../plan/engine";
import { roleProblems } from "../../policy/rules/rbac-least-privilege/rule";
import { checkPlan } from "../../policy/lib/check";
import { allRules } from "../../policy/rules";
import { acmeModel } from "../helpers/acmeModel";

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };

const model = acmeModel("dedicated", [{ name: "feature-store" }, { name: "reporting", namespace: "acme-reports", tokenLifetimeHours: 24 }]);
const manifests = buildConsumerAccess(componentArgs(model).consumerAccess);
const of = (kind: Manifest["kind"], namespace?: string) =>
    manifests.filter((m) => m.kind === kind && (namespace === undefined || m.metadata.namespace === namespace));

describe("consumer access (components/kubernetes/consumerAccess.ts)", () => {
    it("creates nothing, not even the published exports, without consumers", () => {
        assert.deepEqual(buildConsumerAccess(componentArgs(acmeModel("dedicated", [])).consumerAccess), []);
    });

    it("gives each consumer a namespace of its own, prefixed, Pod Security restricted, without Domino's deployment label", () => {
        const namespaces = of("Namespace");
        assert.deepEqual(
            namespaces.map((n) => n.metadata.name),
            ["acme-feature-store", "acme-reports"],
        );
        for (const ns of namespaces) {
            const labels = ns.metadata.labels as Record<string, string>;
            assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
            // Domino's namespaces admit ingress from every namespace carrying it.
            assert.equal(labels[deploymentLabel], undefined, `${ns.metadata.name} carries ${deploymentLabel}`);
            assert.ok(labels[consumerLabel]);
        }
    });

    it("closes each consumer namespace (default-deny ingress) and bounds it with a quota that forbids NodePorts and load balancers", () => {
        for (const ns of ["acme-feature-store", "acme-reports"]) {
            const deny = of("NetworkPolicy", ns);
            assert.equal(deny.length, 1);
            assert.deepEqual((deny[0] as { spec: unknown }).spec, { podSelector: {}, policyTypes: ["Ingress"] });
            const [quota] = of("ResourceQuota", ns) as { spec: { hard: Record<string, string> } }[];
            assert.deepEqual(
                {
                    cpu: quota.spec.hard["requests.cpu"],
                    memory: quota.spec.hard["limits.memory"],
                    np: quota.spec.hard["services.nodeports"],
                    lb: quota.spec.hard["services.loadbalancers"],
                },
                { cpu: "4", memory: "16Gi", np: "0", lb: "0" },
            );
            assert.equal(of("LimitRange", ns).length, 1);
        }
    });

    it("grants a consumer's ServiceAccount only namespaced rights in its own namespace, plus get on the exports ConfigMap by name", () => {
        assert.equal(of("ClusterRole").length + of("ClusterRoleBinding").length, 0, "no cluster-wide rights");
        for (const c of model.consumers) {
            const bindings = of("RoleBinding").filter((b) =>
                ((b as { subjects: { name: string; namespace: string }[] }).subjects ?? []).some(
                    (s) => s.name === c.serviceAccount && s.namespace === c.namespace,
                ),
            ) as { metadata: { namespace: string }; roleRef: { kind: string; name: string } }[];
            assert.deepEqual(
                bindings.map((b) => `${b.metadata.namespace}/${b.roleRef.kind}/${b.roleRef.name}`).sort(),
                [`${c.namespace}/Role/${deployerRole}`, `${model.namespaces.system}/Role/${exportsReaderRole}`].sort(),
                c.name,
            );
        }
        const [reader] = of("Role", model.namespaces.system) as { metadata: { name: string }; rules: Rule[] }[];
        assert.equal(reader.metadata.name, exportsReaderRole);
        assert.deepEqual(reader.rules, [{ apiGroups: [""], resources: ["configmaps"], resourceNames: [exportsConfigMap.name], verbs: ["get"] }]);
    });

    it("lets a consumer deploy workloads and read what they produce, but never exec, DaemonSets, disruption budgets, RBAC or a wildcard", () => {
        const [role] = of("Role", "acme-feature-store") as { rules: Rule[] }[];
        assert.deepEqual(roleProblems(role.rules), [], "the pack's rbac-least-privilege finds nothing");
        const can = (group: string, resource: string, verb: string) =>
            role.rules.some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs?.includes(verb));
        for (const [g, res] of [
            ["apps", "deployments"],
            ["apps", "statefulsets"],
            ["batch", "jobs"],
            ["", "services"],
            ["", "configmaps"],
            ["", "secrets"],
        ]) {
            assert.ok(can(g, res, "create") && can(g, res, "delete"), `${g}/${res}`);
        }
        assert.ok(can("", "pods", "get") && can("", "pods/log", "get") && !can("", "pods", "create"));
        for (const [g, res] of [
            ["apps", "daemonsets"],
            ["", "pods/exec"],
            ["", "pods/portforward"],
            ["policy", "poddisruptionbudgets"],
            ["rbac.authorization.k8s.io", "roles"],
            ["rbac.authorization.k8s.io", "rolebindings"],
            ["", "namespaces"],
        ]) {
            assert.ok(!role.rules.some((r) => r.apiGroups?.includes(g) && r.resources?.includes(res)), `${g}/${res} is granted`);
        }
        assert.ok(!can("networking.k8s.io", "networkpolicies", "delete"), "a consumer could open its own namespace");
        assert.ok(!can("", "resourcequotas", "update"), "a consumer could lift its own quota");
    });

    it("publishes the non-secret contract in the system namespace, and it reads back through the reader as version 2", () => {
        const [cm] = of("ConfigMap", model.namespaces.system) as { metadata: { name: string }; data: Record<string, string> }[];
        assert.equal(cm.metadata.name, exportsConfigMap.name);
        const published = parsePublishedExports(cm.data[exportsConfigMap.key], "acme's exports ConfigMap");
        assert.deepEqual(published, exportsFromModel(model));
        assert.equal(published.contractVersion, exportsContractVersion);
        assert.equal(exportsContractVersion, 2);
        assert.deepEqual(published.publishedExports, { namespace: "acme-system", configMap: exportsConfigMap.name, key: exportsConfigMap.key });
        assert.doesNotMatch(cm.data[exportsConfigMap.key], /kubeconfig|token/i);
        assert.ok(!("adminKubeconfig" in publishedExportsSchema.shape) && !("consumers" in publishedExportsSchema.shape));
    });

    it("refuses published exports of another version, or not JSON, saying which", () => {
        const text = JSON.stringify({ ...exportsFromModel(model), contractVersion: 1 });
        assert.throws(
            () => parsePublishedExports(text, "cm"),
            (e: unknown) => e instanceof StackExportsError && e.kind === "older" && /Version 2:/.test(e.message),
        );
        assert.throws(() => parsePublishedExports("{", "cm"), /not JSON/);
    });

    it("writes a kubeconfig with one cluster, one token user and one context defaulting to the consumer's namespace", () => {
        const doc = JSON.parse(
            scopedKubeconfig({
                clusterName: "c1",
                server: "https://api.example.test",
                certificateAuthorityData: "Q0E=",
                consumer: "fs",
                namespace: "acme-fs",
                token: "t0k",
            }),
        ) as {
            clusters: unknown[];
            users: { user: Record<string, unknown> }[];
            contexts: { name: string; context: Record<string, string> }[];
            "current-context": string;
        };
        assert.equal(doc.clusters.length, 1);
        assert.deepEqual(doc.users, [{ name: "fs", user: { token: "t0k" } }]);
        assert.deepEqual(doc.contexts, [{ name: "c1-fs", context: { cluster: "c1", user: "fs", namespace: "acme-fs" } }]);
        assert.equal(doc["current-context"], "c1-fs");
    });
});

describe("consumers in the config (tenancy.consumers)", () => {
    it("defaults a consumer's namespace to <domino.name>-<name> and its token to 30 days", () => {
        const [fs_, reports] = model.consumers;
        assert.deepEqual(
            { ns: fs_.namespace, sa: fs_.serviceAccount, ttl: fs_.tokenLifetimeSeconds },
            { ns: "acme-feature-store", sa: "feature-store-deployer", ttl: 30 * 24 * 3600 },
        );
        assert.equal(reports.tokenLifetimeSeconds, 24 * 3600);
    });

    it("names the path and what is allowed for an unprefixed or taken namespace, a repeated name, or a lifetime out of 24h..90d", () => {
        const messages = (consumers: unknown[]): string[] => {
            try {
                acmeModel("dedicated", consumers);
            } catch (e) {
                assert.ok(e instanceof ConfigError);
                return e.issues.map((i) => `${i.path}: ${i.message}`);
            }
            return [];
        };
        assert.match(messages([{ name: "a", namespace: "other" }]).join("\n"), /tenancy.consumers\[0\].namespace: 'other' does not start with 'acme-'/);
        assert.match(messages([{ name: "compute" }]).join("\n"), /tenancy.consumers\[0\].namespace: 'acme-compute' is already the compute namespace/);
        assert.match(messages([{ name: "a" }, { name: "a", namespace: "acme-b" }]).join("\n"), /tenancy.consumers\[1\].name: 'a' is listed twice/);
        assert.match(messages([{ name: "a", tokenLifetimeHours: 2161 }]).join("\n"), /tenancy.consumers\[0\].tokenLifetimeHours/);
        // The TokenRequest API refuses less than 10 minutes: 0.17 h (612 s) is the least allowed.
        assert.match(messages([{ name: "a", tokenLifetimeHours: 0.1 }]).join("\n"), /tenancy.consumers\[0\].tokenLifetimeHours/);
        assert.deepEqual(messages([{ name: "a", tokenLifetimeHours: 0.17 }]), []);
    });
});

describe("ServiceAccount tokens (components/tenancy/serviceAccountToken.ts)", () => {
    const day = 24 * 3600;
    const now = new Date("2026-11-30T00:00:00Z");
    const at = (daysFromNow: number) => new Date(now.getTime() + daysFromNow * day * 1000).toISOString();
    const olds = (expires: string): ServiceAccountTokenOutputs => ({
        namespace: "acme-fs",
        serviceAccount: "fs-deployer",
        expirationSeconds: 30 * day,
        token: "t",
        expirationTimestamp: expires,
        server: "https://x",
        insecureSkipTlsVerify: false,
    });
    const news = { kubeconfig: "k", namespace: "acme-fs", serviceAccount: "fs-deployer", expirationSeconds: 30 * day };

    it("asks the TokenRequest subresource of the ServiceAccount for the configured lifetime", () => {
        assert.equal(tokenRequestPath("acme-fs", "fs-deployer"), "/api/v1/namespaces/acme-fs/serviceaccounts/fs-deployer/token");
        assert.deepEqual(tokenRequestBody(3600), { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } });
    });

    it("renews once less than a third of the lifetime is left, or when the expiry cannot be read", () => {
        assert.equal(needsRenewal(at(25), 30 * day, now), false);
        assert.equal(needsRenewal(at(10.5), 30 * day, now), false);
        assert.equal(needsRenewal(at(9.5), 30 * day, now), true);
        assert.equal(needsRenewal(at(-1), 30 * day, now), true);
        assert.equal(needsRenewal(undefined, 30 * day, now), true);
        assert.equal(needsRenewal("not a date", 30 * day, now), true);
    });

    it("replaces the token on `pulumi up` near its expiry or when its ServiceAccount changes, and keeps a fresh one", async () => {
        const fresh = new Date(Date.now() + 25 * day * 1000).toISOString();
        const stale = new Date(Date.now() + 2 * day * 1000).toISOString();
        assert.deepEqual(await serviceAccountTokenProvider.diff!("id", olds(fresh), news), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual((await serviceAccountTokenProvider.diff!("id", olds(stale), news)).replaces, ["expirationSeconds"]);
        assert.deepEqual((await serviceAccountTokenProvider.diff!("id", olds(fresh), { ...news, serviceAccount: "other" })).replaces, ["serviceAccount"]);
        // Rotated admin credentials alone keep a token that is still valid.
        assert.equal((await serviceAccountTokenProvider.diff!("id", olds(fresh), { ...news, kubeconfig: "rotated" })).changes, false);
    });

    describe("against an HTTPS API server", function () {
        this.timeout(30000);
        let dir: string;
        let server: https.Server;
        let kubeconfig: string;
        const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
        let answer: { status: number; body: string } = { status: 201, body: "" };

        before(async function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "sa-token-"));
            try {
                execFileSync(
                    "openssl",
                    [
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        "key.pem",
                        "-out",
                        "cert.pem",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                    ],
                    { cwd: dir, stdio: "ignore" },
                );
            } catch {
                this.skip();
            }
            server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) }, (req, res) => {
                let body = "";
                req.on("data", (c: Buffer) => (body += c.toString()));
                req.on("end", () => {
                    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
                    res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.body);
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            const port = (server.address() as AddressInfo).port;
            const ca = fs.readFileSync(path.join(dir, "cert.pem")).toString("base64");
            kubeconfig = [
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                `- name: c\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority-data: ${ca}`,
                "users:",
                "- name: admin\n  user:\n    token: admin-secret-4e1b",
                "contexts:",
                "- name: admin@c\n  context:\n    cluster: c\n    user: admin",
                "current-context: admin@c",
            ].join("\n");
        });
        after(async () => {
            await new Promise((resolve) => server?.close(resolve));
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        it("POSTs a TokenRequest with the admin credential and returns the token, the granted expiry, the server and its CA", async () => {
            answer = { status: 201, body: JSON.stringify({ status: { token: "sa-token-9c1f", expirationTimestamp: "2026-12-30T00:00:00Z" } }) };
            const file = path.join(dir, "kubeconfig");
            fs.writeFileSync(file, kubeconfig);
            for (const given of [kubeconfig, file]) {
                const outs = (await serviceAccountTokenProvider.create({ ...news, kubeconfig: given })).outs as ServiceAccountTokenOutputs;
                assert.equal(outs.token, "sa-token-9c1f");
                assert.equal(outs.expirationTimestamp, "2026-12-30T00:00:00Z");
                assert.match(outs.server, /^https:\/\/127\.0\.0\.1:\d+$/);
                assert.ok(outs.certificateAuthorityData && Buffer.from(outs.certificateAuthorityData, "base64").toString().includes("BEGIN CERTIFICATE"));
            }
            const last = seen[seen.length - 1];
            assert.equal(last.method, "POST");
            assert.equal(last.url, "/api/v1/namespaces/acme-fs/serviceaccounts/fs-deployer/token");
            assert.equal(last.auth, "Bearer admin-secret-4e1b");
            assert.deepEqual(JSON.parse(last.body), tokenRequestBody(30 * day));
        });

        it("fails with the request and status only, never a credential, when the server refuses", async () => {
            answer = { status: 403, body: JSON.stringify({ message: "forbidden admin-secret-4e1b" }) };
            await assert.rejects(serviceAccountTokenProvider.create({ ...news, kubeconfig }), (e: Error) => {
                assert.equal(e.message, "POST /api/v1/namespaces/acme-fs/serviceaccounts/fs-deployer/token answered 403");
                return true;
            });
        });
    });
});

describe("consumers in a stack's plan (byo)", function () {
    this.timeout(300000);

    it("registers a token per consumer from the admin kubeconfig, which the plan shows only as a secret, and no token in the plan", async () => {
        const run = await runProgram({ stack: "byo" });
        const tokens = run.plan.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/domino-tenancy:ServiceAccountToken");
        assert.deepEqual(tokens.map((t) => t.inputs.serviceAccount).sort(), ["feature-store-deployer", "reporting-deployer"]);
        for (const t of tokens) {
            assert.equal(t.inputs.kubeconfig, secretPlaceholder, "the admin kubeconfig is in the token's inputs");
            assert.equal(t.inputs.__provider, providerCodePlaceholder, "the plan carries the provider's serialized code");
        }
        // What `npm run plan --json` writes and the report reads: no token, no kubeconfig, no CA.
        const text = JSON.stringify(run.plan);
        assert.ok(!/"token":"[^"]/.test(text), "a token value is in the plan");
        assert.ok(!/certificate-authority-data|BEGIN CERTIFICATE|"current-context"/.test(text), "a kubeconfig is in the plan");
        // Under mocks no token exists: each scoped kubeconfig is shaped with an empty one.
        const consumers = run.outputs.consumers as Record<string, { kubeconfig: string }>;
        for (const [name, grant] of Object.entries(consumers)) {
            assert.deepEqual((JSON.parse(grant.kubeconfig) as { users: unknown[] }).users, [{ name, user: { token: "" } }]);
        }
    });

    it("passes every pack rule, rbac-least-privilege included, with no ClusterRole granted to a consumer", async () => {
        const run = await runProgram({ stack: "byo" });
        assert.deepEqual(checkPlan(run.plan, {}, allRules), []);
        const consumerSubjects = run.plan.resources.filter(
            (r) =>
                /ClusterRoleBinding$/.test(r.type) &&
                ((r.inputs.subjects as { namespace?: string }[] | undefined) ?? []).some(
                    (s) => s.namespace === "analytics-feature-store" || s.namespace === "analytics-reporting",
                ),
        );
        assert.deepEqual(consumerSubjects, []);
    });
});

describe("ConsumerAccess under mocks", () => {
    it("puts each team's token into its own kubeconfig, all of it secret", async () => {
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    if (args.type.endsWith(":ServiceAccountToken")) {
                        return {
                            id: `${args.name}-id`,
                            state: {
                                ...args.inputs,
                                token: `tok-${String(args.inputs.serviceAccount)}`,
                                expirationTimestamp: "2026-12-30T00:00:00Z",
                                server: "https://api.test",
                                insecureSkipTlsVerify: false,
                            },
                        };
                    }
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: (args) => args.inputs,
            },
            "domino-tenancy",
            "test",
            false,
        );
        const k8s = await import("@pulumi/kubernetes");
        const provider = new k8s.Provider("k", { kubeconfig: "x" });
        const access = new ConsumerAccess(
            "consumers",
            { adminKubeconfig: pulumi.secret("admin"), clusterName: "fixture", ...componentArgs(model).consumerAccess },
            { provider },
        );
        assert.equal(await pulumi.isSecret(access.grants), true);
        const grants = await (
            access.grants as unknown as { promise(): Promise<Record<string, { namespace: string; kubeconfig: string; tokenExpiresAt: string }>> }
        ).promise();
        assert.deepEqual(Object.keys(grants), ["feature-store", "reporting"]);
        const doc = JSON.parse(grants.reporting.kubeconfig) as { users: { user: { token: string } }[]; contexts: { context: { namespace: string } }[] };
        assert.equal(doc.users[0].user.token, "tok-reporting-deployer");
        assert.equal(doc.contexts[0].context.namespace, "acme-reports");
        assert.equal(grants.reporting.tokenExpiresAt, "2026-12-30T00:00:00Z");
    });
});
