// How Domino itself is installed: the config of its version, method, registry, chart and agent.

import { z } from "zod";

export const dominoVersionConfig = z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a Domino version such as 6.1.0" })
    .default("6.1.0")
    .describe("Domino version to install; picks the install method and the fleetcommand-agent tag.");

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
                "fleetcommand-agent tag of the release, <domino.version>.catalog-<commit> such as 6.1.0.catalog-b50f131 (v<number> before 5.10). Default: the tag of a known release (5.9.0-5.11.1, 6.0.0, 6.1.0, 6.1.4, 6.2.0, 6.2.2); required for any other version.",
            ),
        agentRepository: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, { error: "must be an image repository such as quay.io/domino/fleetcommand-agent" })
            .default("quay.io/domino/fleetcommand-agent")
            .describe("Repository of the fleetcommand-agent image (agent method), to pull it from a mirror; its tag is agentVersion."),
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
        customResourceApiVersion: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/v[0-9]+((alpha|beta)[0-9]+)?$/, {
                error: "must be <group>/<version> such as platform.dominodatalab.com/v1alpha1",
            })
            .default("platform.dominodatalab.com/v1alpha1")
            .describe(
                "apiVersion of the `Domino` custom resource. Domino's public docs name the kind but not its group and version; the default is this project's best evidence, not confirmed: check `kubectl get crd` after installing the chart.",
            ),
    })
    .prefault({})
    .describe("How Domino itself is installed, and the generated configuration it reads.");

export type InstallConfig = z.output<typeof installConfig>;
