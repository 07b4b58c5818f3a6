// Schema primitives every concern's config uses: Kubernetes names, labels, quantities, images.

import { z } from "zod";

/** RFC 1123 label: what Kubernetes accepts for namespace and most object names. */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z
    .string()
    .max(63, { error: "must be at most 63 characters" })
    .regex(dnsLabelPattern, { error: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit" });

// Label keys: optional DNS-subdomain prefix and a name of at most 63 characters.
const labelKeyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
export const labelKey = z.string().regex(labelKeyPattern, { error: "must be a Kubernetes label key: [prefix/]name, name at most 63 of [A-Za-z0-9-_.]" });
export const labelValue = z
    .string()
    .regex(labelValuePattern, { error: "must be a Kubernetes label value: at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends" });
export const labels = z.record(labelKey, labelValue);

export const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/, { error: "must be a Kubernetes quantity such as 500m, 4, 16Gi" });

/** An image reference pinned to a tag other than latest, or to a digest. */
export const pinnedImage = z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](@sha256:[a-f0-9]{64})?$/, { error: "must be an image reference such as registry/name:1.2.3" })
    .refine((ref) => ref.includes("@sha256:") || (/:[^/:]+$/.test(ref) && !ref.endsWith(":latest")), {
        error: "must be pinned: a tag other than 'latest' (registry/name:1.2.3) or a digest (@sha256:...)",
    });
