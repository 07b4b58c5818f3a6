// Every rule of the pack, in the order violations are reported. Side-effect free:
// the pack's entry file and the plan checker both import this list.

import type { TenancyPolicy } from "../lib/rule";
import { clusterScopedNamesPrefixed } from "./cluster-scoped-names-prefixed/rule";
import { daemonsetsNodeScoped } from "./daemonsets-node-scoped/rule";
import { hostpathAllowlisted } from "./hostpath-allowlisted/rule";
import { imagesPinned } from "./images-pinned/rule";
import { namespacesDefaultDeny } from "./namespaces-default-deny/rule";
import { namespacesPodSecurity } from "./namespaces-pod-security/rule";
import { namespacesQuotaAndLimits } from "./namespaces-quota-and-limits/rule";
import { noHostNamespaces } from "./no-host-namespaces/rule";
import { nodePoolsLabeledTainted } from "./node-pools-labeled-tainted/rule";
import { noNodeportLoadbalancer } from "./no-nodeport-loadbalancer/rule";
import { noPrivilegedContainers } from "./no-privileged-containers/rule";
import { noSharedNamespaces } from "./no-shared-namespaces/rule";
import { priorityClassesNeverPreempt } from "./priority-classes-never-preempt/rule";
import { rbacLeastPrivilege } from "./rbac-least-privilege/rule";
import { resourcesRequestsLimits } from "./resources-requests-limits/rule";
import { storageDynamicOnly } from "./storage-dynamic-only/rule";
import { sysctlsSafe } from "./sysctls-safe/rule";
import { workloadsLandOnDominoPools } from "./workloads-land-on-domino-pools/rule";

// The order is the order of reports; each rule's kind says what it needs to decide:
// resource = the object alone; deployment = the object plus the deployment the stack
// declares (run as a stack policy); stack/relation = relations between objects.
export const allRules: readonly TenancyPolicy[] = [
    clusterScopedNamesPrefixed, // deployment
    daemonsetsNodeScoped, // resource
    hostpathAllowlisted, // deployment
    noPrivilegedContainers, // deployment
    noHostNamespaces, // deployment
    resourcesRequestsLimits, // resource
    imagesPinned, // resource
    noSharedNamespaces, // resource
    rbacLeastPrivilege, // relation
    namespacesPodSecurity, // deployment
    noNodeportLoadbalancer, // deployment
    storageDynamicOnly, // stack
    nodePoolsLabeledTainted, // stack
    sysctlsSafe, // stack
    workloadsLandOnDominoPools, // stack
    namespacesQuotaAndLimits, // stack
    namespacesDefaultDeny, // stack
    priorityClassesNeverPreempt, // deployment
];
