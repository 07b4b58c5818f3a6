// The params object every twin reads: one ConfigMap per deployment, generated from
// the tenancy model and the same exception lists the pack uses (lib/exceptions.ts,
// with `{name}` expanded), extended by `--policy-pack-config` the way settings() does.
// ConfigMap values are strings, so lists are comma-separated (no entry contains a
// comma) and CEL reads them with the strings extension's `split`; compound entries
// join their parts with characters their parts never contain (`/`, `:`, `|`, `#`).
// Built for the twins' cost: parsed once per request, looked up with `in`.

import {
    ambientLabelPrefixes,
    dominoLabelPrefix,
    labelKeys,
    operatorNamespaceRoleName,
    operatorNamespaceRoles,
    operatorOwnObjects,
    operatorUsername,
    type TenancyModelDocument,
} from "@domino-tenancy/core";
import type { PackConfig } from "../lib/check";
import {
    defaultHostNamespaces,
    defaultHostPaths,
    defaultPrivileged,
    defaultSysctlWriters,
    expand,
    type HostNamespaceException,
    type HostPathException,
    type PersistentVolumeException,
    type PrivilegedException,
    safeSysctls,
    type ServiceException,
    type SysctlWriterException,
} from "../lib/exceptions";
import { clusterScopedDefaults } from "../rules/cluster-scoped-names-prefixed/rule";
import { rbacDefaults } from "../rules/rbac-least-privilege/rule";

/** Name of the params ConfigMap, in the deployment's system namespace. */
export function paramsName(deploymentName: string): string {
    return `${deploymentName}-admission-params`;
}

/** A rule's list: the built-in one, then what the pack config adds (lists extend, as settings() does). */
function listOf<T>(config: PackConfig, rule: string, key: string, defaults: readonly T[]): T[] {
    const given = config[rule];
    const extra = typeof given === "object" && Array.isArray(given[key]) ? (given[key] as T[]) : [];
    return [...defaults, ...extra];
}

function valueOf<T>(config: PackConfig, rule: string, key: string, fallback: T): T {
    const given = config[rule];
    return typeof given === "object" && given[key] !== undefined ? (given[key] as T) : fallback;
}

const join = (items: readonly string[]): string => items.join(",");

/** The params ConfigMap's data for a deployment. */
export function admissionParams(model: TenancyModelDocument, config: PackConfig = {}): Record<string, string> {
    const name = model.deploymentName;
    const x = (pattern: string) => expand(pattern, name);
    const hostNamespaces = listOf<HostNamespaceException>(config, "no-host-namespaces", "allowedHostNamespaces", defaultHostNamespaces);
    const hostPaths = listOf<HostPathException>(config, "hostpath-allowlisted", "allowedHostPaths", defaultHostPaths);
    const writers = listOf<SysctlWriterException>(config, "sysctls-safe", "nodeSysctlWriters", defaultSysctlWriters);
    const platformLabels = model.pools.filter((p) => p.role === "platform").map((p) => `${labelKeys.nodePool}=${p.labels[labelKeys.nodePool] ?? ""}`);
    // Only NoSchedule and NoExecute keep a pod off a node; PreferNoSchedule is left out.
    // Each taint is given as the toleration strings that tolerate it (see the twin):
    // `key:value:effect`, with `*` for Exists and an empty effect for "every effect".
    const toleratedBy = (t: TenancyModelDocument["pools"][number]["taints"][number]) =>
        [`${t.key}:${t.value ?? ""}`, `${t.key}:*`, ":*"].flatMap((kv) => [`${kv}:${t.effect}`, `${kv}:`]).join("|");
    const pool = (p: TenancyModelDocument["pools"][number]) =>
        [
            p.role,
            Object.entries(p.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(","),
            p.taints
                .filter((t) => t.effect !== "PreferNoSchedule")
                .map(toleratedBy)
                .join(","),
        ].join("#");
    return {
        // images-pinned
        requireDigests: String(valueOf(config, "images-pinned", "requireDigests", false)),
        // no-privileged-containers: `namespace/workload:container`
        privileged: join(
            listOf<PrivilegedException>(config, "no-privileged-containers", "allowedPrivileged", defaultPrivileged).map(
                (e) => `${x(e.workload)}:${e.container}`,
            ),
        ),
        // no-host-namespaces: workloads per namespace, and `namespace/workload:port`
        hostNetwork: join(hostNamespaces.filter((e) => e.hostNetwork).map((e) => x(e.workload))),
        hostPID: join(hostNamespaces.filter((e) => e.hostPID).map((e) => x(e.workload))),
        hostIPC: join(hostNamespaces.filter((e) => e.hostIPC).map((e) => x(e.workload))),
        hostPorts: join(hostNamespaces.flatMap((e) => (e.hostPorts ?? []).map((port) => `${x(e.workload)}:${port}`))),
        // hostpath-allowlisted: `namespace/workload|path|ro` or `|rw`
        hostPaths: join(hostPaths.map((e) => `${x(e.workload)}|${e.path}|${e.readOnly ? "ro" : "rw"}`)),
        // no-nodeport-loadbalancer: `namespace/service:Type`
        services: join(
            listOf<ServiceException>(config, "no-nodeport-loadbalancer", "allowedServices", []).flatMap((e) => e.types.map((t) => `${x(e.service)}:${t}`)),
        ),
        // sysctls-safe
        safeSysctls: join(listOf<string>(config, "sysctls-safe", "safeSysctls", safeSysctls)),
        sysctlWriters: join(writers.map((e) => `${x(e.workload)}:${e.container}`)),
        platformPoolLabels: join(platformLabels),
        // workloads-land-on-domino-pools: `role#key=value,...#taint,...` per pool, `;` between pools; a taint is `|`-joined toleration strings
        pools: model.pools.map(pool).join(";"),
        dominoLabelPrefix,
        ambientLabelPrefixes: join(ambientLabelPrefixes),
        devicePluginNamespace: model.namespaces.devicePlugin,
        // storage-dynamic-only
        storageClasses: join([model.storageClasses.block, model.storageClasses.shared]),
        persistentVolumes: join(listOf<PersistentVolumeException>(config, "storage-dynamic-only", "allowedPersistentVolumes", []).map((e) => x(e.name))),
        namespaces: join(Object.values(model.namespaces)),
        // priority-classes-never-preempt
        isolation: model.isolation,
        // cluster-scoped-names-prefixed
        prefix: `${name}-`,
        ownedApiGroups: join([
            ...listOf<string>(config, "cluster-scoped-names-prefixed", "ownedApiGroups", clusterScopedDefaults.ownedApiGroups),
            ...(model.installApiGroups ?? []),
        ]),
        // the platform-operator-chart exception: the operator's account (empty when the stack does not install it) and its objects as `Kind/name`
        operatorUser: model.operator ? operatorUsername(model.operator.namespace) : "",
        operatorObjects: join(operatorOwnObjects.map((o) => `${o.kind}/${o.name}`)),
        operatorRbac: model.operator?.rbac ?? "",
        operatorNamespaceRole: operatorNamespaceRoleName(name),
        // where Domino's installer works (and a confined operator may write)
        operatorNamespaces: join(operatorNamespaceRoles.map((role) => model.namespaces[role])),
        // rbac-least-privilege
        forbiddenRoles: join(listOf<string>(config, "rbac-least-privilege", "forbiddenRoles", rbacDefaults.forbiddenRoles)),
        secretReadingBuiltinRoles: join(listOf<string>(config, "rbac-least-privilege", "secretReadingBuiltinRoles", rbacDefaults.secretReadingBuiltinRoles)),
    };
}
