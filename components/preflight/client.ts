// The smallest read-only Kubernetes client: GET a path, parse JSON. Preflight never
// writes, so this has no other verb.

import * as https from "https";
import type { Credentials } from "../cloud/kubeconfigReader";

/** The API server could not be asked, or answered with an error status. */
export class ApiError extends Error {
    constructor(
        message: string,
        readonly status?: number,
    ) {
        super(message);
        this.name = "ApiError";
    }
}

export interface ReadOnlyClient {
    /** The decoded body, or undefined for 404 (the object or API is not there). */
    get<T>(path: string): Promise<T | undefined>;
}

export function readOnlyClient(creds: Credentials, timeoutMs = 10000): ReadOnlyClient {
    const agent = new https.Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, rejectUnauthorized: !creds.insecureSkipTlsVerify, keepAlive: true });
    return {
        get<T>(path: string): Promise<T | undefined> {
            return new Promise((resolve, reject) => {
                const req = https.get(
                    `${creds.server}${path}`,
                    { agent, timeout: timeoutMs, headers: { Accept: "application/json", ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}) } },
                    (res) => {
                        const chunks: Buffer[] = [];
                        res.on("data", (c: Buffer) => chunks.push(c));
                        res.on("end", () => {
                            const status = res.statusCode ?? 0;
                            if (status === 404) return resolve(undefined);
                            if (status >= 400) return reject(new ApiError(`GET ${path} answered ${status}`, status));
                            try {
                                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as T);
                            } catch {
                                reject(new ApiError(`GET ${path} did not answer JSON`));
                            }
                        });
                    },
                );
                req.on("timeout", () => req.destroy(new ApiError(`GET ${path} timed out after ${timeoutMs} ms`)));
                req.on("error", (err) => reject(err instanceof ApiError ? err : new ApiError(`cannot reach ${creds.server}: ${err.message}`)));
            });
        },
    };
}
