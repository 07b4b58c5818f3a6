// A CRD's structural schema as the API server applies it, offline: ajv validates types,
// required fields, patterns and bounds, and every object whose schema lists its properties
// refuses any other field, which is what the server prunes (and refuses under strict field
// validation). `metadata` is the server's own ObjectMeta and is left open, as the server does.

import * as fs from "fs";
import * as yaml from "js-yaml";
import Ajv, { type ErrorObject } from "ajv";

type Schema = Record<string, unknown>;

export interface CrdVersion {
    readonly name: string;
    readonly served: boolean;
    readonly storage: boolean;
    readonly subresources?: { readonly status?: object };
    readonly schema: { readonly openAPIV3Schema: Schema };
}

export interface Crd {
    readonly metadata: { readonly name: string };
    readonly spec: {
        readonly group: string;
        readonly scope: "Namespaced" | "Cluster";
        readonly names: { readonly kind: string; readonly plural: string };
        readonly versions: readonly CrdVersion[];
    };
}

export function readCrd(file: string): Crd {
    return yaml.load(fs.readFileSync(file, "utf8")) as Crd;
}

/** Every path in a schema that carries `key` (such as x-kubernetes-preserve-unknown-fields). */
export function pathsWith(schema: unknown, key: string, at = ""): string[] {
    if (schema === null || typeof schema !== "object") return [];
    const here = key in (schema as Schema) ? [at || "."] : [];
    return [...here, ...Object.entries(schema as Schema).flatMap(([k, v]) => pathsWith(v, key, `${at}/${k}`))];
}

/** The structural schema as JSON Schema: closed objects where properties are listed, the Kubernetes extensions dropped. */
export function closedSchema(schema: Schema, path: readonly string[] = []): Schema {
    const out: Schema = {};
    for (const [k, v] of Object.entries(schema)) {
        if (k.startsWith("x-kubernetes-") || k === "format" || k === "description") continue;
        if (k === "properties") {
            out.properties = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([name, s]) => [name, closedSchema(s, [...path, name])]));
        } else if (k === "items" || k === "additionalProperties") {
            out[k] = typeof v === "object" ? closedSchema(v as Schema, [...path, k]) : v;
        } else if (k === "anyOf" || k === "allOf" || k === "oneOf") {
            out[k] = (v as Schema[]).map((s) => closedSchema(s, path));
        } else out[k] = v;
    }
    const isMetadata = path.length === 1 && path[0] === "metadata";
    if (schema.type === "object" && !("additionalProperties" in schema) && !schema["x-kubernetes-preserve-unknown-fields"] && !isMetadata) {
        // An object without listed properties keeps nothing either: the server prunes every field.
        out.additionalProperties = false;
    }
    if (schema["x-kubernetes-int-or-string"]) delete out.type;
    return out;
}

/** The problems the API server would find in an object of this CRD version: "<path> <what>", none when it is accepted whole. */
export function crdProblems(crd: Crd, object: unknown): string[] {
    const problems: string[] = [];
    const o = object as { apiVersion?: string; kind?: string; metadata?: { namespace?: string } };
    const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}` === o.apiVersion);
    if (!version)
        return [
            `apiVersion '${o.apiVersion}' is not served by ${crd.metadata.name} (${crd.spec.versions.map((v) => `${crd.spec.group}/${v.name}`).join(", ")})`,
        ];
    if (!version.served) problems.push(`apiVersion '${o.apiVersion}' is not served`);
    if (o.kind !== crd.spec.names.kind) problems.push(`kind '${o.kind}' is not ${crd.spec.names.kind}`);
    if (crd.spec.scope === "Namespaced" && !o.metadata?.namespace) problems.push("metadata.namespace is required: the kind is namespaced");
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(closedSchema(version.schema.openAPIV3Schema));
    if (!validate(object)) problems.push(...(validate.errors ?? []).map(describe));
    return problems;
}

function describe(e: ErrorObject): string {
    const where = e.instancePath || "/";
    if (e.keyword === "additionalProperties")
        return `${where}/${(e.params as { additionalProperty: string }).additionalProperty} is not in the schema (pruned; refused under strict field validation)`;
    return `${where} ${e.message ?? e.keyword}`;
}
