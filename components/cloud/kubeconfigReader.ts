// Reads a kubeconfig the way kubectl does for the fields a read-only check needs:
// the chosen context's server, CA, and credentials (client certificate, token, or an
// exec plugin such as `aws eks get-token`). Nothing here is ever printed: errors name
// the field that is wrong, never its value. In the cloud seam, beside the kubeconfigs it
// builds (kubeconfig.ts): preflight reads the cluster with it, and the consumers' token
// resource (components/tenancy/serviceAccountToken.ts) asks for tokens with it.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export interface Credentials {
    readonly server: string;
    readonly ca?: Buffer;
    readonly insecureSkipTlsVerify: boolean;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly token?: string;
}

/** A kubeconfig that cannot be used, with the field that is wrong. */
export class KubeconfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "KubeconfigError";
    }
}

interface Named<T> {
    readonly name: string;
    readonly [key: string]: unknown;
    readonly cluster?: T;
    readonly user?: T;
    readonly context?: T;
}
type Dict = Record<string, unknown>;

function pick(list: unknown, name: string, what: string): Dict {
    const entry = Array.isArray(list) ? (list as Named<Dict>[]).find((e) => e?.name === name) : undefined;
    const body = entry?.[what];
    if (!body || typeof body !== "object") throw new KubeconfigError(`the kubeconfig has no ${what} named '${name}'`);
    return body as Dict;
}

function bytes(data: unknown, file: unknown, base: string, field: string): Buffer | undefined {
    if (typeof data === "string" && data) return Buffer.from(data, "base64");
    if (typeof file === "string" && file) {
        const full = path.resolve(base, file);
        if (!fs.existsSync(full)) throw new KubeconfigError(`${field}: file ${full} does not exist`);
        return fs.readFileSync(full);
    }
    return undefined;
}

/** Runs a client-go exec credential plugin and takes its token or client certificate. */
function execCredential(exec: Dict): { token?: string; cert?: Buffer; key?: Buffer } {
    const command = String(exec.command ?? "");
    if (!command) throw new KubeconfigError("user.exec.command is empty");
    const env = { ...process.env };
    for (const e of (exec.env as { name: string; value: string }[] | undefined) ?? []) env[e.name] = e.value;
    let out: string;
    try {
        out = execFileSync(command, ((exec.args as string[] | undefined) ?? []).map(String), {
            env,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: 30000,
        });
    } catch (err) {
        throw new KubeconfigError(`the kubeconfig's exec plugin '${command}' failed (${(err as Error).message.split("\n")[0]})`);
    }
    const status = (JSON.parse(out) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
    return {
        token: status.token,
        cert: status.clientCertificateData ? Buffer.from(status.clientCertificateData) : undefined,
        key: status.clientKeyData ? Buffer.from(status.clientKeyData) : undefined,
    };
}

/** The credentials of a kubeconfig's context (its current one by default). `file` is for relative paths. */
export function credentialsFrom(text: string, file: string | undefined, context?: string): Credentials {
    let doc: Dict;
    try {
        doc = (yaml.load(text) ?? {}) as Dict;
    } catch {
        throw new KubeconfigError("the kubeconfig is not valid YAML");
    }
    const base = file ? path.dirname(file) : process.cwd();
    const contextName = context ?? String(doc["current-context"] ?? "");
    if (!contextName) throw new KubeconfigError("the kubeconfig has no current-context and none was given");
    const ctx = pick(doc.contexts, contextName, "context");
    const cluster = pick(doc.clusters, String(ctx.cluster ?? ""), "cluster");
    const user = ctx.user ? pick(doc.users, String(ctx.user), "user") : {};
    const server = String(cluster.server ?? "");
    if (!/^https?:\/\//.test(server)) throw new KubeconfigError(`cluster '${String(ctx.cluster)}' has no https server URL`);
    const fromExec = user.exec && typeof user.exec === "object" ? execCredential(user.exec as Dict) : {};
    const tokenFile = typeof user.tokenFile === "string" ? path.resolve(base, user.tokenFile) : undefined;
    return {
        server: server.replace(/\/+$/, ""),
        ca: bytes(cluster["certificate-authority-data"], cluster["certificate-authority"], base, "cluster.certificate-authority"),
        insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
        cert: fromExec.cert ?? bytes(user["client-certificate-data"], user["client-certificate"], base, "user.client-certificate"),
        key: fromExec.key ?? bytes(user["client-key-data"], user["client-key"], base, "user.client-key"),
        token: fromExec.token ?? (typeof user.token === "string" ? user.token : tokenFile ? fs.readFileSync(tokenFile, "utf8").trim() : undefined),
    };
}
