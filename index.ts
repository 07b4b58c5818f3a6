// Entry point for `pulumi preview` and `pulumi up`: first the Node.js that runs the program
// (the one @pulumi/pulumi declares, said in one info line), then the whole configuration,
// so a bad stack registers nothing; then the rename guard, then preflight reads an adopted
// cluster (read-only) and fails on what would break Domino there; then build. Each export
// is one field of the contract in components/contract/exports.ts. A mistake in the config,
// the rename, the cluster or the Node prints as its message alone.
import * as pulumi from "@pulumi/pulumi";
import { assertSupportedNode } from "./components/nodeRuntime";
import { pulumiProgram } from "./components/program";

pulumi.log.info(assertSupportedNode());

export = pulumiProgram();
