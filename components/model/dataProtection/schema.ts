// How Domino's data survives a destroy or a rename: the config.

import { z } from "zod";
import { dnsLabel } from "../primitives";

export const dataProtectionConfig = z
    .strictObject({
        mode: z
            .enum(["auto", "protect", "retain", "off"])
            .default("auto")
            .describe(
                "How Domino's data survives a destroy or a rename. protect: Domino's platform, compute and system namespaces refuse deletion and replacement (`protect`), its StorageClasses stay in the cluster when they leave the stack (`retainOnDelete`); retain: both stay in the cluster when they leave the stack, nothing refuses; off: neither. auto: protect with environment prod, off otherwise.",
            ),
        renameFrom: dnsLabel
            .optional()
            .describe(
                "Acknowledges renaming the deployment on purpose: the domino.name this stack last deployed. Without it, a changed domino.name fails preview while data is protected.",
            ),
    })
    .prefault({})
    .describe("Protection of Domino's namespaces and StorageClasses, where its volume claims live; see docs/operations.md.");

export type DataProtectionConfig = z.output<typeof dataProtectionConfig>;
