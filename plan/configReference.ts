// The configuration reference, generated from the zod schema the program validates
// with: every key path with its type, whether it is required, its default, what
// values it allows (enums, bounds, and the schema's own error messages) and its
// description. Pure: schema in, Markdown out; the reference page (docs/reference/
// configuration.md) is text in, text out, and scripts/config.ts does the file handling.

import { z } from "zod";
import { configKey } from "../components/model/schema";
import { markedReference, ReferenceMarkerError } from "./markedBlock";

export interface ReferenceRow {
    /** `tenancy.nodePools[].name`: `[]` stands for any element of a list. */
    readonly path: string;
    readonly kind: "object" | "list" | "map" | "value";
    readonly type: string;
    readonly required: boolean;
    /** The schema's default, when it has one. */
    readonly default?: unknown;
    readonly allowed: readonly string[];
    readonly description?: string;
}

// The parts of zod's internal definition the walk reads (zod 4; config.ts reads the same).
interface CheckDef {
    readonly check: string;
    readonly format?: string;
    readonly minimum?: number;
    readonly maximum?: number;
    readonly value?: number;
    readonly inclusive?: boolean;
    readonly pattern?: RegExp;
    readonly error?: (issue: object) => unknown;
}
interface SchemaDef {
    readonly type: string;
    readonly innerType?: z.ZodType;
    readonly defaultValue?: unknown;
    readonly shape?: Record<string, z.ZodType>;
    readonly element?: z.ZodType;
    readonly keyType?: z.ZodType;
    readonly valueType?: z.ZodType;
    readonly entries?: Record<string, string | number>;
    readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}

function defOf(schema: z.ZodType): SchemaDef {
    return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

interface Unwrapped {
    readonly schema: z.ZodType;
    readonly optional: boolean;
    readonly hasDefault: boolean;
    readonly default?: unknown;
    readonly description?: string;
}

/** Peels optional/default/nullable wrappers; the outermost description and default win. */
function unwrap(schema: z.ZodType): Unwrapped {
    let current = schema;
    let optional = false;
    let hasDefault = false;
    let defaultValue: unknown;
    let description = schema.description;
    for (;;) {
        const def = defOf(current);
        if (!["optional", "default", "nullable", "prefault"].includes(def.type) || !def.innerType) break;
        if (def.type === "optional") optional = true;
        // A prefault is parsed through the inner schema, so an object's fields state their own defaults.
        if ((def.type === "default" || def.type === "prefault") && !hasDefault) {
            hasDefault = true;
            defaultValue = def.defaultValue;
        }
        current = def.innerType;
        description ??= current.description;
    }
    return { schema: current, optional: optional || hasDefault, hasDefault, default: defaultValue, description };
}

/** A check's own error message, when the schema gives one (zod's defaults say less than the bound). */
function customMessage(check: CheckDef): string | undefined {
    const message = check.error?.({});
    return typeof message === "string" ? message : undefined;
}

/** What a scalar schema allows, in words: enum values, bounds, and custom messages. */
function constraintsOf(schema: z.ZodType): string[] {
    const def = defOf(schema);
    if (def.type === "enum") return Object.values(def.entries ?? {}).map((v) => `\`${String(v)}\``);
    const out: string[] = [];
    // The tightest bound of each kind: dnsLabel.max(63) narrowed by .max(32) says 32.
    const bounds = new Map<string, { value: number; message?: string }>();
    const tighten = (kind: string, value: number, message: string | undefined, lower: boolean): void => {
        const prev = bounds.get(kind);
        if (!prev || (lower ? value > prev.value : value < prev.value)) bounds.set(kind, { value, message });
    };
    for (const { _zod } of def.checks ?? []) {
        const c = _zod.def;
        const message = customMessage(c);
        switch (c.check) {
            case "min_length":
                tighten("minLength", c.minimum ?? 0, message, true);
                break;
            case "max_length":
                tighten("maxLength", c.maximum ?? Infinity, message, false);
                break;
            case "greater_than":
                tighten("min", c.value ?? -Infinity, message, true);
                break;
            case "less_than":
                tighten("max", c.value ?? Infinity, message, false);
                break;
            case "string_format":
                if (c.format === "regex") out.push(message ?? `matches \`${String(c.pattern)}\``);
                break;
            case "custom":
                if (message) out.push(message);
                break;
            default:
                break;
        }
    }
    // Bounds first, in reading order (length, then value); a bound's own message replaces the number.
    const boundTexts: string[] = [];
    const minLength = bounds.get("minLength");
    const maxLength = bounds.get("maxLength");
    if (minLength) boundTexts.push(minLength.message ?? (minLength.value === 1 ? "not empty" : `at least ${minLength.value} characters`));
    if (maxLength) boundTexts.push(maxLength.message ?? `at most ${maxLength.value} characters`);
    const min = bounds.get("min");
    const max = bounds.get("max");
    if (min && max && !min.message && !max.message) boundTexts.push(`${min.value} to ${max.value}`);
    else {
        if (min) boundTexts.push(min.message ?? `at least ${min.value}`);
        if (max) boundTexts.push(max.message ?? `at most ${max.value}`);
    }
    return [...boundTexts, ...out];
}

function scalarType(schema: z.ZodType): string {
    const def = defOf(schema);
    if (def.type === "number")
        return (def.checks ?? []).some((c) => c._zod.def.check === "number_format" && c._zod.def.format === "safeint") ? "integer" : "number";
    if (def.type === "enum") return "enum";
    return def.type;
}

/** Every key path of the schema, depth first in the schema's order, under `root`. */
export function referenceRows(schema: z.ZodType, root: string = configKey): ReferenceRow[] {
    const rows: ReferenceRow[] = [];
    const visit = (node: z.ZodType, at: string): void => {
        const { schema: inner, optional, hasDefault, default: dflt, description } = unwrap(node);
        const def = defOf(inner);
        const base = { path: at, required: !optional, ...(hasDefault ? { default: dflt } : {}), ...(description ? { description } : {}) };
        if (def.type === "object" && def.shape) {
            rows.push({ ...base, kind: "object", type: "object", allowed: [] });
            for (const [key, child] of Object.entries(def.shape)) visit(child, `${at}.${key}`);
        } else if (def.type === "array" && def.element) {
            const element = unwrap(def.element).schema;
            const bounds = constraintsOf(inner).map((c) => c.replace("characters", "items"));
            if (defOf(element).type === "object") {
                rows.push({ ...base, kind: "list", type: "list of objects", allowed: bounds });
                visit(def.element, `${at}[]`);
            } else {
                rows.push({ ...base, kind: "list", type: `list of ${scalarType(element)}`, allowed: [...bounds, ...constraintsOf(element)] });
            }
        } else if (def.type === "record" && def.keyType && def.valueType) {
            const key = constraintsOf(def.keyType);
            const value = constraintsOf(unwrap(def.valueType).schema);
            rows.push({
                ...base,
                kind: "map",
                type: `map of ${scalarType(def.keyType)} to ${scalarType(unwrap(def.valueType).schema)}`,
                allowed: [...key.map((k) => `keys ${k}`), ...value.map((v) => `values ${v}`)],
            });
        } else {
            rows.push({ ...base, kind: "value", type: scalarType(inner), allowed: constraintsOf(inner) });
        }
    };
    visit(schema, root);
    return rows;
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function isEmptyObject(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function defaultCell(row: ReferenceRow): string {
    if (!("default" in row)) return "";
    // An empty object as default only switches its fields' own defaults on.
    if (row.kind === "object" && isEmptyObject(row.default)) return "its fields' defaults";
    return `\`${JSON.stringify(row.default)}\``;
}

/** The reference as Markdown: a note on where it comes from, then one table row per key path. */
export function renderReference(rows: readonly ReferenceRow[]): string {
    const lines = [
        "<!-- Generated from components/model/schema.ts by `npm run config -- reference`; edit the schema, not this block. -->",
        "",
        "Every key under `domino-tenancy:tenancy`. `[]` stands for each element of a list. A required key under an",
        "optional object is required only when that object is given. Defaults marked in the description",
        "(rather than the default column) are resolved by the model, per cloud or from other keys.",
        "",
        "| key | type | required | default | allowed | description |",
        "|---|---|---|---|---|---|",
    ];
    for (const row of rows) {
        if (row.path === configKey) continue; // the root object is the whole section
        lines.push(
            `| \`${cell(row.path)}\` | ${cell(row.type)} | ${row.required ? "yes" : "no"} | ${cell(defaultCell(row))} | ${cell(row.allowed.join("; "))} | ${cell(row.description ?? "")} |`,
        );
    }
    return lines.join("\n");
}

/** The page the reference lives in, from the repository's root. */
export const configReferenceFile = "docs/reference/configuration.md";

export const referenceMarkers = { start: "<!-- config-reference:start -->", end: "<!-- config-reference:end -->" } as const;

export { ReferenceMarkerError };

export const { referenceBlock, withReference, isStale } = markedReference(referenceMarkers);
