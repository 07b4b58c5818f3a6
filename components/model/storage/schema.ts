// Domino's StorageClasses: the config.

import { z } from "zod";
import { dnsLabel } from "../primitives";

const storageClass = z.strictObject({
    /** Name of the StorageClass; @default `<name>-disk` / `<name>-shared`. */
    name: dnsLabel
        .optional()
        .describe("StorageClass name; starts with `<domino.name>-`. Default: `<domino.name>-disk` (block), `<domino.name>-shared` (shared)."),
    provisioner: z
        .string()
        .min(1)
        .optional()
        .describe(
            "CSI provisioner. Default on aws: ebs.csi.aws.com (block), efs.csi.aws.com (shared); on gcp: pd.csi.storage.gke.io, filestore.csi.storage.gke.io; required with existing.",
        ),
    parameters: z
        .record(z.string(), z.string())
        .default({})
        .describe(
            "StorageClass parameters, added to the cloud's defaults when the provisioner is the cloud's (shared needs fileSystemId on aws, network on gcp).",
        ),
    reclaimPolicy: z
        .enum(["Delete", "Retain"])
        .optional()
        .describe(
            "What happens to a volume when its claim is deleted. Default: Retain when dataProtection.mode resolves to protect or retain (prod), else Delete; Delete is refused while data is protected.",
        ),
});

export const storageClassesConfig = z
    .strictObject({
        block: storageClass.optional().describe("Block storage (ReadWriteOnce) for Domino's services."),
        shared: storageClass.optional().describe("Shared file storage (ReadWriteMany) for datasets and projects."),
    })
    .default({})
    .describe("Domino's StorageClasses.");

export type StorageClassConfig = z.output<typeof storageClass>;
