// Which secrets provider each shipped stack names (issue 22): a stack on a cloud keeps
// its secrets under that cloud's KMS, so decrypting needs IAM rights on the key and is
// audit-logged, instead of one passphrase that opens every stack. The local stack keeps
// its local-only passphrase; byo (a cluster adopted by kubeconfig, no cloud account in
// its jobs) too, for want of a cloud to hold a key. test/e2e/secretsKms.e2e.ts proves
// the awskms path against a local KMS endpoint.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { shippedStacks, stackFile } from "../../plan/engine";

interface StackDoc {
    secretsprovider?: string;
    encryptionsalt?: string;
    config: { "domino-tenancy:tenancy": { cloud: string; cluster: { region?: string; project?: string; location?: string } } };
}
const docOf = (stack: string) => yaml.load(fs.readFileSync(stackFile(stack), "utf8")) as StackDoc;

describe("the stacks' secrets providers", () => {
    it("covers every shipped stack", () => {
        assert.deepEqual(shippedStacks(), ["byo", "dev-aws", "local", "prod-aws", "prod-gcp"]);
    });

    for (const stack of ["dev-aws", "prod-aws"])
        it(`${stack}: awskms://, a key alias of its own, in the region of its cluster`, () => {
            const doc = docOf(stack);
            const url = new URL(doc.secretsprovider ?? "");
            assert.equal(url.protocol, "awskms:");
            assert.equal(`${url.host}${url.pathname}`, `alias/domino-tenancy-${stack}`);
            assert.equal(url.searchParams.get("region"), doc.config["domino-tenancy:tenancy"].cluster.region);
            assert.equal(doc.encryptionsalt, undefined, "no passphrase salt once on KMS");
        });

    it("prod-gcp: gcpkms://, a key of its own in its cluster's project and location", () => {
        const doc = docOf("prod-gcp");
        const cluster = doc.config["domino-tenancy:tenancy"].cluster;
        assert.equal(doc.secretsprovider, `gcpkms://projects/${cluster.project}/locations/${cluster.location}/keyRings/domino-tenancy/cryptoKeys/prod-gcp`);
        assert.equal(doc.encryptionsalt, undefined);
    });

    it("local stays on its local-only passphrase (a salt, no secrets provider), and so does byo", () => {
        const local = docOf("local");
        assert.equal(local.secretsprovider, undefined);
        assert.match(local.encryptionsalt ?? "", /^v1:/);
        assert.equal(docOf("byo").secretsprovider, undefined);
    });

    it("no stack on a cloud is left on the passphrase", () => {
        for (const stack of shippedStacks()) {
            const doc = docOf(stack);
            const cloud = doc.config["domino-tenancy:tenancy"].cloud;
            const scheme = doc.secretsprovider ? new URL(doc.secretsprovider).protocol.replace(/:$/, "") : "passphrase";
            assert.equal(scheme, { aws: "awskms", gcp: "gcpkms" }[cloud] ?? "passphrase", stack);
        }
    });
});
