// How Domino itself is installed: the config of its version, method, registry, chart and agent.

import { z } from "zod";
import { defaultDominoVersion, knownAgentTags, knownConfigSchemas } from "./releases";

export const dominoVersionConfig = z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Domino version such as 6.1.0" })
    .default(defaultDominoVersion)
    .describe(
        `Domino version to install; picks the install method, the fleetcommand-agent tag and the config schema. Default: ${defaultDominoVersion}, the newest release with known facts. Changing it upgrades Domino in place (the same \`Domino\` resource); a downgrade is no rollback (Domino migrates its databases).`,
    );

export const installConfig = z
    .strictObject({
        method: z
            .enum(["operator", "agent"])
            .optional()
            .describe(
                "How Domino is installed. operator: Domino's Platform Operator (a Helm chart) and a `Domino` custom resource, the only supported path since 6.0.0; agent: fleetcommand-agent `run` as a Job, the 5.x path. Default by domino.version: operator for 6.x and later, agent for 5.x; the other choice is refused.",
            ),
        agentVersion: z
            .string()
            .optional()
            .describe(
                "fleetcommand-agent tag of the release, <domino.version>.catalog-<commit> such as 6.1.0.catalog-b50f131 (v<number> before 5.10). Default: the tag of a known release (" +
                    Object.keys(knownAgentTags).join(", ") +
                    "); required for any other version.",
            ),
        agentRepository: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, { error: "must be an image repository such as quay.io/domino/fleetcommand-agent" })
            .optional()
            .describe(
                "Repository of the fleetcommand-agent image, without its tag (its tag is agentVersion), to pull it from a mirror. Default: <registry.server>/domino/fleetcommand-agent.",
            ),
        configSchema: z
            .string()
            .regex(/^[0-9]+\.[0-9]+$/, { error: "must be a config schema version such as 1.16" })
            .optional()
            .describe(
                "The generated configuration's `schema`, from Domino's configuration reference of domino.version's minor. Default where a page is known (" +
                    Object.entries(knownConfigSchemas)
                        .map(([minor, s]) => `${minor}: ${s.schema}`)
                        .join(", ") +
                    "); required for any other minor.",
            ),
        interval: z
            .string()
            .regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/, { error: "must be a Go duration such as 6h0m0s or 30m" })
            .default("6h0m0s")
            .describe("operator method: how often the Platform Operator reconciles Domino with the cluster (the `Domino` resource's spec.interval)."),
        suspend: z
            .boolean()
            .default(false)
            .describe("operator method: suspend the operator's reconciliation of this Domino (spec.suspend); a run already under way finishes."),
        dryRunMode: z
            .boolean()
            .default(false)
            .describe(
                "operator method: the agent reports what it would change and changes nothing (spec.agent.spec.dryRunMode). Turn it on, apply, read the agent Job's log, then turn it off: the way to read Domino's own change set before an upgrade.",
            ),
        registry: z
            .strictObject({
                server: z.string().min(1).default("quay.io").describe("Registry of Domino's images."),
                username: z
                    .string()
                    .min(1)
                    .optional()
                    .describe("Registry user name Domino gave you; required. Its password is secret config, never here (see passwordKey)."),
                passwordKey: z
                    .string()
                    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: "must be a config key name such as registryPassword" })
                    .default("registryPassword")
                    .describe("Secret config key of the registry password: `pulumi config set --secret <passwordKey> ...`."),
            })
            .prefault({})
            .describe("Credentials for Domino's image registry: a pull secret, and the generated config's helm.image_registries."),
        operator: z
            .enum(["install", "shared"])
            .default("install")
            .describe(
                "operator method: install the Platform Operator chart and its CRD, or shared: another stack in the cluster installed them (one operator reconciles every Domino resource cluster-wide); this stack then creates only its registry secret and its Domino resource.",
            ),
        operatorRbac: z
            .enum(["confined", "chart"])
            .default("confined")
            .describe(
                "What the Platform Operator's chart may do with its service account (which the agent Job runs as too). confined: its cluster-admin ClusterRole is rewritten, at render time, to full rights in Domino's namespaces only (a Role per namespace), cluster-wide reads without Secrets, and writes of the cluster-scoped kinds Domino installs; chart: the grant as Domino ships it (every verb on everything). The admission policy that confines the operator's writes is on either way. See docs/installing-domino.md, \"The operator's grant\".",
            ),
        chart: z
            .strictObject({
                repo: z
                    .string()
                    .regex(/^(https?|oci):\/\/\S+$/, { error: "must be an https:// or oci:// chart repository URL" })
                    .optional()
                    .describe("Chart repository URL; with name and version."),
                name: z.string().min(1).default("platform-operator").describe("Chart name in the repository."),
                version: z
                    .string()
                    .regex(/^[0-9]+\.[0-9]+\.[0-9]+\S*$/, { error: "must be a pinned chart version such as 0.5.4" })
                    .optional()
                    .describe("Pinned chart version; required with repo."),
                archive: z
                    .string()
                    .min(1)
                    .optional()
                    .describe(
                        "Instead of a repository: the chart archive (platform-operator-<version>.tgz, a URL or a path) or its unpacked folder, Domino's documented offline path. Relative paths are relative to the project.",
                    ),
            })
            .optional()
            .describe("Where the Platform Operator chart comes from (operator method with operator: install): repo, name and version, or archive."),
    })
    .prefault({})
    .describe("How Domino itself is installed, and the generated configuration it reads.");

export type InstallConfig = z.output<typeof installConfig>;
