// Helpers to read a plan in tests: resources by type, Kubernetes objects by kind,
// and inline stack configs for each cloud.

import { buildModel } from "../../components/model/model";
import { ConfigError } from "../../components/model/schema";
import type { Plan, PlanResource } from "../../plan/engine";

export type K8sObject = {
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
    [key: string]: unknown;
};

export function ofType(plan: Plan, type: string): PlanResource[] {
    return plan.resources.filter((r) => r.type === type);
}

/** helm.v4.Chart: a component whose children appear only at a real preview, not an object with a kind. */
export const helmChartType = "kubernetes:helm.sh/v4:Chart";

export function k8sObjects(plan: Plan, kind?: string): K8sObject[] {
    return plan.resources
        .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers") && r.type !== helmChartType)
        .map((r) => r.inputs as K8sObject)
        .filter((o) => kind === undefined || o.kind === kind);
}

export function k8sObject(plan: Plan, kind: string, name: string, namespace?: string): K8sObject {
    const found = k8sObjects(plan, kind).find((o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
    if (!found) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ""}${name} in plan ${plan.stack}`);
    return found;
}

export type PodSpecLike = {
    nodeSelector?: Record<string, string>;
    affinity?: {
        nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: {
                nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values?: string[] }[] }[];
            };
        };
    };
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
    priorityClassName?: string;
    hostNetwork?: boolean;
    containers: ContainerLike[];
    initContainers?: ContainerLike[];
    volumes?: { name: string; hostPath?: { path: string } }[];
};
export type ContainerLike = {
    name: string;
    image: string;
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    securityContext?: { privileged?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
    volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
};

export function podSpecOf(obj: K8sObject): PodSpecLike {
    const spec = obj.spec as { template?: { spec: PodSpecLike }; jobTemplate?: { spec: { template: { spec: PodSpecLike } } } };
    const pod = spec.template?.spec ?? spec.jobTemplate?.spec.template.spec;
    if (!pod) throw new Error(`${obj.kind} ${obj.metadata.name} has no pod template`);
    return pod;
}

const storage = {
    block: { provisioner: "rancher.io/local-path" },
    shared: { provisioner: "nfs.csi.k8s.io", parameters: { server: "nfs.test", share: "/x" } },
};

/** How the base configs install Domino 6.1.0: the operator from the stand-in chart folder, a registry user. */
const install = { registry: { username: "domino-ci" }, chart: { archive: "test/fixtures/platform-operator-standin" } };

/** The registry password's secret config, for inline plans (`runProgram({ inline: { secrets } })`). */
export const testSecrets = { registryPassword: "not-a-real-password" };

/** A minimal valid `tenancy` object per cloud; tests change one thing at a time. */
export function baseTenancy(cloud: "aws" | "gcp" | "existing"): Record<string, unknown> {
    switch (cloud) {
        case "aws":
            return {
                cloud,
                cluster: { name: "test", region: "us-west-2", subnetIds: ["subnet-a", "subnet-b"] },
                domino: { hostname: "domino.test.example.com", storageClasses: { shared: { parameters: { fileSystemId: "fs-1" } } }, install },
            };
        case "gcp":
            return {
                cloud,
                cluster: { name: "test", location: "us-central1", project: "p" },
                domino: { hostname: "domino.test.example.com", storageClasses: { shared: { parameters: { network: "default" } } }, install },
            };
        case "existing":
            return { cloud, cluster: { kubeconfigPath: "/dev/null" }, domino: { hostname: "domino.test.example.com", storageClasses: storage, install } };
    }
}

/** Deep-merges `patch` into a copy of `base` (arrays are replaced). */
export function withPatch(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
        const prev = out[k];
        out[k] =
            v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev)
                ? withPatch(prev as Record<string, unknown>, v as Record<string, unknown>)
                : v;
    }
    return out;
}

/** The config issues a tenancy config raises (path and message each), or none when it builds. */
export function configIssuesOf(tenancy: Record<string, unknown>): { path: string; message: string }[] {
    try {
        buildModel(JSON.parse(JSON.stringify(tenancy)), "t");
    } catch (err) {
        if (err instanceof ConfigError) return [...err.issues];
        throw err;
    }
    return [];
}
