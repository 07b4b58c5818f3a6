// Entry point for `pulumi up`: check the whole configuration first, so a bad stack
// registers nothing, then (after the rename guard) build. Each export is one field of the contract in
// components/contract/exports.ts.
import { loadInputs, run } from "./components/program";

export = run(loadInputs());
