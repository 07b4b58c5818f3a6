// The documentation holds together: every relative link in the project's Markdown
// reaches a file, every #anchor a heading, README.md stays short enough to read on a few
// screens, and each topic page it sends readers to exists. The checker is first fed
// pages with dead links of each kind, so it cannot pass by finding nothing.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { anchorsOf, deadLinks, fsTree, githubSlug, linksOf, memoryTree } from "./markdownLinks";

const root = path.join(__dirname, "..", "..");

/** Markdown files under a folder, repository-relative, node_modules left out. */
function markdownUnder(folder: string, name: (file: string) => boolean): string[] {
    const full = path.join(root, folder);
    if (!fs.existsSync(full)) return [];
    return fs
        .readdirSync(full, { recursive: true, encoding: "utf8" })
        .map((f) => path.posix.join(folder, f.split(path.sep).join("/")))
        .filter((f) => !f.split("/").includes("node_modules") && name(f))
        .sort();
}

/** The pages whose links are checked: the README, every page of docs/, and the READMEs beside the code. */
const pages = [
    "README.md",
    ...markdownUnder("docs", (f) => f.endsWith(".md")),
    "policy/README.md",
    "toolchain/README.md",
    "bench/README.md",
    ...markdownUnder("examples", (f) => f.endsWith("/README.md")),
];

/** The topic pages issue 23 names, and the generated references. */
const topicPages = [
    "docs/configuration.md",
    "docs/node-functions.md",
    "docs/tenancy-rules.md",
    "docs/admission.md",
    "docs/installing-domino.md",
    "docs/clusters.md",
    "docs/operations.md",
    "docs/ci-cd.md",
    "docs/consuming-the-exports.md",
    "docs/testing.md",
    "docs/performance.md",
    "docs/verify.md",
    "docs/reference/commands.md",
    "docs/reference/configuration.md",
];

describe("documentation links", () => {
    describe("the checker", () => {
        const tree = memoryTree({
            "README.md": [
                "# Title",
                "",
                "## Real heading",
                "",
                "[fine](docs/a.md#sub-heading), [also fine](#real-heading), [a folder](docs/), [from the root](/docs/a.md)",
                "[missing file](docs/missing.md) and [missing anchor](docs/a.md#no-such-heading)",
                "[missing in-page anchor](#unreal-heading) and [external](https://example.com/#whatever)",
                "`[inline code](nowhere.md)` <!-- [a comment](nowhere.md) -->",
                "```md",
                "[fenced](nowhere.md)",
                "# fenced heading",
                "```",
                "[ref]: docs/gone.md",
            ].join("\n"),
            "docs/a.md": "# A\n\n## Sub heading\n\n[back up](../README.md#title) and [out of the repository](../../elsewhere.md)\n",
        });

        it("flags a missing file, a missing heading in another page, a missing in-page anchor, a dead definition and a path out of the repository", () => {
            assert.deepEqual(deadLinks(tree, ["README.md", "docs/a.md"]), [
                "README.md:6: docs/missing.md: no file or folder docs/missing.md",
                "README.md:6: docs/a.md#no-such-heading: no heading for #no-such-heading in docs/a.md",
                "README.md:7: #unreal-heading: no heading for #unreal-heading in README.md",
                "README.md:13: docs/gone.md: no file or folder docs/gone.md",
                "docs/a.md:5: ../../elsewhere.md: leaves the repository",
            ]);
        });

        it("reads no link in code or comments and no heading in a fence, and leaves external links alone", () => {
            const targets = linksOf(tree.text("README.md")!).map((l) => l.target);
            assert.ok(!targets.includes("nowhere.md"), targets.join(", "));
            assert.ok(targets.includes("https://example.com/#whatever"));
            assert.ok(!anchorsOf(tree.text("README.md")!).has("fenced-heading"));
        });

        it("finds a link whose text runs over two lines", () => {
            assert.deepEqual(linksOf("see [The cost of\nadmission](admission.md#the-cost-of-admission)."), [
                { line: 1, target: "admission.md#the-cost-of-admission" },
            ]);
        });

        it("slugs headings as GitHub does: lowercase, punctuation but - and _ dropped, each space a -, repeats numbered", () => {
            assert.equal(githubSlug("Node functions: one owner each"), "node-functions-one-owner-each");
            assert.equal(githubSlug("CI/CD (GitHub Actions)"), "cicd-github-actions");
            assert.equal(githubSlug("`npm run lint:workflows`"), "npm-run-lintworkflows");
            assert.equal(githubSlug("Production data: what is protected, and why"), "production-data-what-is-protected-and-why");
            assert.equal(githubSlug("snake_case and [a link](x.md)"), "snake_case-and-a-link");
            assert.deepEqual([...anchorsOf("# Notes\n## Notes\n## Notes\n")], ["notes", "notes-1", "notes-2"]);
        });
    });

    it("checks the README, every page of docs/, and the READMEs of policy/, toolchain/, bench/ and examples/", () => {
        for (const page of [...topicPages, "README.md", "policy/README.md", "toolchain/README.md", "examples/consumer/README.md"]) {
            assert.ok(pages.includes(page), `${page} is not among the checked pages`);
        }
    });

    it("every relative link and #anchor in those pages resolves", () => {
        const checked = pages.flatMap((p) => linksOf(fs.readFileSync(path.join(root, p), "utf8")));
        assert.ok(checked.length > 40, `only ${checked.length} links found: the reader is missing links`);
        assert.deepEqual(deadLinks(fsTree(root), pages), []);
    });

    it("README.md fits in 300 lines", () => {
        const lines = fs.readFileSync(path.join(root, "README.md"), "utf8").replace(/\n$/, "").split("\n").length;
        assert.ok(lines <= 300, `README.md has ${lines} lines; move detail to a page in docs/`);
    });

    it("README.md keeps the quick start's two commands, and .ci/run runs its test command", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        assert.match(readme, /^npm ci --ignore-scripts && npm run local\b/m);
        assert.match(readme, /^npm ci --ignore-scripts && npm test\b/m);
        assert.match(fs.readFileSync(path.join(root, ".ci", "run"), "utf8"), /^npm test$/m, ".ci/run no longer runs `npm test`, the README's test command");
    });

    it("each topic page exists and README.md links to it", () => {
        const readmeTargets = new Set(linksOf(fs.readFileSync(path.join(root, "README.md"), "utf8")).map((l) => l.target.split("#")[0]));
        for (const page of topicPages) {
            assert.ok(fs.existsSync(path.join(root, page)), `${page} is missing`);
            assert.ok(readmeTargets.has(page), `README.md does not link to ${page}`);
        }
    });
});
