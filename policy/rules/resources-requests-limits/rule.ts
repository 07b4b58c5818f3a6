// resources-requests-limits
import { containersOf, describeContainer, podTemplateOf } from "../../lib/resources";
import { resourceRule } from "../../lib/rule";

export const resourcesRequestsLimits = resourceRule({
    name: "resources-requests-limits",
    description:
        "The scheduler places pods by their requests, and the kernel reclaims memory by limits. A container without a CPU and memory request is placed as if it were free and then competes with other tenants' pods on the node; one without a memory limit can exhaust it. Every container and init container states cpu and memory requests and a memory limit.",
    defaults: {},
    check(r) {
        const pod = podTemplateOf(r);
        if (!pod) return [];
        const out: string[] = [];
        for (const c of containersOf(pod.spec)) {
            const res = (c.container.resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
            const missing = [
                res.requests?.cpu === undefined ? "requests.cpu" : "",
                res.requests?.memory === undefined ? "requests.memory" : "",
                res.limits?.memory === undefined ? "limits.memory" : "",
            ].filter(Boolean);
            if (missing.length > 0) out.push(`${pod.kind} ${pod.workload}: ${describeContainer(c)} has no ${missing.join(", ")}`);
        }
        return out;
    },
});
