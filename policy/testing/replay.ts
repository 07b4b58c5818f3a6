// Replaying a rule's own cases at admission (the fast tier's parity spec, the e2e, and
// `npm run verify` on a live cluster): which Kubernetes objects a case hands the API
// server, the params the stack would generate for it, and the cases whose verdict needs
// more than the one object admission sees. Data and pure functions only.

import * as path from "path";
import {
    asPlacementAdmits,
    dedicatedPlacementName,
    type PodScheduling,
    tenancyModelKey,
    tenancyModelLabel,
    type TenancyModelDocument,
} from "@domino-tenancy/core";
import { admissionParams } from "../admission";
import type { PackConfig, PlanResourceLike } from "../lib/check";
import { type KubeObject, type RuleCase, tenancyModel, tweakPod, workloadKinds, type WorkloadKind } from "./fixtures";

/** Cases whose verdict needs more than the object under review: preview-only by design, admitted at runtime. */
export const previewOnlyCases: Readonly<Record<string, readonly string[]>> = {
    "rbac-least-privilege": ["rejects a ClusterRoleBinding that grants secrets in every namespace"],
    "sysctls-safe": ["rejects the allowlisted writer writing a sysctl it is not allowlisted for"],
};

const isModel = (r: PlanResourceLike) => ((r.inputs.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {})[tenancyModelLabel] === "true";

/**
 * The Kubernetes objects a case hands the rule, without the tenancy model and cloud node
 * pools, as the validating policies get them: mutation runs first, so where the case's
 * stack declares the dedicated-placement policy, the pod templates in Domino's namespaces
 * arrive with what it adds (core's asPlacementAdmits states the policy's additions).
 */
export function objectsOf(c: RuleCase): KubeObject[] {
    if (c.object) return [c.object];
    const objects = (c.resources ?? []).filter((r) => r.type.startsWith("kubernetes:") && !isModel(r)).map((r) => r.inputs as unknown as KubeObject);
    const modelResource = (c.resources ?? []).find(isModel);
    const doc = modelResource ? (JSON.parse((modelResource.inputs.data as Record<string, string>)[tenancyModelKey]) as TenancyModelDocument) : tenancyModel();
    const placement = objects.some((o) => o.kind === "MutatingAdmissionPolicy" && o.metadata.name === dedicatedPlacementName(doc.deploymentName));
    const taint = doc.dedicatedTaint;
    if (!placement || !taint) return objects;
    const bound = new Set(Object.values(doc.namespaces));
    return objects.map((o) => {
        if (!workloadKinds.includes(o.kind as WorkloadKind) || !bound.has(o.metadata.namespace ?? "")) return o;
        return tweakPod(o, (pod) =>
            Object.assign(
                pod,
                asPlacementAdmits(pod as PodScheduling, {
                    dedicatedTaint: taint,
                    pools: doc.pools,
                    computeNamespace: doc.namespaces.compute,
                    namespace: o.metadata.namespace!,
                    daemonSet: o.kind === "DaemonSet",
                }),
            ),
        );
    });
}

/** The params the stack would generate for a case: its own tenancy model (or the default one) and its pack config. */
export function paramsOf(c: RuleCase): Record<string, string> {
    const model = (c.resources ?? []).find(isModel);
    const doc = model ? (JSON.parse((model.inputs.data as Record<string, string>)[tenancyModelKey]) as TenancyModelDocument) : tenancyModel();
    return admissionParams(doc, (c.config ?? {}) as PackConfig);
}

/** The `cases` a rule's folder exports (policy/rules/<name>/cases.ts); throws when the folder has none. */
export function casesOf(ruleName: string): readonly RuleCase[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is named at run time, one per rule
    const loaded = require(path.join(__dirname, "..", "rules", ruleName, "cases")) as { cases?: readonly RuleCase[] };
    if (!Array.isArray(loaded.cases)) throw new Error(`policy/rules/${ruleName}/cases.ts exports no 'cases' list`);
    return loaded.cases;
}
