// Pod Security Admission enforces, in each Domino namespace, the level the stack set:
// a label removed or lowered by hand turns every benchmark above into luck.

import type { Probe } from "../probe";

interface Namespace {
    metadata: { labels?: Record<string, string> };
}

export const podSecurityLevels: Probe = {
    id: "domino-pod-security-levels",
    title: "each Domino namespace enforces the Pod Security level the stack sets",
    remediation: "run `pulumi up` to restore the namespace's pod-security.kubernetes.io/enforce label (domino.podSecurity sets the levels)",
    async run(ctx) {
        const t = ctx.target;
        const checks = [];
        for (const [ns, want] of Object.entries(t.podSecurity)) {
            const r = await ctx.client.get<Namespace>(`/api/v1/namespaces/${ns}`);
            if (r.status >= 300) throw new Error(`GET namespace ${ns} answered ${r.status}: ${r.message}`);
            const got = r.body.metadata.labels?.["pod-security.kubernetes.io/enforce"];
            checks.push({
                identity: "the verifier (read)",
                request: `GET namespace ${ns}: label pod-security.kubernetes.io/enforce`,
                expected: want.enforce,
                actual: got ?? "absent (the cluster default applies)",
                holds: got === want.enforce,
            });
        }
        return { checks };
    },
};
