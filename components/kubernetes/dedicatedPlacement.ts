// Dedicated isolation for pods the program does not create. Dedicated isolation taints
// Domino's pools; Domino's operator creates almost every pod, and those do not
// tolerate the taint. A MutatingAdmissionPolicy (admissionregistration.k8s.io/v1,
// Kubernetes 1.36+) bound to Domino's namespaces adds, at admission:
//   - the dedicated toleration, unless the pod already tolerates the taint;
//   - for a pod that selects no Domino pool at all, the pool its namespace implies
//     (compute namespace -> compute pool, every other Domino namespace -> platform);
//   - for a DaemonSet's template and the pods a DaemonSet owns, where the model has GPU
//     pools, the GPU taint's toleration (key only, Exists: each cloud's GPU taint has its
//     own value and effect), so Domino's own DaemonSets (scoped by `global_node_selectors`
//     to every Domino node) reach GPU nodes too. The template is what counts: the
//     DaemonSet controller creates no pod for a node whose taints its template does not
//     tolerate (measured on the local cluster: pods alone left the GPU node without one).
// Pure: manifests only.
//
// JSONPatch, not ApplyConfiguration: `tolerations` has no merge key, so it is an atomic
// list under server-side apply and an apply configuration would replace the pod's own
// tolerations (a GPU run's GPU toleration) instead of adding to them. `add .../-`
// appends; a missing list or map is added whole. Both tolerations go in one mutation, so
// the second never re-tests a list the first has just created.
//
// Pods and the pod templates of workload controllers: the tenancy rules' admission twin
// (workloads-land-on-domino-pools) judges a Deployment's template against the pools'
// taints, so a template without the toleration would be refused before any pod exists.
// Mutation runs before validation, so the twin sees the patched template.

import {
    daemonSetGpuToleration,
    dedicatedPlacementName,
    deploymentLabel,
    labelKeys,
    type NodePool,
    poolsWithRole,
    recommendedLabels,
    type Taint,
    taintKeys,
    type Toleration,
    tolerationsFor,
} from "@domino-tenancy/core";
import type { Manifest, MutatingAdmissionPolicySpec } from "./manifest";

export interface DedicatedPlacementArgs {
    readonly deploymentName: string;
    /** Set in dedicated isolation only; without it there is nothing to tolerate. */
    readonly dedicatedTaint?: Taint;
    readonly computeNamespace: string;
    readonly pools: readonly NodePool[];
}

export { dedicatedPlacementName };

const lit = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** A JSON Pointer segment: `/` and `~` escaped (RFC 6901). */
const pointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** Renders one JSON patch operation; the API server's form is the typed `JSONPatch{...}` literal. */
export type PatchRenderer = (op: string, path: string, value: string) => string;
export const jsonPatchLiteral: PatchRenderer = (op, path, value) => `JSONPatch{op: ${op}, path: ${path}, value: ${value}}`;

/** The pool label value a pod in each kind of namespace lands on when it chose none. */
function poolLabel(pools: readonly NodePool[], role: "platform" | "compute"): string {
    // Several compute pools: the first is the default; pods that mean another select it.
    const [first] = poolsWithRole(pools, role);
    if (!first) throw new Error(`dedicated placement: the model has no ${role} pool`);
    return first.nodePoolLabel;
}

/** A toleration as a CEL map literal. */
const tolerationLiteral = (tol: Toleration) =>
    `{${Object.entries(tol)
        .map(([k, v]) => `${lit(k)}: ${lit(String(v))}`)
        .join(", ")}}`;

export { daemonSetGpuToleration };

/** The policy's variables: which pod spec, where it sits, and what it already has. Plain CEL, no typed literals. */
export function placementVariables(args: DedicatedPlacementArgs & { readonly dedicatedTaint: Taint }): { name: string; expression: string }[] {
    const t = args.dedicatedTaint;
    const prefix = lit(labelKeys.nodePool.split("/")[0] + "/");
    const ofKind = (pod: string, cronJob: string, template: string) => `object.kind == 'Pod' ? ${pod} : object.kind == 'CronJob' ? ${cronJob} : ${template}`;
    return [
        { name: "podSpec", expression: ofKind("object.spec", "object.spec.jobTemplate.spec.template.spec", "object.spec.template.spec") },
        { name: "path", expression: ofKind("'/spec'", "'/spec/jobTemplate/spec/template/spec'", "'/spec/template/spec'") },
        {
            // A key-less Exists tolerates every taint; otherwise the key, and the value unless Exists, and the effect unless empty.
            name: "tolerated",
            expression:
                "has(variables.podSpec.tolerations) && variables.podSpec.tolerations.exists(x, " +
                `(!has(x.effect) || x.effect == '' || x.effect == ${lit(t.effect)}) && (` +
                "((!has(x.key) || x.key == '') && has(x.operator) && x.operator == 'Exists') || " +
                `(has(x.key) && x.key == ${lit(t.key)} && ((has(x.operator) && x.operator == 'Exists') || (has(x.value) && x.value == ${lit(t.value ?? "")})))))`,
        },
        {
            // Any Domino label in the node selector or a required affinity term is a choice of pool: respected as it is.
            name: "selectsPool",
            expression:
                `(has(variables.podSpec.nodeSelector) && variables.podSpec.nodeSelector.exists(k, k.startsWith(${prefix}))) || ` +
                "(has(variables.podSpec.affinity) && has(variables.podSpec.affinity.nodeAffinity) && " +
                "has(variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) && " +
                "variables.podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.exists(term, " +
                `has(term.matchExpressions) && term.matchExpressions.exists(r, r.key.startsWith(${prefix}))))`,
        },
        {
            // Only an effect-less Exists covers every GPU taint (AWS: true/NoSchedule, GKE: present/NoSchedule, modules: NoExecute).
            name: "gpuTolerated",
            expression:
                "has(variables.podSpec.tolerations) && variables.podSpec.tolerations.exists(x, " +
                "(!has(x.effect) || x.effect == '') && has(x.operator) && x.operator == 'Exists' && " +
                `(!has(x.key) || x.key == '' || x.key == ${lit(taintKeys.gpu)}))`,
        },
        {
            name: "ofDaemonSet",
            expression:
                "object.kind == 'DaemonSet' || (object.kind == 'Pod' && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(r, r.kind == 'DaemonSet'))",
        },
        {
            // What the pod lacks, in order: the dedicated toleration, then (DaemonSets and their pods, with GPU pools) the GPU one.
            name: "missingTolerations",
            expression:
                `(variables.tolerated ? [] : [${tolerationLiteral(tolerationsFor([t])[0])}])` +
                (poolsWithRole(args.pools, "gpu").length > 0
                    ? ` + (variables.ofDaemonSet && !variables.gpuTolerated ? [${tolerationLiteral(daemonSetGpuToleration)}] : [])`
                    : ""),
        },
        {
            name: "poolLabel",
            expression: `request.namespace == ${lit(args.computeNamespace)} ? ${lit(poolLabel(args.pools, "compute"))} : ${lit(poolLabel(args.pools, "platform"))}`,
        },
    ];
}

/** The two patches: the tolerations the pod lacks, then the placement; each an empty list when there is nothing to add. */
export function placementPatches(render: PatchRenderer = jsonPatchLiteral): { toleration: string; placement: string } {
    const selectorKey = pointer(labelKeys.nodePool);
    return {
        toleration:
            "size(variables.missingTolerations) == 0 ? [] : has(variables.podSpec.tolerations) ? " +
            `variables.missingTolerations.map(t, ${render("'add'", "variables.path + '/tolerations/-'", "t")}) : ` +
            `[${render("'add'", "variables.path + '/tolerations'", "variables.missingTolerations")}]`,
        placement:
            "variables.selectsPool ? [] : has(variables.podSpec.nodeSelector) ? " +
            `[${render("'add'", `variables.path + '/nodeSelector/${selectorKey}'`, "variables.poolLabel")}] : ` +
            `[${render("'add'", "variables.path + '/nodeSelector'", `{${lit(labelKeys.nodePool)}: variables.poolLabel}`)}]`,
    };
}

export function placementPolicySpec(args: DedicatedPlacementArgs & { readonly dedicatedTaint: Taint }): MutatingAdmissionPolicySpec {
    const patches = placementPatches();
    return {
        // A pod admitted without its toleration would be stranded Pending; refuse it instead, visibly.
        failurePolicy: "Fail",
        // The patches are idempotent (each checks first), so one pass is enough.
        reinvocationPolicy: "Never",
        matchConstraints: {
            resourceRules: [
                // A pod's tolerations may only grow after creation and its node selector is fixed: CREATE is the moment.
                { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] },
                {
                    apiGroups: ["apps"],
                    apiVersions: ["v1"],
                    resources: ["deployments", "statefulsets", "daemonsets", "replicasets"],
                    operations: ["CREATE", "UPDATE"],
                },
                { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"], operations: ["CREATE", "UPDATE"] },
            ],
        },
        variables: placementVariables(args),
        mutations: [
            { patchType: "JSONPatch", jsonPatch: { expression: patches.toleration } },
            { patchType: "JSONPatch", jsonPatch: { expression: patches.placement } },
        ],
    };
}

/** The policy and its binding to Domino's namespaces; nothing unless isolation is dedicated. */
export function buildDedicatedPlacement(args: DedicatedPlacementArgs): Manifest[] {
    const taint = args.dedicatedTaint;
    if (!taint || taint.key !== taintKeys.dedicated) return [];
    const name = dedicatedPlacementName(args.deploymentName);
    const labels = recommendedLabels(args.deploymentName, "dedicated-placement");
    return [
        { kind: "MutatingAdmissionPolicy", metadata: { name, labels }, spec: placementPolicySpec({ ...args, dedicatedTaint: taint }) },
        {
            kind: "MutatingAdmissionPolicyBinding",
            metadata: { name, labels },
            // Every Domino namespace carries the deployment label; no other tenant's does.
            spec: { policyName: name, matchResources: { namespaceSelector: { matchLabels: { [deploymentLabel]: args.deploymentName } } } },
        },
    ];
}
