// A ServiceAccount token from the TokenRequest API, as a Pulumi dynamic resource.
// Create POSTs /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token with the admin
// kubeconfig and keeps the token as a secret output. Each `pulumi up` diffs it: once
// less than a third of the token's lifetime is left (by the expiry the API server
// granted, which may be shorter than asked), the diff asks for a replacement, which
// requests a fresh token. Delete does nothing: a bound token cannot be revoked by
// itself, it expires, and deleting its ServiceAccount invalidates it at once.
//
// Why not a `kubernetes.io/service-account-token` Secret: such a token never expires,
// lives in etcd readable by anyone who can read Secrets in the namespace (the consumer
// itself), and is legacy (auto-cleaned as unused on recent clusters).
//
// The provider's functions are serialized into the state by Pulumi, so they use only
// the cloud seam's kubeconfig reader and Node's https; errors name the request, never a
// credential.

import * as https from "https";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { credentialsFrom, type Credentials } from "../cloud/kubeconfigReader";

export interface ServiceAccountTokenInputs {
    /** Secret. The admin kubeconfig's contents, or a path to it (adopted clusters given by path). */
    readonly kubeconfig: string;
    /** The kubeconfig's context; its current context when absent. */
    readonly context?: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    /** Lifetime asked for, in seconds. */
    readonly expirationSeconds: number;
}

export interface ServiceAccountTokenOutputs {
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly expirationSeconds: number;
    /** Secret. */
    readonly token: string;
    /** When the token expires, as the API server granted it (RFC 3339). */
    readonly expirationTimestamp: string;
    /** The API server the token is for, and its CA (base64 PEM), from the admin kubeconfig. */
    readonly server: string;
    readonly certificateAuthorityData?: string;
    readonly insecureSkipTlsVerify: boolean;
}

/** The TokenRequest subresource of a ServiceAccount. */
export function tokenRequestPath(namespace: string, serviceAccount: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
}

/** The TokenRequest body: no audiences (the API server's own), no bound object, the asked lifetime. */
export function tokenRequestBody(expirationSeconds: number): { apiVersion: string; kind: string; spec: { expirationSeconds: number } } {
    return { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds } };
}

/** Renew once less than this share of the granted lifetime is left. */
export const renewWhenRemainingBelow = 1 / 3;

/**
 * Whether a token must be renewed now: less than a third of its lifetime left, or an
 * expiry that cannot be read. The lifetime is the one granted (the server may shorten it).
 */
export function needsRenewal(expirationTimestamp: string | undefined, expirationSeconds: number, now: Date): boolean {
    const expires = expirationTimestamp ? Date.parse(expirationTimestamp) : NaN;
    if (Number.isNaN(expires)) return true;
    return expires - now.getTime() < expirationSeconds * 1000 * renewWhenRemainingBelow;
}

/** The admin kubeconfig's text: the input itself, or the file it names. */
function kubeconfigText(input: string): { text: string; file?: string } {
    const trimmed = input.trim();
    if (!trimmed.includes("\n") && !trimmed.startsWith("{") && fs.existsSync(trimmed)) return { text: fs.readFileSync(trimmed, "utf8"), file: trimmed };
    return { text: input };
}

/** POSTs a TokenRequest; resolves to the token and its expiry. Errors name the path and status only. */
function requestToken(creds: Credentials, path: string, body: object): Promise<{ token: string; expirationTimestamp: string }> {
    const agent = new https.Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, rejectUnauthorized: !creds.insecureSkipTlsVerify });
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const req = https.request(
            `${creds.server}${path}`,
            {
                method: "POST",
                agent,
                timeout: 30000,
                headers: {
                    "Content-Type": "application/json",
                    Accept: "application/json",
                    "Content-Length": Buffer.byteLength(payload),
                    ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}),
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    if (status >= 400) return reject(new Error(`POST ${path} answered ${status}`));
                    try {
                        const status_ = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { status?: { token?: string; expirationTimestamp?: string } })
                            .status;
                        if (!status_?.token || !status_.expirationTimestamp) return reject(new Error(`POST ${path} answered no token`));
                        resolve({ token: status_.token, expirationTimestamp: status_.expirationTimestamp });
                    } catch {
                        reject(new Error(`POST ${path} did not answer JSON`));
                    }
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`POST ${path} timed out`)));
        req.on("error", (err) => reject(new Error(`cannot reach ${creds.server} for POST ${path}: ${err.message.split("\n")[0]}`)));
        req.end(payload);
    });
}

const replacingKeys = ["namespace", "serviceAccount", "expirationSeconds", "context"] as const;

/** The provider; one instance, so Pulumi serializes it once per process. */
export const serviceAccountTokenProvider: pulumi.dynamic.ResourceProvider<ServiceAccountTokenInputs, ServiceAccountTokenOutputs> = {
    async create(inputs) {
        const { text, file } = kubeconfigText(inputs.kubeconfig);
        const creds = credentialsFrom(text, file, inputs.context);
        const path = tokenRequestPath(inputs.namespace, inputs.serviceAccount);
        const { token, expirationTimestamp } = await requestToken(creds, path, tokenRequestBody(inputs.expirationSeconds));
        return {
            id: `${inputs.namespace}/${inputs.serviceAccount}@${expirationTimestamp}`,
            outs: {
                namespace: inputs.namespace,
                serviceAccount: inputs.serviceAccount,
                expirationSeconds: inputs.expirationSeconds,
                token,
                expirationTimestamp,
                server: creds.server,
                certificateAuthorityData: creds.ca ? creds.ca.toString("base64") : undefined,
                insecureSkipTlsVerify: creds.insecureSkipTlsVerify,
            },
        };
    },
    async diff(_id, olds, news) {
        const replaces = replacingKeys.filter((k) => (olds as unknown as Record<string, unknown>)[k] !== (news as unknown as Record<string, unknown>)[k]);
        if (needsRenewal(olds.expirationTimestamp, olds.expirationSeconds, new Date())) replaces.push("expirationSeconds");
        // A new admin kubeconfig alone (rotated admin credentials) keeps a still-valid token.
        return { changes: replaces.length > 0, replaces: [...new Set(replaces)], deleteBeforeReplace: false };
    },
    async delete() {
        // Nothing to revoke: see the header.
    },
};

/** A ServiceAccount token, renewed by `pulumi up` near its expiry. `token` is secret. */
export class ServiceAccountToken extends pulumi.dynamic.Resource {
    declare readonly token: pulumi.Output<string>;
    declare readonly expirationTimestamp: pulumi.Output<string>;
    declare readonly server: pulumi.Output<string>;
    declare readonly certificateAuthorityData: pulumi.Output<string | undefined>;
    declare readonly insecureSkipTlsVerify: pulumi.Output<boolean>;

    constructor(
        name: string,
        args: { [K in keyof ServiceAccountTokenInputs]: pulumi.Input<ServiceAccountTokenInputs[K]> },
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            serviceAccountTokenProvider,
            name,
            {
                ...args,
                kubeconfig: pulumi.secret(args.kubeconfig),
                token: undefined,
                expirationTimestamp: undefined,
                server: undefined,
                certificateAuthorityData: undefined,
                insecureSkipTlsVerify: undefined,
            },
            { ...opts, additionalSecretOutputs: ["token"] },
            "domino-tenancy",
            "ServiceAccountToken",
        );
    }
}
