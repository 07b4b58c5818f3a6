// Who refused a request, read from the API server's own words, so a probe credits only
// the right cause: Pod Security Admission (`violates PodSecurity "<level>:<version>": ...`),
// one of Domino's admission policies naming its rule (`ValidatingAdmissionPolicy
// '<deployment>-<policy>' ... denied request: <rule>: ...`), or quota. Anything else
// (RBAC, validation, another tenant's webhook) is not the cause a probe expects.

import type { Answer } from "./client";

export type Cause =
    | { readonly by: "admitted" }
    | { readonly by: "pod-security"; readonly level: string; readonly text: string }
    | { readonly by: "domino-policy"; readonly policy: string; readonly rule: string; readonly text: string }
    | { readonly by: "quota"; readonly text: string }
    | { readonly by: "other"; readonly status: number; readonly text: string };

export function causeOf(answer: Answer, deploymentName: string): Cause {
    if (answer.status < 300) return { by: "admitted" };
    const text = answer.message;
    const psa = /violates PodSecurity "([a-z]+):[^"]*": (.*)$/s.exec(text);
    if (psa) return { by: "pod-security", level: psa[1], text: psa[2] };
    const prefix = deploymentName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const vap = new RegExp(`(?:Validating|Mutating)AdmissionPolicy '(${prefix}-[a-z0-9-]+)'.*?denied request: ([a-z0-9-]+): (.*)$`, "s").exec(text);
    if (vap) return { by: "domino-policy", policy: vap[1], rule: vap[2], text: vap[3] };
    if (/exceeded quota/.test(text)) return { by: "quota", text };
    return { by: "other", status: answer.status, text };
}

/** Does any Domino admission policy speak in this answer (refusal, or a policy error naming it)? */
export function dominoSpoke(answer: Answer, deploymentName: string): boolean {
    return answer.status >= 300 && new RegExp(`AdmissionPolicy '${deploymentName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-`).test(answer.message);
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}...` : s);

/** A cause in one line, for the report's "actual" column. */
export function describeCause(c: Cause): string {
    switch (c.by) {
        case "admitted":
            return "admitted";
        case "pod-security":
            return `refused by Pod Security ${c.level}: ${clip(c.text)}`;
        case "domino-policy":
            return `refused by ${c.policy}, rule ${c.rule}: ${clip(c.text)}`;
        case "quota":
            return `refused by quota: ${clip(c.text)}`;
        case "other":
            return `answered ${c.status}: ${clip(c.text)}`;
    }
}
