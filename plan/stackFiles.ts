// Pulumi names a stack's config file Pulumi.<stack>.yaml. This is the one place that
// spells the pattern; the plan engine, the config checks and the workflow specs use it.

import * as path from "path";

/** A stack file's name; group 1 is the stack. */
export const stackFilePattern = /^Pulumi\.(.+)\.yaml$/;

/** The file name of a stack's config file. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** The stack a file name belongs to, or undefined when it is not a stack file. */
export function stackOfFileName(fileName: string): string | undefined {
    return stackFilePattern.exec(fileName)?.[1];
}

/** Stack name from a stack file's path, as Pulumi derives it; any other file stands for the stack named like it. */
export function stackOfFile(file: string): string {
    return stackOfFileName(path.basename(file)) ?? path.basename(file, path.extname(file));
}
