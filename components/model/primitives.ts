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

type NumberCheck = { _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } } };
type SchemaDef = { type?: string; format?: string; checks?: NumberCheck[] };

/** A number schema in words: "a whole number ≥ 0", "a whole number from 1 to 1000", "a number ≥ 0.5". */
function numberInWords(def: SchemaDef): string {
    const checks = (def.checks ?? []).map((c) => c._zod.def);
    const whole = def.format !== undefined || checks.some((c) => c.check === "number_format");
    const min = checks.find((c) => c.check === "greater_than");
    const max = checks.find((c) => c.check === "less_than");
    const kind = whole ? "a whole number" : "a number";
    if (min?.inclusive && max?.inclusive) return `${kind} from ${min.value} to ${max.value}`;
    const bounds = [min ? `${min.inclusive ? "≥" : ">"} ${min.value}` : "", max ? `${max.inclusive ? "≤" : "<"} ${max.value}` : ""].filter(Boolean);
    return [kind, ...bounds].join(" ");
}

/** What a schema of zod type `type` accepts, in words. */
function expectedInWords(type: string | undefined, def: SchemaDef): string {
    switch (type) {
        case "number":
        case "int":
            return numberInWords(def);
        case "string":
            return "a string";
        case "boolean":
            return "true or false";
        case "array":
            return "a list";
        case "object":
        case "record":
            return "a map of keys to values";
        default:
            return type ? `a ${type}` : "a value of another type";
    }
}

/** A config value as an error shows it: short, and only its kind for lists and maps. */
function shown(input: unknown): string {
    if (typeof input === "string") return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}...` : input);
    if (Array.isArray(input)) return "a list";
    if (input !== null && typeof input === "object") return "a map";
    return String(input);
}

/**
 * zod's own messages said like the rest of the config's errors: "must be a whole number ≥ 0
 * (got "lots")" instead of "Invalid input: expected number, received string". Messages a
 * schema sets itself win over these; codes not listed keep zod's wording.
 */
export const configErrorMap: z.core.$ZodErrorMap = (iss) => {
    const def = (iss.inst as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def ?? {};
    switch (iss.code) {
        case "invalid_type":
            if (iss.input === undefined) return `is missing; must be ${expectedInWords(iss.expected, def)}`;
            return `must be ${expectedInWords(iss.expected, def)} (got ${shown(iss.input)})`;
        case "too_small":
        case "too_big": {
            const bound = Number(iss.code === "too_small" ? iss.minimum : iss.maximum);
            // A bound's issue comes from the check, not the number schema: it knows its own bound only.
            if (iss.origin === "number")
                return `must be ${iss.code === "too_small" ? ">" : "<"}${iss.inclusive ? "=" : ""} ${bound} (got ${shown(iss.input)})`
                    .replace(">=", "≥")
                    .replace("<=", "≤");
            const unit = iss.origin === "string" ? "character" : "item";
            if (iss.code === "too_small" && bound === 1) return iss.origin === "string" ? "must not be empty" : "must list at least one item";
            return `must have ${iss.code === "too_small" ? "at least" : "at most"} ${bound} ${unit}${bound === 1 ? "" : "s"}`;
        }
        case "invalid_value":
            if (iss.values.length === 1) return `must be ${JSON.stringify(iss.values[0])} (got ${shown(iss.input)})`;
            return `must be one of: ${iss.values.map((v) => String(v)).join(", ")} (got ${shown(iss.input)})`;
        case "invalid_union":
            return `matches none of the forms allowed here (got ${shown(iss.input)})`;
        default:
            return undefined;
    }
};
