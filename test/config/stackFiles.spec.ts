// Stack files are named Pulumi.<stack>.yaml; plan/stackFiles.ts is the one place that
// says so, for the plan engine, the config checks and the workflow specs.

import { strict as assert } from "assert";
import { stackFileName, stackOfFile, stackOfFileName } from "../../plan/stackFiles";

describe("stack file names", () => {
    it("reads the stack from a stack file's path, and names a stack's file the same way", () => {
        assert.equal(stackOfFile("/x/stacks/Pulumi.prod-aws.yaml"), "prod-aws");
        assert.equal(stackOfFile(stackFileName("dev.eu")), "dev.eu");
    });

    it("says a file that is not named like a stack file is not one", () => {
        assert.equal(stackOfFileName("Pulumi.yaml"), undefined);
        assert.equal(stackOfFileName("Pulumi.local.yml"), undefined);
        assert.equal(stackOfFileName("README.md"), undefined);
    });

    it("takes any other file's name without its extension as the stack", () => {
        assert.equal(stackOfFile("/tmp/broken.yaml"), "broken");
    });
});
