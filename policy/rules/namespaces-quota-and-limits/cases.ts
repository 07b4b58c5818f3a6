// namespaces-quota-and-limits: the compute namespace's minimal ResourceQuota and
// LimitRange, one removed or changed per case.
import { type KubeObject, namespaces, type RuleCase, tenancy, tweak } from "../../testing/fixtures";

const quota: KubeObject = {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "compute-quota", namespace: namespaces.compute },
    spec: { hard: { "requests.cpu": "64", "requests.memory": "256Gi", "limits.memory": "256Gi" } },
};
const limits: KubeObject = {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "compute-limits", namespace: namespaces.compute },
    spec: { limits: [{ type: "Container", default: { memory: "1Gi" }, defaultRequest: { cpu: "100m", memory: "256Mi" } }] },
};
const hard = (q: KubeObject) => (q.spec as { hard: Record<string, string> }).hard;

export const cases: readonly RuleCase[] = [
    { name: "accepts a compute namespace with quota and limits", resources: tenancy(quota, limits), expect: null },
    {
        name: "rejects a compute namespace without a ResourceQuota",
        resources: tenancy(limits),
        expect: /namespace domino-compute runs user workloads but has no ResourceQuota/,
    },
    {
        name: "rejects a compute namespace without a LimitRange",
        resources: tenancy(quota),
        expect: /namespace domino-compute runs user workloads but has no LimitRange/,
    },
    {
        name: "does not count a quota in another namespace",
        resources: tenancy(
            tweak(quota, (q) => (q.metadata.namespace = namespaces.platform)),
            limits,
        ),
        expect: /has no ResourceQuota/,
    },
    {
        name: "rejects a quota that does not bound memory limits",
        resources: tenancy(
            tweak(quota, (q) => delete hard(q)["limits.memory"]),
            limits,
        ),
        expect: /ResourceQuota in domino-compute does not bound limits.memory/,
    },
    {
        name: "accepts the short form cpu and memory for request bounds",
        resources: tenancy(
            tweak(quota, (q) => (q.spec = { hard: { cpu: "64", memory: "256Gi", "limits.memory": "256Gi" } })),
            limits,
        ),
        expect: null,
    },
    {
        name: "reports a configured user-workload role the tenancy model does not have",
        resources: tenancy(quota, limits),
        config: { "namespaces-quota-and-limits": { userWorkloadNamespaces: ["batch"] } },
        expect: /the tenancy model has no 'batch' namespace/,
    },
];
