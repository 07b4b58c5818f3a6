// Domino's namespaces and their Pod Security levels: the config.

import { z } from "zod";
import { dnsLabel } from "../primitives";

const podSecurityLevel = z.enum(["privileged", "baseline", "restricted"]);
const podSecurity = z.strictObject({
    enforce: podSecurityLevel.describe("Pod Security level enforced on the namespace."),
    warn: podSecurityLevel.optional().describe("Pod Security level warned about. Default: restricted."),
    /** Why a level below baseline is needed; required with privileged (policies check it against their allowlist). */
    exception: z
        .string()
        .min(10, { error: "must say why, in at least 10 characters" })
        .optional()
        .describe("Why a level below baseline is needed; required with privileged (policies check it against their allowlist)."),
});

export const namespacesConfig = z
    .strictObject({
        platform: dnsLabel.optional().describe("Namespace of Domino's platform services. Default: `<domino.name>-platform`."),
        compute: dnsLabel.optional().describe("Namespace of Domino's user runs. Default: `<domino.name>-compute`."),
        system: dnsLabel
            .optional()
            .describe("Namespace of Domino's installer: the Platform Operator and the `Domino` resource, or the agent Job. Default: `<domino.name>-system`."),
    })
    .default({})
    .describe("Names of Domino's namespaces; each distinct, none of the cluster's shared ones (default, kube-system ...).");

export const podSecurityConfig = z
    .strictObject({
        platform: podSecurity.optional().describe("Pod Security of the platform namespace. Default: enforce baseline, warn restricted."),
        compute: podSecurity.optional().describe("Pod Security of the compute namespace. Default: enforce baseline, warn restricted."),
        system: podSecurity.optional().describe("Pod Security of the system namespace. Default: enforce restricted, warn restricted."),
    })
    .default({})
    .describe("Pod Security Admission levels of Domino's namespaces.");
