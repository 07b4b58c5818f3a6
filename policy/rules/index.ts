// Every rule of the pack, in the order violations are reported. Side-effect free:
// the pack's entry file and the plan checker both import this list.

import type { TenancyPolicy } from "../lib/rule";
import { clusterScopedNamesPrefixed } from "./clusterScopedNamesPrefixed";
import { daemonsetsNodeScoped } from "./daemonsetsNodeScoped";
import { hostpathAllowlisted } from "./hostpathAllowlisted";
import { imagesPinned } from "./imagesPinned";
import { namespacesDefaultDeny } from "./namespacesDefaultDeny";
import { namespacesPodSecurity } from "./namespacesPodSecurity";
import { namespacesQuotaAndLimits } from "./namespacesQuotaAndLimits";
import { noHostNamespaces } from "./noHostNamespaces";
import { nodePoolsLabeledTainted } from "./nodePoolsLabeledTainted";
import { noNodeportLoadbalancer } from "./noNodeportLoadbalancer";
import { noPrivilegedContainers } from "./noPrivilegedContainers";
import { noSharedNamespaces } from "./noSharedNamespaces";
import { rbacLeastPrivilege } from "./rbacLeastPrivilege";
import { resourcesRequestsLimits } from "./resourcesRequestsLimits";
import { storageDynamicOnly } from "./storageDynamicOnly";
import { sysctlsSafe } from "./sysctlsSafe";
import { workloadsLandOnDominoPools } from "./workloadsLandOnDominoPools";

export const allRules: readonly TenancyPolicy[] = [
    // Resource rules: one object at a time.
    clusterScopedNamesPrefixed,
    daemonsetsNodeScoped,
    hostpathAllowlisted,
    noPrivilegedContainers,
    noHostNamespaces,
    resourcesRequestsLimits,
    imagesPinned,
    noSharedNamespaces,
    rbacLeastPrivilege,
    namespacesPodSecurity,
    noNodeportLoadbalancer,
    storageDynamicOnly,
    nodePoolsLabeledTainted,
    sysctlsSafe,
    // Stack rules: relations across the whole stack.
    workloadsLandOnDominoPools,
    namespacesQuotaAndLimits,
    namespacesDefaultDeny,
];
