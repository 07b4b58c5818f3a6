// How Domino itself is installed: the method, the agent's tag, the registry and the
// Platform Operator chart, each resolved from domino.install and checked against domino.version.

import type { ConfigIssue, Issues } from "../issues";
import { agentTagProblem, defaultMethod, type InstallMethod, knownAgentTags, knownConfigSchemas, majorOf, minorOf } from "./releases";
import type { InstallConfig } from "./schema";

/** Where the Platform Operator chart comes from: a chart repository, or an archive or folder (Domino's offline path). */
export type ChartSource =
    { readonly kind: "repo"; readonly repo: string; readonly name: string; readonly version: string } | { readonly kind: "archive"; readonly archive: string };

export interface InstallModel {
    readonly method: InstallMethod;
    /** fleetcommand-agent tag of the release. */
    readonly agentVersion: string;
    /** The agent image's repository, without its tag: <registry>/domino/fleetcommand-agent unless set. */
    readonly agentRepository: string;
    /** The agent image (agent method): repository and tag. */
    readonly agentImage: string;
    /** The generated configuration's `schema`, for domino.version's minor. */
    readonly configSchema: string;
    /** operator method: the `Domino` resource's reconcile interval, suspend and the agent's dry-run switch. */
    readonly interval: string;
    readonly suspend: boolean;
    readonly dryRunMode: boolean;
    readonly registry: { readonly server: string; readonly username: string; readonly passwordKey: string };
    /** operator method: install the chart and its CRD, or use the operator another stack installed. */
    readonly operator: "install" | "shared";
    /** operator method with operator install. */
    readonly chart?: ChartSource;
    /**
     * What the operator's service account may do (operator method with operator install):
     * confined rewrites the chart's cluster-admin grant (components/kubernetes/operatorRbac.ts),
     * chart keeps it as shipped. Default confined under either isolation: a cluster-admin
     * installer is the same risk to other tenants whether or not they share Domino's nodes.
     */
    readonly operatorRbac: "confined" | "chart";
}

/** The problem when the registry password's secret config is missing (loadInputs and `config check` alike). */
export function missingRegistryPassword(install: InstallModel, project: string): ConfigIssue {
    const key = install.registry.passwordKey;
    return {
        path: `${project}:${key}`,
        message: `is missing: the ${install.registry.server} password Domino gave you, as secret config (pulumi config set --secret ${key}); tenancy.domino.install.registry.passwordKey names the key`,
    };
}

/** The install method, the agent's tag and the chart's source, each checked against domino.version. */
export function resolveInstall(version: string, given: InstallConfig, issues: Issues): InstallModel {
    const at = (...rest: string[]) => ["domino", "install", ...rest];
    const major = majorOf(version);
    const method = given.method ?? defaultMethod(version);
    if (given.method === "agent" && major >= 6)
        issues.add(at("method"), `'agent' cannot install Domino ${version}: from 6.0.0 the Platform Operator is the only supported path; allowed: operator`);
    if (given.method === "operator" && major < 6)
        issues.add(at("method"), `'operator' cannot install Domino ${version}: the Platform Operator manages 6.0.0 and later; allowed: agent`);
    if (major < 5) issues.add(["domino", "version"], `${version} is older than this program supports; allowed: 5.x (agent) or 6.x and later (operator)`);

    const agentVersion = given.agentVersion ?? knownAgentTags[version];
    if (agentVersion === undefined) {
        issues.add(
            at("agentVersion"),
            `is required for Domino ${version}, which this program has no tag for: set the fleetcommand-agent tag from Domino's releases page, ${version}.catalog-<commit hex> (known: ${Object.keys(knownAgentTags).join(", ")})`,
        );
    } else {
        const problem = agentTagProblem(agentVersion, version);
        if (problem) issues.add(at("agentVersion"), problem);
        else if (method === "operator" && !agentVersion.includes(".catalog-"))
            issues.add(at("agentVersion"), `'${agentVersion}' is a 5.x agent tag; the operator runs ${version}.catalog-<commit hex>`);
    }

    const known = knownConfigSchemas[minorOf(version)];
    const configSchema = given.configSchema ?? known?.schema;
    if (configSchema === undefined)
        issues.add(
            at("configSchema"),
            `is required for Domino ${version}: no configuration reference page of ${minorOf(version)} is known to give its config schema; set the \`schema\` of Domino's configuration reference for ${minorOf(version)} (known: ${Object.entries(
                knownConfigSchemas,
            )
                .map(([minor, s]) => `${minor}: ${s.schema}`)
                .join(", ")})`,
        );

    if (!given.registry.username)
        issues.add(
            at("registry", "username"),
            `is required: the ${given.registry.server} user name Domino gave you (its password is the secret config value '${given.registry.passwordKey}')`,
        );

    let chart: ChartSource | undefined;
    const c = given.chart;
    if (method === "agent") {
        if (c !== undefined) issues.add(at("chart"), "is only used with method 'operator'; remove it");
        if (given.operator !== "install") issues.add(at("operator"), "is only used with method 'operator'; remove it");
        // Defaulted to confined: only an explicit 'chart' says something this path cannot honour.
        if (given.operatorRbac === "chart")
            issues.add(at("operatorRbac"), "is only used with method 'operator' (the agent Job gets its own prefixed grant); remove it");
    } else if (given.operator === "shared") {
        if (c !== undefined) issues.add(at("chart"), "is not used with operator 'shared' (the stack that installs the operator owns its chart); remove it");
        if (given.operatorRbac === "chart")
            issues.add(at("operatorRbac"), "is not used with operator 'shared': the stack that installs the operator decides its grant; remove it");
    } else if (c === undefined) {
        issues.add(
            at("chart"),
            "is required with operator 'install': a chart repository (repo, name, version) or Domino's chart archive (archive: platform-operator-<version>.tgz from https://mirrors.domino.tech/s3/domino-artifacts/platform-operator/, or its unpacked folder)",
        );
    } else if (c.archive !== undefined) {
        if (c.repo !== undefined || c.version !== undefined)
            issues.add(
                at("chart", c.repo !== undefined ? "repo" : "version"),
                "is not used with archive (the archive pins its version); give archive or repo and version, not both",
            );
        chart = { kind: "archive", archive: c.archive };
    } else if (c.repo === undefined || c.version === undefined) {
        issues.add(at("chart", c.repo === undefined ? "repo" : "version"), "is required: give repo, name and a pinned version, or archive");
    } else {
        chart = { kind: "repo", repo: c.repo, name: c.name, version: c.version };
    }

    const tag = agentVersion ?? "";
    const agentRepository = given.agentRepository ?? `${given.registry.server}/domino/fleetcommand-agent`;
    return {
        method,
        agentVersion: tag,
        agentRepository,
        agentImage: `${agentRepository}:${tag}`,
        configSchema: configSchema ?? "",
        interval: given.interval,
        suspend: given.suspend,
        dryRunMode: given.dryRunMode,
        registry: { server: given.registry.server, username: given.registry.username ?? "", passwordKey: given.registry.passwordKey },
        operator: given.operator,
        chart,
        operatorRbac: given.operatorRbac,
    };
}
