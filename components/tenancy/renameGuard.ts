// The rename guard: before anything is registered, read this stack's own last outputs and
// refuse a changed deployment name while Domino's data is protected. A `protect` flag alone
// would stop only the delete at the end of `up`, after the new namespaces were created; this
// stops the run before either happens, preview included, with a message that says what to do.

import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/model";
import { userError } from "../userError";
import { PreviousDeployment, renameProblem } from "./dataProtection";

/** Logical name of the read-only reference to this stack itself. */
export const ownStackReferenceName = "own-stack";

function stringOrUndefined(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    const entries = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string");
    return Object.fromEntries(entries);
}

/**
 * Reads the stack's last outputs through a StackReference to itself. A brand-new stack has none,
 * so the guard lets it pass; with protection off the reference is not even read.
 */
export async function guardRename(model: DeploymentModel, opts?: pulumi.CustomResourceOptions): Promise<void> {
    if (model.dataProtection.mode === "off") return;
    const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    const ref = new pulumi.StackReference(ownStackReferenceName, { name: self }, opts);
    const [name, namespaces, storageClasses] = await Promise.all(
        ["deploymentName", "namespaces", "storageClasses"].map(async (k) => (await ref.getOutputDetails(k)).value as unknown),
    );
    const previous: PreviousDeployment = {
        deploymentName: stringOrUndefined(name),
        namespaces: stringRecord(namespaces),
        storageClasses: stringRecord(storageClasses),
    };
    const problem = renameProblem(model, previous);
    if (problem) throw userError(problem);
}
