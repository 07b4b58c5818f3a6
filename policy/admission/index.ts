// The pack's runtime side: every single-object rule's twin, the rules that stay
// preview-only and why, and the params they read. Imported by the program (through
// the `domino-tenancy-policy` package, as components/kubernetes/admissionPolicies.ts
// does, grouped into policies by policies.ts) and by the fast tier's parity spec; pack.ts does not import it.

import { clusterScopedNamesPrefixedTwin } from "../rules/cluster-scoped-names-prefixed/admission";
import { daemonsetsNodeScopedTwin } from "../rules/daemonsets-node-scoped/admission";
import { hostpathAllowlistedTwin } from "../rules/hostpath-allowlisted/admission";
import { imagesPinnedTwin } from "../rules/images-pinned/admission";
import { noHostNamespacesTwin } from "../rules/no-host-namespaces/admission";
import { noNodeportLoadbalancerTwin } from "../rules/no-nodeport-loadbalancer/admission";
import { noPrivilegedContainersTwin } from "../rules/no-privileged-containers/admission";
import { priorityClassesNeverPreemptTwin } from "../rules/priority-classes-never-preempt/admission";
import { rbacLeastPrivilegeTwin } from "../rules/rbac-least-privilege/admission";
import { resourcesRequestsLimitsTwin } from "../rules/resources-requests-limits/admission";
import { storageDynamicOnlyTemplatesTwin, storageDynamicOnlyTwin } from "../rules/storage-dynamic-only/admission";
import { sysctlsSafeTwin } from "../rules/sysctls-safe/admission";
import { workloadsLandOnDominoPoolsTwin } from "../rules/workloads-land-on-domino-pools/admission";
import type { AdmissionTwin } from "./twin";

export * from "./twin";
export { type AdmissionPolicy, admissionPolicies } from "./policies";
export { admissionParams, paramsName } from "./params";
export { operatorAccountsCondition, operatorConfinementArgs, operatorConfinementPolicy, operatorConfinementRule } from "./operatorConfinement";

/** Every twin, in the pack's rule order (a rule may have two: storage-dynamic-only judges pod templates and claims apart). */
export function allTwins(): AdmissionTwin[] {
    return [
        clusterScopedNamesPrefixedTwin(),
        daemonsetsNodeScopedTwin(),
        hostpathAllowlistedTwin(),
        noPrivilegedContainersTwin(),
        noHostNamespacesTwin(),
        resourcesRequestsLimitsTwin(),
        imagesPinnedTwin(),
        rbacLeastPrivilegeTwin(),
        noNodeportLoadbalancerTwin(),
        storageDynamicOnlyTemplatesTwin(),
        storageDynamicOnlyTwin(),
        sysctlsSafeTwin(),
        workloadsLandOnDominoPoolsTwin(),
        priorityClassesNeverPreemptTwin(),
    ];
}

/** Rules with no runtime twin, each with the one-line reason the parity table in docs/admission.md shows. */
export const previewOnlyRules: Readonly<Record<string, string>> = {
    "namespaces-default-deny": "a namespace is closed by a NetworkPolicy beside it: a relation between two objects that admission sees one at a time",
    "namespaces-pod-security":
        "Pod Security Admission itself enforces the level at runtime; the rule checks that the stack sets the labels and that exceptions are allowlisted",
    "namespaces-quota-and-limits": "a namespace's ResourceQuota and LimitRange are separate objects: only the stack shows they exist together",
    "no-shared-namespaces":
        "it judges where the stack puts objects; at runtime the bindings reach only Domino's namespaces and RBAC keeps Domino's accounts out of the shared ones",
    "node-pools-labeled-tainted": "node pools are cloud resources (EKS node groups, GKE node pools), not Kubernetes objects admission sees",
};
