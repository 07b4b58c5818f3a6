// A minimal HTTPS client for the local cluster's API server, for latency figures
// (bench part 6, the admission e2e): one keep-alive connection pool, the admin's
// client certificate from .cluster/kubeconfig, and optional impersonation, so a
// request is timed without a kubectl process start (~100 ms) hiding what admission
// costs. Loopback only: it refuses a server that is not on 127.0.0.1.

import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import * as yaml from "js-yaml";
import { nowMs, repoRoot } from "./common";

export const localKubeconfig = path.join(repoRoot, ".cluster", "kubeconfig");

export interface ApiResponse {
    readonly status: number;
    readonly body: string;
    readonly ms: number;
}

interface Kubeconfig {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
}

export class KubeApi {
    private readonly agent: https.Agent;
    private readonly host: string;
    private readonly port: number;

    /** `maxSockets` is the client's concurrency: requests beyond it wait in the agent, untimed. */
    constructor(maxSockets: number, kubeconfigFile = localKubeconfig) {
        if (!fs.existsSync(kubeconfigFile)) throw new Error(`no kubeconfig at ${kubeconfigFile}: npm run cluster -- up`);
        const kc = yaml.load(fs.readFileSync(kubeconfigFile, "utf8")) as Kubeconfig;
        const server = new URL(kc.clusters[0].cluster.server);
        if (server.hostname !== "127.0.0.1") throw new Error(`refusing a non-loopback API server: ${server.href}`);
        this.host = server.hostname;
        this.port = Number(server.port);
        const b64 = (s: string) => Buffer.from(s, "base64");
        this.agent = new https.Agent({
            keepAlive: true,
            maxSockets,
            ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
            cert: b64(kc.users[0].user["client-certificate-data"]),
            key: b64(kc.users[0].user["client-key-data"]),
        });
    }

    /** One request; `as` impersonates a user (the admin may), e.g. system:serviceaccount:ns:name. */
    request(method: string, urlPath: string, opts: { body?: unknown; as?: string; timeoutMs?: number; contentType?: string } = {}): Promise<ApiResponse> {
        const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
        const headers: Record<string, string> = { Accept: "application/json" };
        if (payload) headers["Content-Type"] = opts.contentType ?? "application/json";
        if (opts.as) headers["Impersonate-User"] = opts.as;
        return new Promise((resolve, reject) => {
            const started = nowMs();
            const req = https.request(
                { host: this.host, port: this.port, method, path: urlPath, agent: this.agent, headers, timeout: opts.timeoutMs ?? 30_000 },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: nowMs() - started }));
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
            req.on("error", reject);
            if (payload) req.write(payload);
            req.end();
        });
    }

    close(): void {
        this.agent.destroy();
    }
}

/** The q-quantile (0..1) of samples, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Sums a Prometheus counter or gauge from /metrics over the series whose labels include all of `labels`. */
export function metricSum(metrics: string, name: string, labels: Record<string, string>): number {
    let sum = 0;
    for (const line of metrics.split("\n")) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
        const m = /^[^{ ]+(?:\{(.*)\})? ([0-9.eE+-]+|NaN)$/.exec(line);
        if (!m) continue;
        const have = new Map([...(m[1] ?? "").matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[2]);
    }
    return sum;
}
