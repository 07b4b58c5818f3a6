// Secrets under AWS KMS, proved against a local KMS (moto's server on loopback): the real
// Pulumi CLI with an `awskms://` secrets provider reaches it through AWS_ENDPOINT_URL, which
// the AWS SDK reads. A stack's config secret and its secret output round-trip through the
// key; disabling the key stops decryption (so it really goes through KMS); a passphrase
// stack moves to KMS with `pulumi stack change-secrets-provider`; a rotation to a new key
// leaves nothing depending on the old one. No cloud account: fake credentials, loopback only.

import { strict as assert } from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { repoRoot } from "../../plan/engine";
import { ok, pulumiEnv, run, workspace } from "./harness";

const ws = workspace("kms");
const project = path.join(ws.dir, "project");
const secretValue = "kms-roundtrip-51f0c2-registry-password";
let moto: ChildProcess | undefined;
let endpoint = "";
const keys: Record<string, string> = {};
const measured: Record<string, unknown> = {};

/** A free loopback port (bound, then released for moto). */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

/** moto_server on PATH, or the moto module of python3. */
function motoCommand(): [string, string[]] {
    if (spawnSync("sh", ["-c", "command -v moto_server"]).status === 0) return ["moto_server", []];
    if (spawnSync("python3", ["-c", "import moto.server"]).status === 0) return ["python3", ["-m", "moto.server"]];
    throw new Error("moto's server is not installed: neither `moto_server` on PATH nor python3's moto.server");
}

/** One KMS API call to the local endpoint (JSON protocol). moto reads the region from the credential scope; it checks no signature. */
async function kms<T>(action: string, body: object): Promise<T> {
    const res = await fetch(endpoint, {
        method: "POST",
        headers: {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": `TrentService.${action}`,
            Authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0",
        },
        body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`KMS ${action} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
}

async function newKey(alias: string): Promise<string> {
    const { KeyMetadata } = await kms<{ KeyMetadata: { KeyId: string } }>("CreateKey", { Description: `domino-tenancy e2e ${alias}` });
    await kms("CreateAlias", { AliasName: `alias/${alias}`, TargetKeyId: KeyMetadata.KeyId });
    keys[alias] = KeyMetadata.KeyId;
    return KeyMetadata.KeyId;
}

/** The KMS calls moto's recorder saw while `during` ran: the action, and for a Decrypt the key its blob names (moto's blobs start with the key id). */
async function kmsCalls(during: () => void): Promise<{ action: string; keyId?: string }[]> {
    const api = (p: string, method = "POST") => fetch(`${endpoint}/moto-api/recorder/${p}`, { method });
    await api("reset-recording");
    await api("start-recording");
    during();
    await api("stop-recording");
    const lines = (await (await api("download-recording", "GET")).text()).split("\n").filter((l) => l.trim());
    return lines.map((l) => {
        const r = JSON.parse(l) as { headers: Record<string, string>; body: string; body_encoded?: boolean };
        const action = (r.headers["X-Amz-Target"] ?? "").replace(/^TrentService\./, "");
        const body = r.body_encoded ? Buffer.from(r.body, "base64").toString("utf8") : r.body;
        const blob = action === "Decrypt" ? (JSON.parse(body) as { CiphertextBlob?: string }).CiphertextBlob : undefined;
        return { action, ...(blob ? { keyId: Buffer.from(blob, "base64").subarray(0, 36).toString("latin1") } : {}) };
    });
}

const providerUrl = (alias: string) => `awskms://alias/${alias}?region=us-east-1`;

/** The CLI in the tiny project, with the local KMS and no passphrase unless asked. */
function cli(args: string[], passphrase?: string) {
    const { PULUMI_CONFIG_PASSPHRASE: _drop, AWS_PROFILE: _profile, ...base } = pulumiEnv;
    const env: NodeJS.ProcessEnv = {
        ...base,
        PULUMI_BACKEND_URL: `file://${ws.backendDir}`,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
        ...(passphrase ? { PULUMI_CONFIG_PASSPHRASE: passphrase } : {}),
    };
    return run("npx", ["--no-install", "pulumi", ...args, "--non-interactive", "--cwd", project], { timeoutSeconds: 300, env });
}

const stackFile = (stack: string) => fs.readFileSync(path.join(project, `Pulumi.${stack}.yaml`), "utf8");

describe("production secrets through a KMS key, against a local KMS endpoint", function () {
    this.timeout(10 * 60 * 1000);

    before(async () => {
        const port = await freePort();
        endpoint = `http://127.0.0.1:${port}`;
        const [cmd, args] = motoCommand();
        moto = spawn(cmd, [...args, "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", cwd: ws.dir });
        const deadline = Date.now() + 60000;
        for (;;) {
            try {
                await kms("ListAliases", {});
                break;
            } catch (err) {
                if (Date.now() > deadline) throw new Error(`moto's server did not answer on ${endpoint} within 60 s`, { cause: err });
                await new Promise((r) => setTimeout(r, 500));
            }
        }
        await newKey("domino-tenancy-e2e");
        // A program that exports its secret config value, and nothing else: the state's only secret.
        fs.mkdirSync(project);
        fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: kms-roundtrip\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "kms-roundtrip", private: true }));
        fs.writeFileSync(
            path.join(project, "index.js"),
            'const pulumi = require("@pulumi/pulumi");\nmodule.exports = { echoed: new pulumi.Config().requireSecret("registryPassword") };\n',
        );
    });

    after(() => {
        moto?.kill("SIGTERM");
        ws.cleanup();
        process.stdout.write(`      kms e2e measured: ${JSON.stringify(measured)}\n`);
    });

    it("creates an awskms:// stack whose data key the local KMS encrypted", () => {
        ok(cli(["stack", "init", "kms", "--secrets-provider", providerUrl("domino-tenancy-e2e")]), "stack init on awskms");
        const file = stackFile("kms");
        assert.match(file, /^secretsprovider: awskms:\/\/alias\/domino-tenancy-e2e\?region=us-east-1$/m);
        assert.match(file, /^encryptedkey: \S+$/m);
        assert.doesNotMatch(file, /encryptionsalt/);
    });

    it("round-trips a config secret and a secret output through the key, never in clear", () => {
        ok(cli(["config", "set", "--secret", "registryPassword", secretValue, "--stack", "kms"]), "config set --secret");
        assert.ok(!stackFile("kms").includes(secretValue), "the stack file holds ciphertext only");
        assert.match(stackFile("kms"), /registryPassword:\n\s+secure: v1:/);
        assert.equal(ok(cli(["config", "get", "registryPassword", "--stack", "kms"]), "config get").stdout.trim(), secretValue);
        const upped = ok(cli(["up", "--yes", "--stack", "kms"]), "up");
        assert.ok(!upped.stdout.includes(secretValue) && !upped.stderr.includes(secretValue), "up prints no secret");
        assert.equal(ok(cli(["stack", "output", "echoed", "--show-secrets", "--stack", "kms"]), "output --show-secrets").stdout.trim(), secretValue);
        assert.equal(ok(cli(["stack", "output", "echoed", "--stack", "kms"]), "output").stdout.trim(), "[secret]");
        const state = fs.readFileSync(path.join(ws.backendDir, ".pulumi", "stacks", "kms-roundtrip", "kms.json"), "utf8");
        assert.ok(!state.includes(secretValue), "the state holds ciphertext only");
        const providers = (JSON.parse(state) as { checkpoint: { latest: { secrets_providers: { type: string; state: { url: string } } } } }).checkpoint.latest
            .secrets_providers;
        assert.deepEqual([providers.type, providers.state.url], ["cloud", providerUrl("domino-tenancy-e2e")]);
    });

    it("decrypts through the key: reading a secret makes the engine ask KMS to decrypt the stack's data key", async () => {
        let got = "";
        const calls = await kmsCalls(() => (got = ok(cli(["config", "get", "registryPassword", "--stack", "kms"]), "config get").stdout.trim()));
        assert.equal(got, secretValue);
        measured.callsForOneConfigGet = calls;
        assert.ok(
            calls.some((c) => c.action === "Decrypt" && c.keyId === keys["domino-tenancy-e2e"]),
            `no Decrypt under the stack's key: ${JSON.stringify(calls)}`,
        );
    });

    it("moves a passphrase stack to KMS with change-secrets-provider, its secrets re-encrypted", () => {
        const passphrase = "e2e-only-passphrase";
        ok(cli(["stack", "init", "migrated", "--secrets-provider", "passphrase"], passphrase), "stack init on a passphrase");
        ok(cli(["config", "set", "--secret", "registryPassword", secretValue, "--stack", "migrated"], passphrase), "config set under the passphrase");
        const before = stackFile("migrated");
        assert.match(before, /^encryptionsalt: /m);
        ok(cli(["stack", "change-secrets-provider", providerUrl("domino-tenancy-e2e"), "--stack", "migrated"], passphrase), "change-secrets-provider");
        const after = stackFile("migrated");
        assert.doesNotMatch(after, /^encryptionsalt: /m);
        assert.match(after, /^secretsprovider: awskms:/m);
        const cipher = (text: string) => /secure: (\S+)/.exec(text)?.[1];
        assert.notEqual(cipher(after), cipher(before), "re-encrypted under the new data key");
        // No passphrase from here on.
        assert.equal(ok(cli(["config", "get", "registryPassword", "--stack", "migrated"]), "config get without a passphrase").stdout.trim(), secretValue);
    });

    it("rotates to a new key: afterwards only the new key is asked to decrypt", async () => {
        const before = stackFile("kms");
        await newKey("domino-tenancy-e2e-next");
        ok(cli(["stack", "change-secrets-provider", providerUrl("domino-tenancy-e2e-next"), "--stack", "kms"]), "change-secrets-provider to the new key");
        assert.match(stackFile("kms"), /^secretsprovider: awskms:\/\/alias\/domino-tenancy-e2e-next\?region=us-east-1$/m);
        assert.notEqual(/^encryptedkey: (\S+)$/m.exec(stackFile("kms"))?.[1], /^encryptedkey: (\S+)$/m.exec(before)?.[1]);
        let got = "";
        const calls = await kmsCalls(() => {
            got = ok(cli(["stack", "output", "echoed", "--show-secrets", "--stack", "kms"]), "output after rotation").stdout.trim();
            ok(cli(["config", "get", "registryPassword", "--stack", "kms"]), "config get after rotation");
        });
        assert.equal(got, secretValue);
        const decrypts = calls.filter((c) => c.action === "Decrypt");
        assert.ok(decrypts.length > 0 && decrypts.every((c) => c.keyId === keys["domino-tenancy-e2e-next"]), JSON.stringify(calls));
        ok(cli(["up", "--yes", "--stack", "kms"]), "up with the new key");
    });

    it("cannot read the stack's secrets at all without the KMS", () => {
        moto?.kill("SIGTERM");
        moto = undefined;
        const refused = cli(["config", "get", "registryPassword", "--stack", "kms"]);
        assert.notEqual(refused.code, 0, "decrypted without the KMS");
        assert.ok(!refused.stdout.includes(secretValue));
        measured.withoutKms = refused.stderr
            .split("\n")
            .find((l) => /error/i.test(l))
            ?.trim();
        assert.match(refused.stderr, /KMS|kms|127\.0\.0\.1/, "the failure names the KMS call");
    });
});
