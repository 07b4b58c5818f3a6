// rbac-least-privilege
import { isOperatorOwnObject, operatorNamespaceRoleName, operatorNamespaceRoles } from "@domino-tenancy/core";
import { tenancyContext } from "../../lib/context";
import { fromOperatorChart, fromPlatformOperator } from "../../lib/exceptions";
import { k8sKind, metadataOf, objectRef, ResourceView } from "../../lib/resources";
import { Finding, relationRule, schema } from "../../lib/rule";

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] };
type RoleRef = { kind?: string; name?: string };

const escalationVerbs = ["escalate", "bind", "impersonate"];
const secretReads = ["get", "list", "watch", "*"];

function rulesOf(r: ResourceView): Rule[] {
    return Array.isArray(r.props.rules) ? (r.props.rules as Rule[]) : [];
}

/** Problems with one Role or ClusterRole's rules, each a sentence. */
export function roleProblems(rules: readonly Rule[]): string[] {
    const out: string[] = [];
    rules.forEach((rule, i) => {
        const at = `rules[${i}]`;
        const verbs = rule.verbs ?? [];
        const resources = rule.resources ?? [];
        if (verbs.includes("*")) out.push(`${at} grants every verb ('*')`);
        if (resources.some((res) => res === "*" || res.startsWith("*/"))) out.push(`${at} grants every resource ('*')`);
        if ((rule.apiGroups ?? []).includes("*")) out.push(`${at} grants every API group ('*')`);
        const escalating = verbs.filter((v) => escalationVerbs.includes(v));
        if (escalating.length > 0) out.push(`${at} grants ${escalating.join(", ")}, which lets its holder exceed its own rights`);
        if (resources.some((res) => res === "nodes/proxy" || res === "nodes/*")) out.push(`${at} grants nodes/proxy, which reaches every kubelet's API`);
    });
    return out;
}

function grantsSecretReads(rules: readonly Rule[]): boolean {
    return rules.some(
        (rule) =>
            (rule.apiGroups ?? []).some((g) => g === "" || g === "*") &&
            (rule.resources ?? []).some((res) => res === "secrets" || res === "*") &&
            (rule.verbs ?? []).some((v) => secretReads.includes(v)),
    );
}

/**
 * The platform-operator-chart exception's RBAC half (lib/exceptions.ts), when the stack
 * installs the operator: with `operatorRbac: chart`, the chart's own ClusterRoles and
 * bindings as shipped (the platform team chose the vendor's grant; admission still confines
 * the writes); with either, the operator's full-rights Role in each of Domino's installer
 * namespaces, which the PlatformOperator component itself creates. Everything else the
 * operator's chart renders is judged like any object (under `confined`, the rewritten role).
 */
function operatorGrants(resources: readonly ResourceView[]): (r: ResourceView) => boolean {
    const derived = tenancyContext(resources);
    const operator = derived.ok ? derived.context.model.operator : undefined;
    if (!derived.ok || !operator) return () => false;
    const roleName = operatorNamespaceRoleName(derived.context.name);
    const installerNamespaces = new Set(operatorNamespaceRoles.map((role) => derived.context.namespaces[role]));
    return (r) => {
        const kind = k8sKind(r.type);
        const meta = metadataOf(r.props);
        if (operator.rbac === "chart" && isOperatorOwnObject(kind, meta.name) && fromOperatorChart(r)) return true;
        return (
            (kind === "Role" || kind === "RoleBinding") && meta.name === roleName && installerNamespaces.has(meta.namespace ?? "") && fromPlatformOperator(r)
        );
    };
}

/** Built-in settings, shared with the admission twin's params (policy/admission/params.ts). */
export const rbacDefaults = { forbiddenRoles: ["cluster-admin"], secretReadingBuiltinRoles: ["admin", "edit"] };

export const rbacLeastPrivilege = relationRule({
    name: "rbac-least-privilege",
    description:
        "RBAC is shared by every tenant: a wildcard, an escalate/bind/impersonate verb, nodes/proxy, cluster-wide read of secrets or a binding to cluster-admin hands Domino (and whoever compromises it) the other tenants' workloads and credentials. Roles list explicit verbs on explicit resources; secrets are only ever granted per namespace.",
    defaults: rbacDefaults,
    configSchema: {
        properties: {
            forbiddenRoles: { ...schema.strings, description: "ClusterRoles no binding may reference" },
            secretReadingBuiltinRoles: { ...schema.strings, description: "built-in ClusterRoles that read secrets, so never bound cluster-wide" },
        },
    },
    check(resources, config) {
        const out: Finding[] = [];
        const clusterRoles = new Map<string, Rule[]>();
        const exempt = operatorGrants(resources);
        for (const r of resources) {
            if (exempt(r)) continue;
            const kind = k8sKind(r.type);
            if (kind !== "Role" && kind !== "ClusterRole") continue;
            if (kind === "ClusterRole") clusterRoles.set(metadataOf(r.props).name ?? "", rulesOf(r));
            for (const p of roleProblems(rulesOf(r))) out.push({ urn: r.urn, message: `${kind} ${objectRef(r)}: ${p}` });
        }
        for (const r of resources) {
            if (exempt(r)) continue;
            const kind = k8sKind(r.type);
            if (kind !== "RoleBinding" && kind !== "ClusterRoleBinding") continue;
            const ref = (r.props.roleRef ?? {}) as RoleRef;
            const role = String(ref.name ?? "");
            if (ref.kind === "ClusterRole" && config.forbiddenRoles.includes(role)) {
                out.push({ urn: r.urn, message: `${kind} ${objectRef(r)} binds ClusterRole ${role}` });
            } else if (kind === "ClusterRoleBinding" && ref.kind === "ClusterRole") {
                const rules = clusterRoles.get(role);
                if ((rules && grantsSecretReads(rules)) || config.secretReadingBuiltinRoles.includes(role)) {
                    out.push({
                        urn: r.urn,
                        message: `ClusterRoleBinding ${objectRef(r)} grants ClusterRole ${role}, which reads secrets, in every namespace; bind it per namespace with a RoleBinding`,
                    });
                }
            }
        }
        return out;
    },
});
