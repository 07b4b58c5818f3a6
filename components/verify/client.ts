// The Kubernetes client verify needs: GET, server-side dry-run create and delete, access
// reviews, and one real write (the PolicyReport, only on request). Every request may act
// as another identity through the admin credentials' impersonation headers
// (Impersonate-User / Impersonate-Group), so a probe asks the API server as the tenant
// would, without creating a token or a binding. A dry run goes through authentication,
// authorization, mutation and validation admission, and stores nothing.

import * as https from "https";
import { ApiError } from "../preflight/client";
import type { Credentials } from "../cloud/kubeconfigReader";

/** Who a request acts as: the admin's own identity when absent. */
export interface Identity {
    readonly user: string;
    /** Impersonated groups; the server adds a service account's own groups only when none are given. */
    readonly groups?: readonly string[];
}

/** What the API server answered, refusal included: probes judge the words, not only the code. */
export interface Answer<T = unknown> {
    readonly status: number;
    readonly body: T;
    /** The Status message of a refusal, or "" on success. */
    readonly message: string;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface VerifyClient {
    get<T>(path: string, as?: Identity): Promise<Answer<T>>;
    /** POST with dryRun=All: admitted or refused, never stored. */
    dryRunCreate<T>(path: string, body: object, as?: Identity): Promise<Answer<T>>;
    /** DELETE with dryRun=All. */
    dryRunDelete(path: string, as?: Identity): Promise<Answer>;
    /** POST of a review (SelfSubjectAccessReview, SubjectAccessReview): the server answers and stores nothing. */
    review<T>(path: string, body: object, as?: Identity): Promise<Answer<T>>;
    /** A real create-or-replace: only the PolicyReport, only with --policy-report. */
    put<T>(path: string, body: object): Promise<Answer<T>>;
    create<T>(path: string, body: object): Promise<Answer<T>>;
    /** Requests made so far: the progress line reports it. */
    readonly count: () => number;
}

export function verifyClient(creds: Credentials, timeoutMs = 20000): VerifyClient {
    const agent = new https.Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, rejectUnauthorized: !creds.insecureSkipTlsVerify, keepAlive: true });
    let requests = 0;
    function request<T>(method: string, path: string, body: object | undefined, as?: Identity): Promise<Answer<T>> {
        requests++;
        const headers: Record<string, string | string[]> = { Accept: "application/json" };
        if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
        if (body) headers["Content-Type"] = "application/json";
        if (as) {
            headers["Impersonate-User"] = as.user;
            if (as.groups?.length) headers["Impersonate-Group"] = [...as.groups];
        }
        const text = body ? JSON.stringify(body) : undefined;
        return new Promise((resolve, reject) => {
            const req = https.request(`${creds.server}${path}`, { method, agent, timeout: timeoutMs, headers }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    const raw = Buffer.concat(chunks).toString("utf8");
                    let parsed: unknown = undefined;
                    try {
                        parsed = raw ? JSON.parse(raw) : undefined;
                    } catch {
                        if (status < 400) return reject(new ApiError(`${method} ${path} did not answer JSON`));
                    }
                    const message = status >= 400 ? String((parsed as { message?: string } | undefined)?.message ?? raw.slice(0, 500)) : "";
                    if (status === 401) return reject(new ApiError(`${method} ${path} answered 401: the kubeconfig's credentials are not accepted`, status));
                    resolve({ status, body: parsed as T, message, headers: res.headers });
                });
            });
            req.on("timeout", () => req.destroy(new ApiError(`${method} ${path} timed out after ${timeoutMs} ms`)));
            req.on("error", (err) => reject(err instanceof ApiError ? err : new ApiError(`cannot reach ${creds.server}: ${err.message}`)));
            if (text) req.write(text);
            req.end();
        });
    }
    const withDryRun = (path: string) => `${path}${path.includes("?") ? "&" : "?"}dryRun=All`;
    return {
        get: (path, as) => request("GET", path, undefined, as),
        dryRunCreate: (path, body, as) => request("POST", withDryRun(path), body, as),
        dryRunDelete: (path, as) => request("DELETE", withDryRun(path), undefined, as),
        review: (path, body, as) => request("POST", path, body, as),
        put: (path, body) => request("PUT", path, body),
        create: (path, body) => request("POST", path, body),
        count: () => requests,
    };
}
