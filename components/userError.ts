// A user's mistake found while the program runs under the engine (a rename the data
// protection refuses, a preflight error): it must print as its message alone. The engine
// prints a RunError's message without a trace, but it also inspects the error for its
// trace span after the SDK has hung promises on it, which would dump the object; so the
// stack and the inspected form are the message too.

import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";

export function userError(message: string): pulumi.RunError {
    const error = new pulumi.RunError(message);
    error.stack = message;
    Object.defineProperty(error, inspect.custom, { value: () => message });
    return error;
}
