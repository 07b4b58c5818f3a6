// One owner per function, for node functions and cluster functions alike: the stack's
// choice where it names one, checked against what the function allows, else the default.

import type { Issues } from "./issues";

export interface ChosenOwner<O extends string> {
    readonly owner: O;
    readonly reason: string;
}

/** Each function's owner; a refused choice is an issue at `<section>.<function>` (the choice is kept, so every problem is listed). */
export function chooseOwners<F extends string, O extends string>(
    section: string,
    fns: readonly F[],
    given: Partial<Record<F, O>>,
    defaults: Readonly<Record<F, ChosenOwner<O>>>,
    check: (fn: F, owner: O) => string | undefined,
    issues: Issues,
): Record<F, ChosenOwner<O>> {
    const out = {} as Record<F, ChosenOwner<O>>;
    for (const fn of fns) {
        const owner = given[fn];
        if (owner === undefined) {
            out[fn] = defaults[fn];
            continue;
        }
        const problem = check(fn, owner);
        if (problem) issues.add([section, fn], problem);
        out[fn] = { owner, reason: `set to ${owner} in ${section}.${fn}` };
    }
    return out;
}
