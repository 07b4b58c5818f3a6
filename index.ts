// Entry point for `pulumi up`: check the whole configuration first, so a bad stack
// registers nothing, then build. Each export is one field of the contract in
// components/contract/exports.ts.
import { deploy, loadInputs } from "./components/program";

export = deploy(loadInputs());
