// Entry of the policy pack. Pulumi's Node.js pack runner compiles TypeScript with
// ts-node and full type-checking; the rules share modules with the program instead,
// so they are loaded through tsx, exactly as the program is (Pulumi.yaml nodeargs).
require("tsx/cjs/api").register();
require("./pack");
