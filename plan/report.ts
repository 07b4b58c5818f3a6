// The tenancy report: one Markdown page for the cluster operators' security review,
// made from the plan and the policy results. Everything Domino brings that touches
// what other tenants share is listed with the exception that allows it.

import { landingPools, canLandOutsideDomino } from "@domino-tenancy/core";
import { checkPlan, isBlocking, PackConfig, PlanLike, Violation } from "../policy/lib/check";
import { tenancyContext, TenancyContext } from "../policy/lib/context";
import { defaultHostNamespaces, defaultHostPaths, defaultPrivileged, defaultPrivilegedNamespaces, defaultSysctlWriters, expand } from "../policy/lib/exceptions";
import { containersOf, isClusterScoped, k8sKind, metadataOf, objectRef, PodTemplate, podTemplateOf, ResourceView } from "../policy/lib/resources";
import { settings } from "../policy/lib/rule";
import { sysctlsWritten } from "../policy/rules/sysctls-safe/rule";

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

/** The exception lists in force: built-in ones plus whatever policy config adds. */
function exceptionsInForce(config: PackConfig) {
    const of = <C>(policy: string, defaults: C) => settings(() => (typeof config[policy] === "object" ? (config[policy] as object) : {}), defaults);
    return {
        hostPaths: of("hostpath-allowlisted", { allowedHostPaths: [...defaultHostPaths] }).allowedHostPaths,
        privileged: of("no-privileged-containers", { allowedPrivileged: [...defaultPrivileged] }).allowedPrivileged,
        hostNamespaces: of("no-host-namespaces", { allowedHostNamespaces: [...defaultHostNamespaces] }).allowedHostNamespaces,
        privilegedNamespaces: of("namespaces-pod-security", { allowedPrivilegedNamespaces: [...defaultPrivilegedNamespaces] }).allowedPrivilegedNamespaces,
        sysctlWriters: of("sysctls-safe", { nodeSysctlWriters: [...defaultSysctlWriters] }).nodeSysctlWriters,
    };
}

function views(plan: PlanLike): ResourceView[] {
    return plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs }));
}

export function tenancyReport(input: ReportInput): string {
    const config = input.config ?? {};
    const resources = views(input.plan);
    const violations = checkPlan(input.plan, config);
    const derived = tenancyContext(resources);
    const ctx: TenancyContext | undefined = derived.ok ? derived.context : undefined;
    const name = ctx?.name ?? "";
    const ex = exceptionsInForce(config);
    const used: { kind: string; subject: string; reason: string }[] = [];
    const use = (kind: string, subject: string, reason: string | undefined) => {
        if (reason && !used.some((u) => u.kind === kind && u.subject === subject)) used.push({ kind, subject, reason });
    };

    const blocking = violations.filter(isBlocking);
    const out: string[] = [
        `# Tenancy report: ${input.stack}`,
        "",
        `Deployment **${name || "(unknown)"}**; pools from ${ctx?.poolSource ?? "(unknown)"}; ${input.plan.resources.length} resources planned.`,
        "",
        blocking.length === 0 ? `**Policy result: PASS** (${violations.length} advisory finding(s)).` : `**Policy result: FAIL**: ${blocking.length} mandatory violation(s).`,
        "",
    ];
    if (!derived.ok) out.push(`> The stack's tenancy model could not be read: ${derived.problem}`, "");

    out.push("## Cluster-scoped objects", "", ...table(["Kind", "Name"], resources.filter(isClusterScoped).map((r) => [k8sKind(r.type), metadataOf(r.props).name])));

    const pods = resources.map(podTemplateOf).filter((pod): pod is PodTemplate => pod !== undefined);
    const hostPathRows: unknown[][] = [];
    const privilegedRows: unknown[][] = [];
    for (const pod of pods) {
        const volumes = (pod.spec.volumes ?? []) as { name: string; hostPath?: { path: string } }[];
        for (const c of containersOf(pod.spec)) {
            for (const m of (c.container.volumeMounts ?? []) as { name: string; readOnly?: boolean; mountPath: string }[]) {
                const v = volumes.find((x) => x.name === m.name && x.hostPath);
                if (!v) continue;
                const e = ex.hostPaths.find((x) => expand(x.workload, name) === pod.workload && x.path === v.hostPath!.path);
                use("hostPath", `${pod.workload} ${v.hostPath!.path}`, e?.reason);
                hostPathRows.push([pod.workload, c.container.name, v.hostPath!.path, m.readOnly === true ? "read-only" : "**writable**", e?.reason ?? "**not allowlisted**"]);
            }
            if (sysctlsWritten([...(c.container.command ?? []), ...(c.container.args ?? [])]).length > 0) {
                const w = ex.sysctlWriters.find((x) => expand(x.workload, name) === pod.workload && x.container === c.container.name);
                use("node sysctl writer", `${pod.workload} ${c.container.name}`, w?.reason);
            }
            const sc = (c.container.securityContext ?? {}) as { privileged?: boolean; capabilities?: { add?: string[] } };
            if (sc.privileged || (sc.capabilities?.add ?? []).length > 0) {
                const e = ex.privileged.find((x) => expand(x.workload, name) === pod.workload && x.container === c.container.name);
                use("privileged container", `${pod.workload} ${c.container.name}`, e?.reason);
                privilegedRows.push([pod.workload, `${c.init ? "init " : ""}${c.container.name}`, sc.privileged ? "privileged" : `adds ${sc.capabilities?.add?.join(", ")}`, e?.reason ?? "**not allowlisted**"]);
            }
        }
        const spec = pod.spec as { hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean };
        const host = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => spec[k]);
        if (host.length > 0) {
            const e = ex.hostNamespaces.find((x) => expand(x.workload, name) === pod.workload);
            use("host namespace", pod.workload, e?.reason);
            privilegedRows.push([pod.workload, "(pod)", host.join(", "), e?.reason ?? "**not allowlisted**"]);
        }
    }
    out.push("## hostPath mounts", "", ...table(["Workload", "Container", "Host path", "Mode", "Exception"], hostPathRows));
    out.push("## Privileged and host-namespace containers", "", ...table(["Workload", "Container", "What", "Exception"], privilegedRows));

    const poolNames = (ctx?.pools ?? []).map((p) => p.name);
    out.push(
        "## DaemonSets and the pools they land on",
        "",
        `Pools: ${poolNames.join(", ") || "(unknown)"}.`,
        "",
        ...table(
            ["DaemonSet", "Lands on", "Can reach other tenants' nodes"],
            pods.filter((pod) => pod.kind === "DaemonSet").map((pod) => [pod.workload, ctx ? landingPools(pod.spec, ctx.pools).map((p) => p.name).join(", ") || "**nowhere**" : "?", canLandOutsideDomino(pod.spec) ? "**yes**" : "no"]),
        ),
    );

    const byKind = (kind: string) => resources.filter((r) => k8sKind(r.type) === kind);
    out.push(
        "## Quotas, limits and network policies",
        "",
        ...table(
            ["Kind", "Object", "Spec"],
            [
                ...byKind("ResourceQuota").map((r) => ["ResourceQuota", objectRef(r), Object.entries(((r.props.spec as { hard?: object })?.hard ?? {}) as object).map(([k, v]) => `${k}=${v}`).join(", ")]),
                ...byKind("LimitRange").map((r) => ["LimitRange", objectRef(r), JSON.stringify((r.props.spec as { limits?: unknown })?.limits ?? [])]),
                ...byKind("NetworkPolicy").map((r) => {
                    const spec = (r.props.spec ?? {}) as { ingress?: { from?: unknown[] }[] };
                    const from = (spec.ingress ?? []).flatMap((i) => i.from ?? []);
                    return ["NetworkPolicy", objectRef(r), from.length === 0 ? "deny all ingress" : `allow from ${JSON.stringify(from)}`];
                }),
            ],
        ),
    );

    for (const ns of resources.filter((r) => k8sKind(r.type) === "Namespace")) {
        const meta = metadataOf(ns.props);
        if (meta.labels?.["pod-security.kubernetes.io/enforce"] !== "privileged") continue;
        const e = ex.privilegedNamespaces.find((x) => expand(x.namespace, name) === meta.name);
        use("privileged namespace", String(meta.name), e?.reason);
    }
    out.push("## Exceptions used", "", ...table(["Exception", "Subject", "Reason"], used.map((u) => [u.kind, u.subject, u.reason])));

    out.push(
        "## Policy results",
        "",
        ...table(
            ["Level", "Policy", "Resource", "Message"],
            violations.map((v: Violation) => [v.enforcementLevel, v.policy, v.urn ? v.urn.slice(v.urn.lastIndexOf("::") + 2) : "(stack)", v.message]),
        ),
    );
    return out.join("\n");
}
