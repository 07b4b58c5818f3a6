// The tenancy report: one Markdown page for the cluster operators' security review,
// made from the plan and the policy results. Everything Domino brings that touches
// what other tenants share is listed with the exception that allows it, found by the
// rule's own lookup and settings so the page and the verdict cannot disagree. The
// pools table and the Mermaid map show who may land where; every list is sorted.

import { canLandOutsideDomino, clusterFunctionSpecs, labelKeys, landingPools, nodeFunctionSpecs, poolRoles, type Taint } from "@domino-tenancy/core";
import { generatedDominoConfigText, observedOwner, observeNodeFunctions } from "./nodeFunctionOwners";
import { dominoSwitches, observeClusterFunctions, observedClusterOwner } from "./clusterFunctionOwners";
import { checkPlan, isBlocking, PackConfig, PlanLike, Violation } from "../policy/lib/check";
import { ContextPool, gkeNodePoolType, nodeGroupType, tenancyContext, TenancyContext } from "../policy/lib/context";
import { containersOf, isClusterScoped, k8sKind, metadataOf, objectRef, PodTemplate, podTemplateOf, ResourceView } from "../policy/lib/resources";
import { settings, TenancyPolicy } from "../policy/lib/rule";
import { hostPathException, hostpathAllowlisted, hostpathAllowlistedDefaults, normalHostPath } from "../policy/rules/hostpath-allowlisted/rule";
import { namespacesPodSecurity, namespacesPodSecurityDefaults, privilegedNamespaceException } from "../policy/rules/namespaces-pod-security/rule";
import { hostNamespaceException, noHostNamespaces, noHostNamespacesDefaults } from "../policy/rules/no-host-namespaces/rule";
import { noPrivilegedContainers, noPrivilegedContainersDefaults, privilegedException } from "../policy/rules/no-privileged-containers/rule";
import { sysctlsSafe, sysctlsSafeDefaults, sysctlsWritten, sysctlWriterException } from "../policy/rules/sysctls-safe/rule";

export interface ReportInput {
    readonly stack: string;
    readonly plan: PlanLike;
    readonly config?: PackConfig;
}

const cell = (s: unknown) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
function table(head: string[], rows: unknown[][]): string[] {
    if (rows.length === 0) return ["_None._", ""];
    return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`), ""];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Sorts rows by their cells, left to right: tables read in a stable order whatever the plan's order. */
const sortRows = <T extends unknown[]>(rows: T[]): T[] => [...rows].sort((a, b) => byText(a.map(String).join("\u0000"), b.map(String).join("\u0000")));

/** A rule's settings as the engine gives them: its defaults plus this rule's entry in the policy config. */
function ruleSettings<C>(rule: TenancyPolicy, defaults: C, config: PackConfig): C {
    const own = config[rule.name];
    return settings(() => (typeof own === "object" ? own : {}), defaults);
}

function views(plan: PlanLike): ResourceView[] {
    return plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs }));
}

const keyValues = (m: Readonly<Record<string, unknown>> | undefined) =>
    Object.entries(m ?? {})
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort(byText);
const taintText = (t: Taint) => `${t.key}${t.value === undefined ? "" : `=${t.value}`}:${t.effect}`;
const repels = (t: Taint) => t.effect === "NoSchedule" || t.effect === "NoExecute";

/** Pools in reading order: platform, compute, gpu, then by name. */
function poolOrder(pools: readonly ContextPool[]): ContextPool[] {
    const rank = (p: ContextPool) => (p.role ? poolRoles.indexOf(p.role) : poolRoles.length);
    return [...pools].sort((a, b) => rank(a) - rank(b) || byText(a.name, b.name));
}

/** "min–max" from the node-pool resource the stack creates; adopted clusters bring their own nodes. */
function poolSize(pool: ContextPool, resources: readonly ResourceView[]): string {
    const r = pool.urn ? resources.find((x) => x.urn === pool.urn) : undefined;
    if (!r) return "existing nodes";
    let max: unknown;
    if (r.type === nodeGroupType) max = (r.props.scalingConfig as { maxSize?: unknown } | undefined)?.maxSize;
    if (r.type === gkeNodePoolType) {
        const a = r.props.autoscaling as { maxNodeCount?: unknown; totalMaxNodeCount?: unknown } | undefined;
        max = a ? (a.maxNodeCount ?? a.totalMaxNodeCount) : r.props.nodeCount;
    }
    return `${pool.minSize ?? "?"}–${max ?? "?"}`;
}

// ---- readable quotas, limits and network policies ---------------------------------

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Peer = { namespaceSelector?: Selector; podSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type Port = { port?: number | string; protocol?: string };

function selectorText(s: Selector): string {
    const parts = [
        ...keyValues(s.matchLabels),
        ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(", ")})` : ""}`),
    ];
    return parts.join(", ");
}

const namespaceNameLabel = "kubernetes.io/metadata.name";

function peerText(peer: Peer): string {
    if (peer.ipBlock) return `addresses ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(", ")}` : ""}`;
    const pods = peer.podSelector && selectorText(peer.podSelector) ? `pods labelled ${selectorText(peer.podSelector)}` : "all pods";
    if (!peer.namespaceSelector) return `${pods} in this namespace`;
    const ns = peer.namespaceSelector;
    const only = Object.keys(ns.matchLabels ?? {});
    const where =
        only.length === 1 && only[0] === namespaceNameLabel && !ns.matchExpressions?.length
            ? `namespace ${ns.matchLabels![namespaceNameLabel]}`
            : selectorText(ns)
              ? `namespaces labelled ${selectorText(ns)}`
              : "every namespace";
    return peer.podSelector && selectorText(peer.podSelector) ? `${pods} in ${where}` : where;
}

const portsText = (ports: Port[] | undefined) =>
    ports?.length ? ` on ${ports.map((p) => `${p.port ?? "any port"}${p.protocol ? `/${p.protocol}` : ""}`).join(", ")}` : "";

function networkPolicyText(spec: { ingress?: { from?: Peer[]; ports?: Port[] }[]; policyTypes?: string[] }): string {
    const rules = spec.ingress ?? [];
    if (rules.length === 0) return "deny all ingress";
    return rules.map((r) => `allow from ${r.from?.length ? r.from.map(peerText).join("; ") : "anywhere"}${portsText(r.ports)}`).join("; ");
}

type LimitItem = {
    type?: string;
    default?: Record<string, string>;
    defaultRequest?: Record<string, string>;
    max?: Record<string, string>;
    min?: Record<string, string>;
};

function limitRangeText(limits: LimitItem[]): string {
    return limits
        .map((l) => {
            const resources = [...new Set([...Object.keys(l.defaultRequest ?? {}), ...Object.keys(l.default ?? {})])].sort(byText);
            const parts: string[] = [];
            if (resources.length > 0)
                parts.push(`defaults: ${resources.map((k) => `${k} ${l.defaultRequest?.[k] ?? "-"}/${l.default?.[k] ?? "-"}`).join(", ")}`);
            for (const bound of ["min", "max"] as const) {
                const entries = Object.entries(l[bound] ?? {}).sort(([a], [b]) => byText(a, b));
                if (entries.length > 0) parts.push(`${bound} ${entries.map(([k, v]) => `${k} ${v}`).join(" ")}`);
            }
            return `${l.type && l.type !== "Container" ? `per ${l.type}: ` : ""}${parts.join(", ")}`;
        })
        .join("; ");
}

// ---- the diagram ---------------------------------------------------------------------

/** Mermaid node ids: letters, digits and underscores only, unique per diagram. */
function idMaker(): (prefix: string, name: string) => string {
    const used = new Map<string, string>();
    return (prefix, name) => {
        const key = `${prefix}:${name}`;
        const known = used.get(key);
        if (known) return known;
        let id = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
        const taken = new Set(used.values());
        for (let i = 2; taken.has(id); i++) id = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}_${i}`;
        used.set(key, id);
        return id;
    };
}

/** A quoted Mermaid label: quotes and angle brackets as entities, so no name can break the diagram. */
const mermaidLabel = (text: string) => `"${text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")}"`;

/**
 * What Domino's installer runs in its platform and compute namespaces, and the operator chart's pods, are not in the plan;
 * it places them by role, the way the exports' `scheduling` tells consumers to.
 */
const namespaceTargets: readonly { role: string; pools: readonly string[]; label: string }[] = [
    { role: "platform", pools: ["platform"], label: "Domino's services" },
    { role: "compute", pools: ["compute", "gpu"], label: "users' runs" },
    // The Platform Operator is a Helm chart: its pods appear at a real preview, not in the offline plan.
    { role: "system", pools: ["platform"], label: "Domino's installer" },
];

function diagram(pools: readonly ContextPool[], pods: readonly PodTemplate[], ctx: TenancyContext | undefined): string[] {
    const isolation = ctx?.model.isolation;
    const id = idMaker();
    const lines = ["```mermaid", "flowchart LR"];
    lines.push(`    subgraph sg_pools[${mermaidLabel("Domino pools")}]`);
    for (const p of pools) lines.push(`        ${id("pool", p.name)}[${mermaidLabel(`${p.name} (${p.role ?? "unknown role"})`)}]`);
    lines.push("    end");
    const namespaced = new Map<string, PodTemplate[]>();
    for (const pod of pods.filter((p) => p.kind !== "DaemonSet")) {
        const ns = pod.namespace ?? "(no namespace)";
        namespaced.set(ns, [...(namespaced.get(ns) ?? []), pod]);
    }
    const byRole = namespaceTargets.filter((t) => ctx?.namespaces[t.role]).map((t) => ({ ...t, namespace: ctx!.namespaces[t.role] }));
    const namespaces = [...new Set([...namespaced.keys(), ...byRole.map((t) => t.namespace)])].sort(byText);
    const daemonSets = pods.filter((p) => p.kind === "DaemonSet").sort((a, b) => byText(a.workload, b.workload));
    lines.push(`    subgraph sg_namespaces[${mermaidLabel("Domino namespaces")}]`);
    for (const ns of namespaces) lines.push(`        ${id("ns", ns)}[${mermaidLabel(ns)}]`);
    lines.push("    end");
    lines.push(`    subgraph sg_agents[${mermaidLabel("node agents (DaemonSets)")}]`);
    for (const ds of daemonSets) lines.push(`        ${id("ds", ds.workload)}[${mermaidLabel(ds.workload)}]`);
    lines.push("    end");
    lines.push(`    tenants([${mermaidLabel("other tenants' workloads")}])`, `    tenant_nodes[(${mermaidLabel("other tenants' nodes")})]`);
    const edges = new Set<string>();
    const landOn = (from: string, specs: readonly PodTemplate[]) => {
        for (const p of pools) if (specs.some((s) => landingPools(s.spec, [p]).length > 0)) edges.add(`    ${from} --> ${id("pool", p.name)}`);
        if (specs.some((s) => canLandOutsideDomino(s.spec))) edges.add(`    ${from} --> tenant_nodes`);
    };
    for (const ns of namespaces) landOn(id("ns", ns), namespaced.get(ns) ?? []);
    for (const t of byRole) {
        for (const p of pools.filter((x) => x.role && t.pools.includes(x.role)))
            edges.add(`    ${id("ns", t.namespace)} -->|${mermaidLabel(t.label)}| ${id("pool", p.name)}`);
    }
    for (const ds of daemonSets) landOn(id("ds", ds.workload), [ds]);
    edges.add("    tenants --> tenant_nodes");
    // Other tenants' pods carry no Domino toleration: a pool with no NoSchedule/NoExecute taint admits them.
    for (const p of pools) if (!p.taints.some(repels)) edges.add(`    tenants -.->|${mermaidLabel(`may land (${isolation ?? "?"})`)}| ${id("pool", p.name)}`);
    lines.push(...edges, "```", "");
    return lines;
}

export function tenancyReport(input: ReportInput): string {
    const config = input.config ?? {};
    const resources = views(input.plan);
    const violations = checkPlan(input.plan, config);
    const derived = tenancyContext(resources);
    const ctx: TenancyContext | undefined = derived.ok ? derived.context : undefined;
    const name = ctx?.name ?? "";
    const lookupCtx = { name };
    // Each rule's own settings and lookup: the report says what the rule decides.
    const hostPaths = ruleSettings(hostpathAllowlisted, hostpathAllowlistedDefaults, config);
    const privileged = ruleSettings(noPrivilegedContainers, noPrivilegedContainersDefaults, config);
    const hostNamespaces = ruleSettings(noHostNamespaces, noHostNamespacesDefaults, config);
    const privilegedNamespaces = ruleSettings(namespacesPodSecurity, namespacesPodSecurityDefaults, config);
    const sysctlWriters = ruleSettings(sysctlsSafe, sysctlsSafeDefaults, config);
    const used: { kind: string; subject: string; reason: string }[] = [];
    const use = (kind: string, subject: string, reason: string | undefined) => {
        if (reason && !used.some((u) => u.kind === kind && u.subject === subject)) used.push({ kind, subject, reason });
    };

    const blocking = violations.filter(isBlocking);
    const out: string[] = [
        `# Tenancy report: ${input.stack}`,
        "",
        `Deployment **${name || "(unknown)"}**; isolation ${ctx?.model.isolation ?? "(unknown)"}; pools from ${ctx?.poolSource ?? "(unknown)"}; ${input.plan.resources.length} resources planned.`,
        "",
        blocking.length === 0
            ? `**Policy result: PASS** (${violations.length} advisory finding(s)).`
            : `**Policy result: FAIL**: ${blocking.length} mandatory violation(s).`,
        "",
    ];
    if (!derived.ok) out.push(`> The stack's tenancy model could not be read: ${derived.problem}`, "");

    const pools = poolOrder(ctx?.pools ?? []);
    out.push(
        "## Pools",
        "",
        ...table(
            ["Pool", "Role", "Node-pool label", "Labels", "Taints", "Min/max size"],
            pools.map((p) => [
                p.name,
                p.role ?? "**unknown**",
                p.labels[labelKeys.nodePool] ?? "**none**",
                keyValues(p.labels).join(", ") || "none",
                p.taints.map(taintText).join(", ") || "none",
                poolSize(p, resources),
            ]),
        ),
    );

    const pods = resources
        .map(podTemplateOf)
        .filter((pod): pod is PodTemplate => pod !== undefined)
        .sort((a, b) => byText(a.workload, b.workload));
    out.push("## Who may land where", "", ...diagram(pools, pods, ctx));

    out.push(
        "## Cluster-scoped objects",
        "",
        ...table(
            ["Kind", "Name"],
            sortRows(resources.filter(isClusterScoped).map((r) => [k8sKind(r.type) ?? r.type, String(metadataOf(r.props).name ?? r.name)])),
        ),
    );

    const hostPathRows: string[][] = [];
    const privilegedRows: string[][] = [];
    for (const pod of pods) {
        const volumes = (pod.spec.volumes ?? []) as { name: string; hostPath?: { path: string } }[];
        for (const c of containersOf(pod.spec)) {
            const container = String(c.container.name);
            for (const m of (c.container.volumeMounts ?? []) as { name: string; readOnly?: boolean; mountPath: string }[]) {
                const v = volumes.find((x) => x.name === m.name && x.hostPath);
                if (!v) continue;
                const path = normalHostPath(v.hostPath!.path);
                const e = hostPathException(path, pod.workload, lookupCtx, hostPaths);
                use("hostPath", `${pod.workload} ${path}`, e?.reason);
                hostPathRows.push([pod.workload, container, path, m.readOnly === true ? "read-only" : "**writable**", e?.reason ?? "**not allowlisted**"]);
            }
            if (sysctlsWritten([...(c.container.command ?? []), ...(c.container.args ?? [])]).length > 0) {
                use("node sysctl writer", `${pod.workload} ${container}`, sysctlWriterException(pod.workload, container, lookupCtx, sysctlWriters)?.reason);
            }
            const sc = (c.container.securityContext ?? {}) as { privileged?: boolean; capabilities?: { add?: string[] } };
            if (sc.privileged || (sc.capabilities?.add ?? []).length > 0) {
                const e = privilegedException(pod.workload, container, lookupCtx, privileged);
                use("privileged container", `${pod.workload} ${container}`, e?.reason);
                privilegedRows.push([
                    pod.workload,
                    `${c.init ? "init " : ""}${container}`,
                    sc.privileged ? "privileged" : `adds ${sc.capabilities?.add?.join(", ")}`,
                    e?.reason ?? "**not allowlisted**",
                ]);
            }
        }
        const spec = pod.spec as { hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean };
        const host = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => spec[k]);
        if (host.length > 0) {
            const e = hostNamespaceException(pod.workload, lookupCtx, hostNamespaces);
            use("host namespace", pod.workload, e?.reason);
            privilegedRows.push([pod.workload, "(pod)", host.join(", "), e?.reason ?? "**not allowlisted**"]);
        }
    }
    out.push("## hostPath mounts", "", ...table(["Workload", "Container", "Host path", "Mode", "Exception"], sortRows(hostPathRows)));
    out.push("## Privileged and host-namespace containers", "", ...table(["Workload", "Container", "What", "Exception"], sortRows(privilegedRows)));

    // Who does each node-level function, as the plan shows it: one owner each, or the fault named.
    const observed = observeNodeFunctions(input.plan);
    out.push(
        "## Node functions and their owners",
        "",
        ...table(
            ["Function", "Owner", "How"],
            observed.functions.map((f) => {
                const owner = observedOwner(f);
                const key = nodeFunctionSpecs[f.fn].dominoKey;
                const how = f.doers.map((d) => (d.owner === "domino" && key ? `Domino config ${d.evidence}` : d.evidence)).join("; ");
                const cluster = key ? `Domino's off (${key}: false); the cluster's admins or the cloud` : "the cluster's admins or the cloud";
                return [`${f.fn}: ${nodeFunctionSpecs[f.fn].title}`, owner === "two owners" ? "**two owners**" : owner, how || cluster];
            }),
        ),
    );
    if (!observed.dominoConfigFound) out.push("> The plan holds no generated Domino config: Domino's side of each function is unknown.", "");
    if (observed.unownedDaemonSets.length > 0)
        out.push(`> DaemonSets that do no node function: ${observed.unownedDaemonSets.map((d) => `**${d}**`).join(", ")}.`, "");

    const clusterObserved = observeClusterFunctions(input.plan);
    out.push(
        "## Cluster functions and their owners",
        "",
        ...table(
            ["Function", "Owner", "How"],
            clusterObserved.functions.map((f) => {
                const owner = observedClusterOwner(f);
                const how = f.doers.map((d) => d.evidence).join("; ") || `Domino's off (${dominoSwitches(f.fn)}); the cluster's admins or the cloud`;
                return [`${f.fn}: ${clusterFunctionSpecs[f.fn].title}`, owner === "two owners" ? "**two owners**" : owner, how];
            }),
        ),
    );

    // The Domino resource's spec.config is secret (it carries the registry password); its
    // reviewable copy, password masked, is what a reviewer reads and diffs.
    const dominoConfig = generatedDominoConfigText(input.plan);
    out.push(
        "## Domino's generated configuration",
        "",
        ...(dominoConfig === undefined
            ? ["_The plan holds no generated Domino config._", ""]
            : ["What Domino's installer reads, with the registry password masked:", "", "```yaml", dominoConfig.trimEnd(), "```", ""]),
    );

    out.push(
        "## DaemonSets and the pools they land on",
        "",
        ...table(
            ["DaemonSet", "Lands on", "Can reach other tenants' nodes"],
            pods
                .filter((pod) => pod.kind === "DaemonSet")
                .map((pod) => [
                    pod.workload,
                    ctx
                        ? landingPools(pod.spec, pools)
                              .map((p) => p.name)
                              .join(", ") || "**nowhere**"
                        : "?",
                    canLandOutsideDomino(pod.spec) ? "**yes**" : "no",
                ]),
        ),
    );

    const byKind = (kind: string) => resources.filter((r) => k8sKind(r.type) === kind);
    out.push(
        "## Quotas, limits and network policies",
        "",
        ...table(
            ["Kind", "Object", "Spec"],
            sortRows([
                ...byKind("LimitRange").map((r) => [
                    "LimitRange",
                    objectRef(r),
                    limitRangeText(((r.props.spec as { limits?: LimitItem[] })?.limits ?? []) as LimitItem[]),
                ]),
                ...byKind("NetworkPolicy").map((r) => [
                    "NetworkPolicy",
                    objectRef(r),
                    networkPolicyText((r.props.spec ?? {}) as Parameters<typeof networkPolicyText>[0]),
                ]),
                ...byKind("ResourceQuota").map((r) => [
                    "ResourceQuota",
                    objectRef(r),
                    keyValues((r.props.spec as { hard?: Record<string, unknown> })?.hard).join(", "),
                ]),
            ]),
        ),
    );

    for (const ns of resources.filter((r) => k8sKind(r.type) === "Namespace")) {
        const meta = metadataOf(ns.props);
        if (meta.labels?.["pod-security.kubernetes.io/enforce"] !== "privileged") continue;
        use("privileged namespace", String(meta.name), privilegedNamespaceException(String(meta.name), lookupCtx, privilegedNamespaces)?.reason);
    }
    out.push("## Exceptions used", "", ...table(["Exception", "Subject", "Reason"], sortRows(used.map((u) => [u.kind, u.subject, u.reason]))));

    out.push(
        "## Policy results",
        "",
        ...table(
            ["Level", "Policy", "Resource", "Message"],
            sortRows(violations.map((v: Violation) => [v.enforcementLevel, v.policy, v.urn ? v.urn.slice(v.urn.lastIndexOf("::") + 2) : "(stack)", v.message])),
        ),
    );
    return out.join("\n");
}
