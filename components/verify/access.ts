// "Can this identity do that?", asked of the API server as the identity itself: a
// SelfSubjectAccessReview sent with impersonation headers, so the server resolves the
// service account's groups and every authorizer (RBAC, webhooks) answers as for the
// tenant's own requests. Nothing is stored.

import type { Identity, VerifyClient } from "./client";
import type { Check } from "./probe";

export interface AccessAttributes {
    readonly verb: string;
    readonly resource: string;
    readonly group?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly subresource?: string;
}

interface ReviewStatus {
    status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/** `verb resource[/sub] [name] in namespace` (or `cluster-wide`): how reports write a request. */
export function describeAccess(a: AccessAttributes): string {
    const res = `${a.group ? `${a.resource}.${a.group}` : a.resource}${a.subresource ? `/${a.subresource}` : ""}`;
    return `SelfSubjectAccessReview: ${a.verb} ${res}${a.name ? ` ${a.name}` : ""} ${a.namespace ? `in ${a.namespace}` : "cluster-wide"}`;
}

export async function canI(client: VerifyClient, as: Identity, a: AccessAttributes): Promise<{ allowed: boolean; why: string }> {
    const body = {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SelfSubjectAccessReview",
        spec: {
            resourceAttributes: {
                verb: a.verb,
                resource: a.resource,
                group: a.group ?? "",
                namespace: a.namespace ?? "",
                name: a.name,
                subresource: a.subresource,
            },
        },
    };
    const r = await client.review<ReviewStatus>("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body, as);
    if (r.status >= 300) throw new Error(`the access review as ${as.user} answered ${r.status}: ${r.message}`);
    const s = r.body.status ?? {};
    return { allowed: s.allowed === true, why: s.reason || s.evaluationError || (s.allowed ? "allowed" : "no rule allows it") };
}

/** One row of an access table: who, what, and whether the server must allow it. */
export interface AccessRow {
    readonly as: Identity & { readonly label: string };
    readonly attrs: AccessAttributes;
    readonly allowed: boolean;
    /** Allowed by design: the named exception (the row then expects `allowed: true`). */
    readonly exception?: string;
}

/** Asks every row and turns each answer into a check. */
export async function accessChecks(client: VerifyClient, rows: readonly AccessRow[]): Promise<Check[]> {
    const out: Check[] = [];
    for (const row of rows) {
        const got = await canI(client, row.as, row.attrs);
        const ok = got.allowed === row.allowed;
        out.push({
            identity: row.as.label,
            request: describeAccess(row.attrs),
            expected: row.allowed ? `allowed${row.exception ? ` (exception: ${row.exception})` : ""}` : "denied",
            actual: `${got.allowed ? "allowed" : "denied"} (${got.why})`,
            holds: ok,
            ...(row.exception && ok ? { exception: row.exception } : {}),
        });
    }
    return out;
}

/** A resource by its plural and API group ("" for the core group). */
export type Resource = readonly [resource: string, group: string];
