// `npm run config -- check`: the program's own config checks over stack files,
// without Pulumi. Lines name the file and the config path; exit codes tell CI
// valid (0) from invalid (1) from unusable (2); secure values never show.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../scripts/config";
import { repoRoot, shippedStacks } from "../../plan/engine";

interface Run {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
}

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Run {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { env });
    return { code, out, err };
}

const ciphertexts = {
    kubeconfig: "v1:q8XzKUBECONFIGCIPHERb2Z0aGlzaXNhc2VjcmV0",
    server: "v1:Wm9vU0VSVkVSQ0lQSEVSdGhpc2lzYXNlY3JldA==",
    namespace: "v1:TmFtZXNwYWNlQ0lQSEVSaXNhc2VjcmV0",
    registryPassword: "v1:UkVHSVNUUllQQVNTV09SRGlzYXNlY3JldA==",
};

/** What every valid file adds for Domino's install: a registry user and chart, and the password as a secure value. */
const installYaml = "      install: { registry: { username: u }, chart: { archive: test/fixtures/platform-operator-standin } }\n";
const passwordYaml = `  domino-tenancy:registryPassword:\n    secure: ${ciphertexts.registryPassword}\n`;

describe("config check (npm run config -- check)", () => {
    let dir: string;
    const write = (name: string, text: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-check-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes every shipped stack with exit 0, one ok line per stack file", () => {
        const r = run(["check"]);
        assert.equal(r.code, 0, r.out.join("\n"));
        assert.deepEqual(
            r.out,
            shippedStacks().map((s) => `stacks/Pulumi.${s}.yaml: ok`),
        );
    });

    it("checks only the named stacks with --stack", () => {
        const r = run(["check", "--stack", "byo", "--stack", "prod-gcp"]);
        assert.equal(r.code, 0);
        assert.deepEqual(r.out, ["stacks/Pulumi.byo.yaml: ok", "stacks/Pulumi.prod-gcp.yaml: ok"]);
    });

    it("prints `<file>: <config path>: <message>` for every problem of a broken file and exits 1", () => {
        const file = write(
            "Pulumi.broken.yaml",
            [
                "config:",
                "  domino-tenancy:tenancy:",
                "    cloud: aws",
                "    isolation: partial",
                "    colud: aws",
                "    cluster: { name: broken }",
                "    domino: { hostname: d.example.com }",
                "",
            ].join("\n"),
        );
        const r = run(["check", "--config", file, "--stack", "local"]);
        assert.equal(r.code, 1);
        // Named stacks first, then --config files; every problem of the broken file, schema order.
        assert.deepEqual(r.out, [
            "stacks/Pulumi.local.yaml: ok",
            `${file}: tenancy.isolation: must be one of: shared, dedicated (got "partial")`,
            `${file}: tenancy.colud: unknown key; allowed here: cloud, environment, dataProtection, cluster, isolation, preflight, nodePools, domino, consumers, plumbing, nodeFunctions, clusterFunctions`,
        ]);
        assert.match(r.err.join("\n"), /2 stack files checked: 1 valid, 1 with problems/);
    });

    it("applies the model's cross-field rules too, not only the schema's shapes", () => {
        const file = write(
            "Pulumi.crossfield.yaml",
            "config:\n  domino-tenancy:tenancy:\n    cloud: aws\n    cluster: { name: x, subnetIds: [a] }\n    nodePools: [{ name: p, role: platform, minSize: 5, maxSize: 2 }, { name: c, role: compute }]\n    domino: { hostname: d.example.com }\n",
        );
        const r = run(["check", "--config", file]);
        assert.equal(r.code, 1);
        assert.deepEqual(r.out, [
            `${file}: tenancy.nodePools[0].minSize: is 5, above maxSize 2; allowed: 0..maxSize`,
            `${file}: tenancy.cluster.region: is required for cloud 'aws' (for example us-west-2)`,
            // No fileSystemId issue: a created EKS cluster makes its own EFS file system.
            `${file}: tenancy.cluster.subnetIds: needs at least two subnets in different availability zones to create an EKS cluster`,
            `${file}: tenancy.domino.install.registry.username: is required: the quay.io user name Domino gave you (its password is the secret config value 'registryPassword')`,
            `${file}: tenancy.domino.install.chart: is required with operator 'install': a chart repository (repo, name, version) or Domino's chart archive (archive: platform-operator-<version>.tgz from https://mirrors.domino.tech/s3/domino-artifacts/platform-operator/, or its unpacked folder)`,
        ]);
    });

    it("asks an adopted cluster for a kubeconfig as the program does, and counts a secure kubeconfig as one", () => {
        const tenancy =
            "  domino-tenancy:tenancy:\n    cloud: existing\n    domino:\n      hostname: d.example.com\n      storageClasses: { block: { provisioner: p }, shared: { provisioner: q } }\n" +
            installYaml +
            passwordYaml;
        const without = write("Pulumi.nokube.yaml", `config:\n${tenancy}`);
        const r = run(["check", "--config", without], {});
        assert.equal(r.code, 1);
        assert.match(r.out.join("\n"), /Pulumi\.nokube\.yaml: tenancy\.cluster\.kubeconfigPath: cloud 'existing' needs a kubeconfig/);
        assert.equal(run(["check", "--config", without], { KUBECONFIG: "/tmp/some-kubeconfig" }).code, 0);

        const withSecret = write("Pulumi.securekube.yaml", `config:\n  domino-tenancy:kubeconfig:\n    secure: ${ciphertexts.kubeconfig}\n${tenancy}`);
        const s = run(["check", "--config", withSecret], {});
        assert.equal(s.code, 0, s.out.join("\n"));
    });

    it("never prints a secure value, wherever it sits in the stack file", () => {
        const file = write(
            "Pulumi.secrets.yaml",
            [
                "config:",
                "  domino-tenancy:kubeconfig:",
                `    secure: ${ciphertexts.kubeconfig}`,
                "  domino-tenancy:tenancy:",
                "    cloud: existing",
                "    isolation: partial",
                "    domino:",
                "      hostname: d.example.com",
                "      namespaces:",
                "        system:",
                `          secure: ${ciphertexts.namespace}`,
                "      storageClasses:",
                "        block: { provisioner: p }",
                "        shared:",
                "          provisioner: nfs.csi.k8s.io",
                "          parameters:",
                "            server:",
                `              secure: ${ciphertexts.server}`,
                "          reclaimPolicy: Sometimes",
                "",
            ].join("\n"),
        );
        const r = run(["check", "--config", file]);
        assert.equal(r.code, 1);
        const printed = [...r.out, ...r.err].join("\n");
        // The file's problems are still reported, by path...
        assert.match(printed, /tenancy\.isolation: must be one of: shared, dedicated/);
        assert.match(printed, /tenancy\.domino\.namespaces\.system: must be a DNS-1123 label/);
        assert.match(printed, /tenancy\.domino\.storageClasses\.shared\.reclaimPolicy: must be one of: Delete, Retain/);
        // ...but no ciphertext, even where a secure value fails its own check.
        for (const secret of Object.values(ciphertexts)) assert.ok(!printed.includes(secret), `printed ${secret}:\n${printed}`);
    });

    it("treats a nested secure value as the string the program would decrypt, not as a malformed object", () => {
        const file = write(
            "Pulumi.nestedsecret.yaml",
            [
                "config:",
                "  domino-tenancy:tenancy:",
                "    cloud: existing",
                "    cluster: { kubeconfigPath: /dev/null }",
                "    domino:",
                "      hostname: d.example.com",
                "      storageClasses:",
                "        block: { provisioner: p }",
                "        shared:",
                "          provisioner: nfs.csi.k8s.io",
                "          parameters:",
                "            server:",
                `              secure: ${ciphertexts.server}`,
                installYaml + passwordYaml,
            ].join("\n"),
        );
        const r = run(["check", "--config", file]);
        assert.deepEqual(r.out, [`${file}: ok`]);
        assert.equal(r.code, 0);
    });

    it("exits 2 for files it cannot read and for usage errors", () => {
        const notYaml = write("Pulumi.notyaml.yaml", "config: [unclosed\n");
        const r = run(["check", "--config", notYaml, "--stack", "local"]);
        assert.equal(r.code, 2);
        assert.match(r.out.join("\n"), /Pulumi\.notyaml\.yaml: \(file\): cannot be read as YAML/);
        assert.equal(run(["check", "--config", path.join(dir, "Pulumi.absent.yaml")]).code, 2);
        assert.equal(run(["check", "--stack", "no-such-stack"]).code, 2);
        assert.equal(run(["lint"]).code, 2);
        assert.equal(run([]).code, 2);
        assert.equal(run(["check", "--colour"]).code, 2);
    });

    it("sets the process exit code from the command line (what CI runs) @slow", function () {
        this.timeout(30000);
        const file = write("Pulumi.cli.yaml", "config:\n  domino-tenancy:tenancy:\n    cloud: azure\n    domino: { hostname: d.example.com }\n");
        const r = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(repoRoot, "scripts", "config.ts"), "check", "--config", file], {
            cwd: repoRoot,
            encoding: "utf8",
        });
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, `${file}: tenancy.cloud: must be one of: aws, gcp, existing (got "azure")\n`);
    });
});
