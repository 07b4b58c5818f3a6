// Fixtures for each rule's own cases (policy/rules/<name>/cases.ts), in the manner of
// pod-security-admission's fixtures and Kyverno's good/bad resources: one minimal
// compliant object per shape, a tweak that changes one field of a copy, and the
// smallest resource list a deployment-aware rule can judge (the tenancy-model
// ConfigMap plus the objects under test). Data and pure builders only, so the cases
// can later drive admission-time twins through a real API server; pack.ts never
// imports this folder.

import {
    dedicatedTaint,
    labelKeys,
    defaultNamespaces,
    defaultNodePoolLabel,
    poolLabels,
    poolTaints,
    type PoolRole,
    type Taint,
    tenancyModelConfigMap,
    type TenancyModelDocument,
    tenancyModelKey,
    tenancyModelLabel,
    tenancyModelSchemaVersion,
    tolerationsFor,
} from "@domino-tenancy/core";
import type { PackConfig, PlanLike, PlanResourceLike } from "../lib/check";
import { gkeNodePoolType, nodeGroupType } from "../lib/context";
import type { Container, ObjectMeta, PodSpec } from "../lib/resources";

/**
 * A Kubernetes type with every field optional and writable, as a manifest is written
 * (the provider's output types mark every field present): what builders return and
 * tweaks edit.
 */
export type Manifest<T> = T extends readonly (infer U)[] ? Manifest<U>[] : T extends object ? { -readonly [K in keyof T]?: Manifest<T[K]> } : T;
export type PodFixture = Manifest<PodSpec>;
export type ContainerFixture = Manifest<Container>;

/** A real Kubernetes object, as the program registers it and an API server would take it. */
export interface KubeObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta & { name: string };
    [field: string]: unknown;
}

/** One behaviour of one rule: the input, and what the rule must say about it. */
export interface RuleCase {
    /** The behaviour pinned down; the test title. */
    readonly name: string;
    /** One object judged alone (rules that need nothing but the object). */
    readonly object?: KubeObject;
    /** The whole stack as the rule sees it (rules that need the deployment or relations). */
    readonly resources?: readonly PlanResourceLike[];
    /** `--policy-pack-config`, as the engine reads it. */
    readonly config?: PackConfig;
    /** A message the rule must report, or null when the rule must report nothing. */
    readonly expect: RegExp | null;
    /** Who asks, for the admission twin (a username); default: one of Domino's platform service accounts. */
    readonly requestedBy?: string;
}

// ---- the deployment ----

export const deploymentName = "domino";
export const namespaces = defaultNamespaces(deploymentName);
export const dedicated: Taint = dedicatedTaint(deploymentName);

function modelPool(role: PoolRole) {
    const taints = poolTaints({ role, gpuTaintEffect: "NoSchedule", dedicated });
    return { name: role, role, labels: poolLabels({ role, nodePoolLabel: defaultNodePoolLabel[role] }), taints };
}

/** The model of a dedicated deployment named `domino` with a platform, a compute and a GPU pool. */
export function tenancyModel(): TenancyModelDocument {
    return {
        schemaVersion: tenancyModelSchemaVersion,
        deploymentName,
        cloud: "existing",
        isolation: "dedicated",
        dedicatedTaint: dedicated,
        namespaces,
        storageClasses: { block: `${deploymentName}-disk`, shared: `${deploymentName}-shared` },
        ingress: { namespace: "ingress-nginx" },
        minPlatformNodes: 1,
        pools: (["platform", "compute", "gpu"] as const).map(modelPool),
    };
}

/** The tenancy-model ConfigMap the stack declares (components/kubernetes/dominoTenancy.ts). */
export function modelConfigMap(doc: TenancyModelDocument = tenancyModel()): KubeObject {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: tenancyModelConfigMap, namespace: doc.namespaces.system, labels: { [tenancyModelLabel]: "true" } },
        data: { [tenancyModelKey]: JSON.stringify(doc) },
    };
}

/** `apps/v1` + `DaemonSet` -> `kubernetes:apps/v1:DaemonSet`, the type the provider registers. */
export function typeOf(obj: KubeObject): string {
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["core", obj.apiVersion];
    return `kubernetes:${group}/${version}:${obj.kind}`;
}

/** A plan resource for an object, named the way the program names its children. */
export function toResource(obj: KubeObject): PlanResourceLike {
    const type = typeOf(obj);
    const name = obj.metadata.namespace ? `${obj.metadata.namespace}-${obj.metadata.name}` : obj.metadata.name;
    return { urn: `urn:pulumi:cases::domino-tenancy::${type}::${name}`, type, name, inputs: { ...obj } };
}

/** The model of tenancyModel() when the stack installs Domino's Platform Operator in its system namespace. */
export function withOperator(rbac: "confined" | "chart" = "confined"): TenancyModelDocument {
    return { ...tenancyModel(), operator: { namespace: namespaces.system, rbac } };
}

/** A plan resource for an object the operator's chart renders: a child of the chart component of the PlatformOperator component. */
export function fromOperatorChart(obj: KubeObject): PlanResourceLike {
    const type = typeOf(obj);
    const chain = `domino-tenancy:index:DominoStack$domino-tenancy:index:PlatformOperator$kubernetes:helm.sh/v4:Chart$${type}`;
    const name = `domino-operator-chart:${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;
    return { urn: `urn:pulumi:cases::domino-tenancy::${chain}::${name}`, type, name, inputs: { ...obj } };
}

/** A plan resource for an object the PlatformOperator component itself creates (the operator's namespace grants). */
export function fromPlatformOperator(obj: KubeObject): PlanResourceLike {
    const type = typeOf(obj);
    const name = obj.metadata.namespace ? `${obj.metadata.namespace}-${obj.metadata.name}` : obj.metadata.name;
    return { urn: `urn:pulumi:cases::domino-tenancy::domino-tenancy:index:PlatformOperator$${type}::${name}`, type, name, inputs: { ...obj } };
}

/** Who installs the stack, as the admission twins see it: not one of Domino's service accounts. */
export const installerIdentity = "kubernetes-admin";

type Item = KubeObject | PlanResourceLike;
const isResource = (x: Item): x is PlanResourceLike => typeof (x as PlanResourceLike).urn === "string";

/** The smallest stack a deployment-aware rule can judge: the tenancy model, then the items. */
export function tenancy(...items: readonly Item[]): PlanResourceLike[] {
    return withModel(tenancyModel(), ...items);
}

/** As tenancy(), with a model of the case's own. */
export function withModel(doc: TenancyModelDocument, ...items: readonly Item[]): PlanResourceLike[] {
    return [toResource(modelConfigMap(doc)), ...items.map((x) => (isResource(x) ? x : toResource(x)))];
}

/** What the offline checker reads for a case. */
export function planOf(c: RuleCase): PlanLike {
    if (c.resources) return { resources: c.resources };
    if (c.object) return { resources: [toResource(c.object)] };
    throw new Error(`case '${c.name}' has neither resources nor object`);
}

/** A copy of `base` with one edit applied: the base stays untouched for the next case. */
export function tweak<T>(base: T, edit: (copy: T) => void): T {
    const copy = structuredClone(base);
    edit(copy);
    return copy;
}

// ---- cloud node pools ----

const cloudEffect: Readonly<Record<Taint["effect"], string>> = { NoSchedule: "NO_SCHEDULE", NoExecute: "NO_EXECUTE", PreferNoSchedule: "PREFER_NO_SCHEDULE" };
const cloudTaints = (taints: readonly Taint[]) => taints.map((t) => ({ key: t.key, value: t.value, effect: cloudEffect[t.effect] }));

export interface PoolShape {
    labels: Record<string, string>;
    taints: Taint[];
    minSize: number;
}

/** A pool's labels, taints and minimum size as the model's pool of that role has them. */
export function poolShape(role: PoolRole, isolation: "dedicated" | "shared" = "dedicated"): PoolShape {
    const pool = modelPool(role);
    const taints = isolation === "dedicated" ? pool.taints : pool.taints.filter((t) => t.key !== dedicated.key);
    return { labels: { ...pool.labels }, taints: [...taints], minSize: role === "platform" ? 1 : 0 };
}

function poolResource(type: string, name: string, inputs: Record<string, unknown>): PlanResourceLike {
    return { urn: `urn:pulumi:cases::domino-tenancy::${type}::${name}`, type, name, inputs };
}

/** A GKE node pool resource, as the gcp provider takes it. */
export function gkeNodePool(name: string, shape: PoolShape): PlanResourceLike {
    return poolResource(gkeNodePoolType, name, {
        nodeConfig: { labels: shape.labels, taints: cloudTaints(shape.taints) },
        autoscaling: { minNodeCount: shape.minSize, maxNodeCount: 5 },
    });
}

/** An EKS managed node group resource, as the aws provider takes it. */
export function eksNodeGroup(name: string, shape: PoolShape): PlanResourceLike {
    return poolResource(nodeGroupType, name, {
        labels: shape.labels,
        taints: cloudTaints(shape.taints),
        scalingConfig: { minSize: shape.minSize, maxSize: 4, desiredSize: shape.minSize },
    });
}

// ---- pods and their wrappers ----

/** A container every pod rule accepts: pinned image, requests and a memory limit, no privilege. */
export function compliantContainer(name = "main"): ContainerFixture {
    return {
        name,
        image: "registry.example.com/tool:1.2.3",
        resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
    };
}

/** Selects the pool of a role and tolerates its taints: lands there and nowhere else. */
export function placedOn(role: PoolRole): Pick<PodFixture, "nodeSelector" | "tolerations"> {
    return { nodeSelector: { [labelKeys.nodePool]: defaultNodePoolLabel[role] }, tolerations: tolerationsFor(modelPool(role).taints) };
}

/** A pod spec every pod rule accepts: one compliant container on the platform pool. */
export function compliantPod(): PodFixture {
    return { ...placedOn("platform"), containers: [compliantContainer()] };
}

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" | "Pod";

/** Every kind that carries a pod template, for cases that must hold in each wrapper. */
export const workloadKinds: readonly WorkloadKind[] = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];

const apiVersions: Readonly<Record<WorkloadKind, string>> = {
    Deployment: "apps/v1",
    StatefulSet: "apps/v1",
    DaemonSet: "apps/v1",
    Job: "batch/v1",
    CronJob: "batch/v1",
    Pod: "v1",
};

/** A workload of the given kind around a pod spec, in a Domino namespace unless told otherwise. */
export function workload(kind: WorkloadKind, pod: PodFixture = compliantPod(), name = "app", namespace: string = namespaces.platform): KubeObject {
    const labels = { app: name };
    const template = { metadata: { labels }, spec: pod };
    const specs: Record<WorkloadKind, () => Record<string, unknown>> = {
        Deployment: () => ({ selector: { matchLabels: labels }, template }),
        StatefulSet: () => ({ serviceName: name, selector: { matchLabels: labels }, template }),
        DaemonSet: () => ({ selector: { matchLabels: labels }, template }),
        Job: () => ({ template: { ...template, spec: { restartPolicy: "Never", ...pod } } }),
        CronJob: () => ({ schedule: "0 * * * *", jobTemplate: { spec: { template: { ...template, spec: { restartPolicy: "Never", ...pod } } } } }),
        Pod: () => ({ ...pod }),
    };
    return { apiVersion: apiVersions[kind], kind, metadata: { name, namespace, ...(kind === "Pod" ? { labels } : {}) }, spec: structuredClone(specs[kind]()) };
}

/** The pod spec inside a workload, for tweaks. */
export function podOf(obj: KubeObject): PodFixture {
    type Template = { spec: PodFixture };
    if (obj.kind === "Pod") return obj.spec as PodFixture;
    if (obj.kind === "CronJob") return (obj.spec as { jobTemplate: { spec: { template: Template } } }).jobTemplate.spec.template.spec;
    return (obj.spec as { template: Template }).template.spec;
}

/** A copy of a workload with its pod spec edited. */
export function tweakPod(base: KubeObject, edit: (pod: PodFixture) => void): KubeObject {
    return tweak(base, (copy) => edit(podOf(copy)));
}

/** The first (or named) container of a workload's pod, for tweaks. */
export function containerOf(pod: PodFixture, name?: string): ContainerFixture {
    const all = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    const found = name === undefined ? pod.containers?.[0] : all.find((c) => c.name === name);
    if (!found) throw new Error(`no container ${name ?? "(first)"}`);
    return found;
}

/** One case per wrapper: the same pod judged as a Deployment, a Job, a CronJob, a bare Pod... */
export function inEveryWrapper(
    name: string,
    pod: PodFixture,
    expect: RegExp | null,
    build: (obj: KubeObject) => Pick<RuleCase, "object" | "resources">,
    kinds: readonly WorkloadKind[] = workloadKinds,
): RuleCase[] {
    return kinds.map((kind) => ({ name: `${name} (${kind})`, ...build(workload(kind, pod)), expect }));
}

// ---- other objects ----

export function namespace(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): KubeObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels, ...(annotations ? { annotations } : {}) } };
}

/** How a case hands its object to a rule that judges objects alone. */
export const alone = (object: KubeObject): Pick<RuleCase, "object"> => ({ object });
/** How a case hands its object to a rule that needs the deployment: inside the smallest stack. */
export const inTenancy = (object: KubeObject): Pick<RuleCase, "resources"> => ({ resources: tenancy(object) });
