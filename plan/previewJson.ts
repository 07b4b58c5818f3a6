// `pulumi preview --json` read as an offline plan, so `policy check` and `report` give
// the engine's own preview the same verdicts as `npm run plan -- --json`.
//
// Format (pulumi/pulumi, sdk/go/common/display/json.go: PreviewDigest, PreviewStep; the
// state is apitype.ResourceV3 in sdk/go/common/apitype/core.go):
//   { "config": {...}, "steps": [ { "op", "urn", "provider"?, "oldState"?, "newState"?,
//     "diffReasons"?, "replaceReasons"?, "detailedDiff" } ], "diagnostics": [...],
//     "changeSummary": { "create": n, ... }, "duration"?, "maybeCorrupt"? }
//   newState: { "urn", "custom", "type", "inputs"?, "outputs"?, "parent"?, "protect"?,
//     "retainOnDelete"?, "provider"?, "dependencies"?, ... } (Go omitempty: absent rather than empty).
// Secrets print as "[secret]" or as the signature object
// { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ... };
// both become the plan's "[secret]".
//
// Which steps make the new plan: every step with a newState (create, same, update,
// replace, create-replacement, import, refresh ...), once per URN. A `delete` or
// `delete-replaced` step carries only oldState: that resource is not in the new plan,
// so it is skipped (policies judge what will exist, as the engine's analyzer does).

import type { Plan, PlanResource } from "./engine";

export const secretSig = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" } as const;

/** apitype.ResourceV3, the fields the plan needs. */
export interface PreviewState {
    readonly urn: string;
    readonly custom: boolean;
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly provider?: string;
    readonly dependencies?: string[];
    readonly ignoreChanges?: string[];
}

export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly provider?: string;
    readonly oldState?: PreviewState;
    readonly newState?: PreviewState;
    readonly diffReasons?: string[];
    readonly replaceReasons?: string[];
    readonly detailedDiff?: Record<string, unknown> | null;
}

export interface PreviewDigest {
    readonly config?: Record<string, string>;
    readonly steps?: PreviewStep[];
    readonly diagnostics?: { urn?: string; prefix?: string; message?: string; severity?: string }[];
    readonly duration?: number;
    readonly changeSummary?: Record<string, number>;
    readonly maybeCorrupt?: boolean;
}

export class PreviewFormatError extends Error {}

/** A preview document (as opposed to a plan): it has `steps` or `changeSummary` and no `resources`. */
export function isPreviewJson(doc: unknown): doc is PreviewDigest {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return false;
    const d = doc as Record<string, unknown>;
    return !("resources" in d) && (Array.isArray(d.steps) || (!!d.changeSummary && typeof d.changeSummary === "object"));
}

function isSecret(value: object): boolean {
    return (value as Record<string, unknown>)[secretSig.key] === secretSig.value;
}

/** Secrets, however the engine printed them, as the plan writes them. */
export function unsecret(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unsecret);
    if (value && typeof value === "object") {
        if (isSecret(value)) return "[secret]";
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsecret(v)]));
    }
    return value;
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` split into its parts. */
function urnParts(urn: string): { stack: string; project: string; name: string } {
    const m = /^urn:pulumi:([^:]*)::([^:]*)::.*::(.*)$/s.exec(urn);
    if (!m) throw new PreviewFormatError(`not a Pulumi URN: ${urn}`);
    return { stack: m[1], project: m[2], name: m[3] };
}

export function fromPreviewJson(doc: unknown): Plan {
    if (!isPreviewJson(doc)) throw new PreviewFormatError("not a `pulumi preview --json` document (no steps)");
    const resources: PlanResource[] = [];
    const seen = new Set<string>();
    let stack = "";
    let project = "";
    (doc.steps ?? []).forEach((step, i) => {
        if (!step || typeof step.urn !== "string" || typeof step.op !== "string") throw new PreviewFormatError(`steps[${i}] needs op and urn strings`);
        const s = step.newState;
        if (!s) return; // delete, delete-replaced, discard: gone from the new plan
        if (typeof s.type !== "string" || typeof s.urn !== "string") throw new PreviewFormatError(`steps[${i}].newState needs type and urn strings`);
        if (seen.has(s.urn)) return; // a replacement prints create-replacement and replace for one URN
        seen.add(s.urn);
        const parts = urnParts(s.urn);
        stack ||= parts.stack;
        project ||= parts.project;
        resources.push({
            urn: s.urn,
            type: s.type,
            name: parts.name,
            parent: s.parent ?? null,
            custom: s.custom ?? false,
            inputs: unsecret(s.inputs ?? {}) as Record<string, unknown>,
            options: {
                protect: s.protect ?? false,
                retainOnDelete: s.retainOnDelete ?? false,
                provider: s.provider ?? null,
                dependsOn: s.dependencies ?? [],
                ignoreChanges: s.ignoreChanges ?? [],
            },
        });
    });
    return { project, stack, resources };
}
