// Entry point for `pulumi preview` and `pulumi up`: check the whole configuration first,
// so a bad stack registers nothing; then the rename guard, then preflight reads an adopted
// cluster (read-only) and fails on what would break Domino there; then build. Each export
// is one field of the contract in components/contract/exports.ts. A mistake in the config,
// the rename or the cluster prints as its message alone.
import { pulumiProgram } from "./components/program";

export = pulumiProgram();
