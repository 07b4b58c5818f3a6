// The twins as the API server gets them: one ValidatingAdmissionPolicy per `policy`
// name the twins give, holding the checks of every twin that names it. Why not one
// policy per rule: for every policy that matches a request, the API server converts
// the object, the request, the params and the namespace to CEL input three times (for
// the validations, the message expressions and the audit annotations), and that
// conversion, not the CEL, was most of the cost (bench part 6; docs/admission.md, "The cost
// of admission"). With the pod-template checks in one policy a Deployment is converted
// three times per request, not three times per rule. The rules stay separate where it counts: each twin lives in its
// rule's folder, and each refusal starts with its rule's name.

import type { AdmissionTwin, Reach, ResourceRule, Validation, Variable } from "./twin";

export interface AdmissionPolicy {
    /** The policy's name suffix (`<deployment>-<name>`). */
    readonly name: string;
    /** The rules whose checks it holds, in order. */
    readonly rules: readonly string[];
    readonly reach: Reach;
    readonly resourceRules: readonly ResourceRule[];
    readonly excludeResourceRules?: readonly ResourceRule[];
    readonly variables: readonly Variable[];
    readonly validations: readonly Validation[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Groups twins by their `policy`, in first-seen order. Twins of one policy must match
 * the same requests; a variable two of them define must be defined alike. Either
 * mismatch is a programming error in a rule's twin, so it throws.
 */
export function admissionPolicies(twins: readonly AdmissionTwin[]): AdmissionPolicy[] {
    const groups = new Map<string, AdmissionTwin[]>();
    for (const t of twins) groups.set(t.policy, [...(groups.get(t.policy) ?? []), t]);
    return [...groups.entries()].map(([name, members]) => {
        const [first] = members;
        const variables = new Map<string, Variable>();
        for (const t of members) {
            if (t.reach !== first.reach || !same(t.resourceRules, first.resourceRules) || !same(t.excludeResourceRules, first.excludeResourceRules))
                throw new Error(
                    `admission policy ${name}: twin ${t.rule} matches other requests than twin ${first.rule}; twins of one policy must match alike`,
                );
            for (const v of t.variables) {
                const seen = variables.get(v.name);
                if (seen && seen.expression !== v.expression)
                    throw new Error(`admission policy ${name}: variable ${v.name} of twin ${t.rule} differs from the one another twin defines`);
                variables.set(v.name, v);
            }
        }
        return {
            name,
            rules: [...new Set(members.map((t) => t.rule))],
            reach: first.reach,
            resourceRules: first.resourceRules,
            ...(first.excludeResourceRules ? { excludeResourceRules: first.excludeResourceRules } : {}),
            variables: [...variables.values()],
            validations: members.flatMap((t) => t.validations),
        };
    });
}
