// The parts of @pulumi/gcp the program uses, by service: `import * as gcp from ".../sdk/gcp"`
// reads like the package's root. Importing the root makes the type check read every Google
// Cloud service's declarations (some 2,100 files); these are a fraction of that.

export * as container from "@pulumi/gcp/container";
export * as types from "@pulumi/gcp/types";
export { Provider } from "@pulumi/gcp/provider";

// At run time the root registers the package with the SDK (to rebuild its resources and provider
// from references); a plain require keeps that without the type check reading the root's types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("@pulumi/gcp");
