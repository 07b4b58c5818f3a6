// The GitHub Actions workflows against the stacks they deploy: pull-request checks
// cover every stack, deployments go dev before prod with OIDC credentials and the
// policy pack, and every action is pinned. actionlint (npm run lint:workflows)
// checks the syntax and expressions; this spec checks what the project promises.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    deployJobsByStack,
    devBeforeProdProblems,
    heredocScript,
    isDaily,
    Job,
    jobInstances,
    loadWorkflow,
    longLivedKeyProblems,
    matrixStacks,
    missingFromMatrix,
    nodeVersionProblems,
    permissionsOf,
    pinProblems,
    pulumiRuns,
    repoRoot,
    scheduleCrons,
    secretRefs,
    shippedStacks,
    Stack,
    Step,
    usesRefs,
    usesValues,
    Workflow,
    workflowFiles,
} from "./workflows";

const stacks = shippedStacks();
const deployStacks = stacks.filter((s) => s.name !== "local");
const pr = loadWorkflow("pr.yml");
const deploy = loadWorkflow("deploy.yml");
const drift = loadWorkflow("drift.yml");
const runsOf = (job: Job | undefined): string => (job?.steps ?? []).map((s) => s.run ?? "").join("\n");
const triggers = (wf: Workflow): string[] => (typeof wf.on === "string" ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on as object));

/** Runs a workflow step's inline node script the way the runner would, in the repo root. */
function runStackFacts(step: Step, env: Record<string, string>): { status: number | null; outputs: Record<string, string>; stderr: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    try {
        const r = spawnSync(process.execPath, ["-"], {
            cwd: repoRoot,
            input: heredocScript(step.run ?? ""),
            env: { PATH: process.env.PATH ?? "", HOME: "/home/runner", GITHUB_OUTPUT: output, ...env },
            encoding: "utf8",
        });
        const outputs = Object.fromEntries(
            fs
                .readFileSync(output, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        return { status: r.status, outputs, stderr: r.stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("GitHub Actions workflows", () => {
    it("reads the five shipped stacks, one of them local", () => {
        assert.ok(stacks.length >= 5, `stacks: ${stacks.map((s) => s.name).join(", ")}`);
        assert.ok(stacks.some((s) => s.name === "local"));
        for (const s of stacks) assert.match(s.environment, /^(dev|prod)$/, `${s.name}'s environment`);
    });

    describe("pr.yml", () => {
        it("runs on pull requests", () => {
            assert.deepEqual(triggers(pr.doc), ["pull_request"]);
        });

        it("runs the fast tier and validates the stack files", () => {
            const runs = runsOf(pr.doc.jobs.fast);
            for (const cmd of ["npm ci --ignore-scripts", "npm test", "npm run config -- check"]) assert.ok(runs.includes(cmd), `fast job lacks ${cmd}`);
        });

        it("plans, policy-checks and reports every stack in stacks/ offline", () => {
            assert.deepEqual(
                missingFromMatrix(
                    pr.doc,
                    "offline",
                    stacks.map((s) => s.name),
                ),
                [],
            );
            const runs = runsOf(pr.doc.jobs.offline);
            assert.match(runs, /npm run --silent plan -- --stack "\$STACK" --json > plan\.json/);
            assert.match(runs, /npm run --silent policy -- check plan\.json/);
            assert.match(runs, /npm run --silent report -- --stack "\$STACK" --out report\.md/);
        });

        it("posts each stack's report as its own sticky comment", () => {
            const sticky = (pr.doc.jobs.offline.steps ?? []).find((s) => /^marocchino\/sticky-pull-request-comment@/.test(s.uses ?? ""));
            assert.ok(sticky, "no sticky comment step in the offline job");
            assert.match(String(sticky.with?.header), /\$\{\{ matrix\.stack \}\}/, "one comment per stack needs the stack in its header");
            assert.equal(sticky.with?.path, "comment.md");
            assert.equal(permissionsOf(pr.doc.jobs.offline)["pull-requests"], "write");
        });

        it("fails the offline job when the policy check fails, after the comment is posted", () => {
            const steps = pr.doc.jobs.offline.steps ?? [];
            const policy = steps.findIndex((s) => s.id === "policy");
            const sticky = steps.findIndex((s) => /sticky-pull-request-comment/.test(s.uses ?? ""));
            const gate = steps.findIndex((s) => /steps\.policy\.outputs\.exit-code != '0'/.test(s.if ?? "") && /exit 1/.test(s.run ?? ""));
            assert.ok(policy >= 0 && sticky > policy && gate > sticky, `policy ${policy}, comment ${sticky}, gate ${gate}`);
        });

        it("needs no secrets and no OIDC for the offline job, so forks get it too", () => {
            const offline = pr.doc.jobs.offline;
            assert.equal(offline.if, undefined, "the offline job must not be skipped");
            assert.deepEqual(secretRefs(offline), []);
            assert.equal(permissionsOf(offline)["id-token"], undefined);
        });

        it("previews every stack but local", () => {
            assert.deepEqual(
                missingFromMatrix(
                    pr.doc,
                    "preview",
                    deployStacks.map((s) => s.name),
                ),
                [],
            );
            assert.ok(!matrixStacks(pr.doc.jobs.preview).includes("local"), "local is not a deploy target");
        });

        it("skips the preview where secrets are absent (forks)", () => {
            assert.match(pr.doc.jobs.preview.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        });

        it("previews with the policy pack, a diff and a PR comment", () => {
            const previews = pulumiRuns(pr.doc).filter((r) => r.jobId === "preview");
            assert.deepEqual(previews.map((r) => r.stack).sort(), deployStacks.map((s) => s.name).sort());
            for (const r of previews) {
                assert.equal(r.command, "preview");
                assert.equal(String(r.step.with?.diff), "true");
                assert.equal(String(r.step.with?.["comment-on-pr"]), "true");
                assert.match(String(r.step.with?.["cloud-url"]), /\$\{\{ (vars|secrets)\.\w+ \}\}/);
                assert.match(String(r.step.env?.PULUMI_CONFIG_PASSPHRASE), /secrets\.PULUMI_CONFIG_PASSPHRASE/);
            }
        });

        it("groups concurrent runs per pull request and stack", () => {
            for (const { jobId, row, job } of jobInstances(pr.doc)) {
                const c = job.concurrency;
                const group = typeof c === "string" ? c : (c?.group ?? "");
                assert.match(group, /github\.event\.pull_request\.number/, `job ${jobId} has no per-PR concurrency group`);
                if (row.stack) assert.ok(group.includes(String(row.stack)), `job ${jobId} (${row.stack}): group ${group} does not name the stack`);
            }
        });
    });

    describe("deploy.yml", () => {
        const byStack = deployJobsByStack(deploy.doc);
        const upRuns = pulumiRuns(deploy.doc).filter((r) => r.command === "up");

        it("runs on pushes to main and by hand", () => {
            assert.deepEqual(triggers(deploy.doc).sort(), ["push", "workflow_dispatch"]);
            assert.deepEqual((deploy.doc.on as { push: { branches: string[] } }).push.branches, ["main"]);
        });

        it("deploys every stack but local, each exactly once", () => {
            assert.deepEqual([...byStack.keys()].sort(), deployStacks.map((s) => s.name).sort());
            for (const [stack, jobs] of byStack) assert.equal(jobs.length, 1, `${stack} is deployed by ${jobs.join(", ")}`);
        });

        it("deploys every dev stack before any prod stack", () => {
            assert.ok(deployStacks.some((s) => s.environment === "dev") && deployStacks.some((s) => s.environment === "prod"));
            assert.deepEqual(devBeforeProdProblems(deploy.doc, stacks), []);
        });

        it("deploys each stack in the GitHub environment named after it", () => {
            for (const r of upRuns) {
                const env = r.instance.job.environment;
                assert.equal(typeof env === "object" ? env.name : env, r.stack, `job ${r.jobId} (${r.stack})`);
            }
        });

        it("serialises each stack's deployments and never cancels one half-way", () => {
            for (const r of upRuns) {
                const c = r.instance.job.concurrency;
                assert.ok(c && typeof c === "object", `job ${r.jobId} (${r.stack}) has no concurrency block`);
                assert.ok(c.group.includes(r.stack), `group ${c.group} does not name ${r.stack}`);
                assert.equal(c["cancel-in-progress"], false);
            }
        });

        it("gets cloud credentials by OIDC, never from stored keys", () => {
            for (const r of upRuns) {
                assert.equal(permissionsOf(r.instance.job)["id-token"], "write", `job ${r.jobId}`);
                assert.deepEqual(longLivedKeyProblems(r.jobId, r.instance.job), []);
            }
        });

        it("runs pulumi up with the diff and the job's stack", () => {
            for (const r of upRuns) {
                assert.equal(String(r.step.with?.diff), "true");
                assert.match(String(r.step.with?.["cloud-url"]), /\$\{\{ (vars|secrets)\.\w+ \}\}/);
            }
        });
    });

    describe("drift.yml", () => {
        const runs = pulumiRuns(drift.doc);

        it("runs once a day and by hand", () => {
            assert.deepEqual(triggers(drift.doc).sort(), ["schedule", "workflow_dispatch"]);
            const crons = scheduleCrons(drift.doc);
            assert.equal(crons.length, 1, crons.join(", "));
            assert.ok(isDaily(crons[0]), `cron ${crons[0]} is not daily`);
        });

        it("checks every stack deploy.yml deploys, each exactly once", () => {
            const stacksOf = (list: { stack: string }[]) => list.map((r) => r.stack).sort();
            assert.deepEqual(stacksOf(runs), [...deployJobsByStack(deploy.doc).keys()].sort());
            assert.deepEqual(stacksOf(runs), deployStacks.map((s) => s.name).sort());
        });

        it("previews with a refresh and fails on any change", () => {
            for (const r of runs) {
                assert.equal(r.command, "preview", `job ${r.jobId} (${r.stack})`);
                assert.equal(String(r.step.with?.refresh), "true", `job ${r.jobId} (${r.stack}) refresh`);
                assert.equal(String(r.step.with?.["expect-no-changes"]), "true", `job ${r.jobId} (${r.stack}) expect-no-changes`);
                assert.match(String(r.step.with?.["cloud-url"]), /\$\{\{ (vars|secrets)\.\w+ \}\}/);
            }
        });

        it("reports drift in the job summary when the preview fails", () => {
            for (const r of runs) {
                const steps = r.instance.job.steps ?? [];
                assert.ok(r.step.id, `job ${r.jobId}: the preview step has no id to test its outcome`);
                const report = steps.slice(steps.indexOf(r.step) + 1).find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ""));
                assert.ok(report, `job ${r.jobId} (${r.stack}): no step writes the job summary after the preview`);
                assert.match(String(report.if), /failure\(\)/);
                assert.ok(String(report.if).includes(`steps.${r.step.id}.outcome`), String(report.if));
            }
        });

        it("uses read-only preview credentials by OIDC, never stored keys, outside any deploy environment", () => {
            for (const r of runs) {
                const job = r.instance.job;
                assert.equal(permissionsOf(job)["id-token"], "write", `job ${r.jobId}`);
                assert.deepEqual(longLivedKeyProblems(r.jobId, job), []);
                assert.equal(job.environment, undefined, `job ${r.jobId}: a deploy environment would hold the deploy role and wait for reviewers`);
                for (const name of secretRefs(job).filter((n) => !/PULUMI_CONFIG_PASSPHRASE/.test(n)))
                    assert.match(name, /PREVIEW_/, `job ${r.jobId} reads secret ${name}`);
            }
        });
    });

    describe("all workflows", () => {
        const all = [pr, deploy, drift];

        it("checks in only these three workflows, so the spec sees them all", () => {
            assert.deepEqual(workflowFiles(), ["deploy.yml", "drift.yml", "pr.yml"]);
        });

        it("sets up the Node.js major the toolchain pins (24) wherever node runs", () => {
            for (const wf of all) {
                assert.ok(
                    usesValues(wf.doc).some((u) => /^actions\/setup-node@/.test(u)),
                    `${wf.file} sets up no node`,
                );
                assert.deepEqual(nodeVersionProblems(wf.file, wf.doc), []);
            }
        });

        it("runs every pulumi/actions step with the policy pack", () => {
            for (const wf of all) {
                const runs = pulumiRuns(wf.doc);
                assert.ok(runs.length > 0, `${wf.file} has no pulumi steps`);
                for (const r of runs) assert.equal(r.step.with?.policyPacks, "policy", `${wf.file} job ${r.jobId} (${r.stack})`);
            }
        });

        it("builds the policy pack's bundle before any pulumi step loads it (its main is dist/index.js)", () => {
            for (const wf of all) {
                for (const r of pulumiRuns(wf.doc)) {
                    const steps = r.instance.job.steps ?? [];
                    const before = steps.slice(0, steps.indexOf(r.step));
                    assert.ok(
                        before.some((s) => /npm run (--silent )?build:policy/.test(s.run ?? "")),
                        `${wf.file} job ${r.jobId}: no 'npm run build:policy' before its pulumi step`,
                    );
                }
            }
        });

        it("pins every uses: to a full commit SHA with its version tag alongside", () => {
            for (const wf of all) {
                assert.equal(usesRefs(wf.text).length, usesValues(wf.doc).length, `${wf.file}: a uses: the line scan missed`);
                assert.deepEqual(pinProblems(wf.text), [], wf.file);
            }
        });

        it("pins each action to one commit and tag across workflows", () => {
            const pins = new Map<string, Set<string>>();
            for (const wf of all) {
                for (const u of usesRefs(wf.text)) {
                    const [action] = u.ref.split("@");
                    pins.set(action, (pins.get(action) ?? new Set()).add(`${u.ref} ${u.comment}`));
                }
            }
            for (const [action, set] of pins) assert.equal(set.size, 1, `${action}: ${[...set].join(" | ")}`);
        });

        it("grants nothing by default and only the jobs running pulumi an OIDC token", () => {
            for (const wf of all) {
                assert.deepEqual(wf.doc.permissions, {}, `${wf.file} top-level permissions`);
                const pulumiJobs = new Set(pulumiRuns(wf.doc).map((r) => r.jobId));
                for (const [id, job] of Object.entries(wf.doc.jobs)) {
                    const perms = permissionsOf(job);
                    assert.ok(typeof job.permissions === "object", `${wf.file} job ${id} declares no permissions`);
                    assert.equal(perms.contents, "read", `${wf.file} job ${id}`);
                    assert.equal(perms["id-token"] === "write", pulumiJobs.has(id), `${wf.file} job ${id} id-token`);
                    const writes = Object.entries(perms).filter(([k, v]) => v === "write" && !["id-token", "pull-requests"].includes(k));
                    assert.deepEqual(writes, [], `${wf.file} job ${id} writes`);
                }
            }
        });

        it("sets up credentials for each stack's cloud wherever pulumi runs", () => {
            const credentialStep: Record<string, (s: Step) => boolean> = {
                aws: (s) => /^aws-actions\/configure-aws-credentials@/.test(s.uses ?? "") && !!s.with?.["role-to-assume"] && !!s.with?.["aws-region"],
                gcp: (s) => /^google-github-actions\/auth@/.test(s.uses ?? "") && !!s.with?.workload_identity_provider && !!s.with?.service_account,
                existing: (s) => /KUBECONFIG_DATA/.test(JSON.stringify(s.env ?? {})) && /secrets/.test(JSON.stringify(s.env)),
            };
            for (const wf of all) {
                for (const r of pulumiRuns(wf.doc)) {
                    const stack = stacks.find((s) => s.name === r.stack);
                    assert.ok(stack, `${wf.file} runs pulumi on unknown stack ${r.stack}`);
                    const steps = r.instance.job.steps ?? [];
                    const before = steps.slice(0, steps.indexOf(r.step));
                    const found = before.find((s) => credentialStep[stack.cloud]?.(s) && (s.if ?? "").includes(`'${stack.cloud}'`));
                    assert.ok(found, `${wf.file} job ${r.jobId}: no ${stack.cloud} credential step before pulumi for ${stack.name}`);
                }
            }
        });

        it("hands the config passphrase only to passphrase stacks: a KMS stack's job never holds it, in any step", () => {
            const gated = "${{ steps.stack.outputs.secrets == 'passphrase' && secrets.PULUMI_CONFIG_PASSPHRASE || '' }}";
            let runs = 0;
            for (const wf of all) {
                for (const r of pulumiRuns(wf.doc)) {
                    runs++;
                    const steps = r.instance.job.steps ?? [];
                    assert.equal(r.step.env?.PULUMI_CONFIG_PASSPHRASE, gated, `${wf.file} job ${r.jobId}`);
                    assert.ok(
                        steps.slice(0, steps.indexOf(r.step)).some((s) => s.id === "stack"),
                        `${wf.file} job ${r.jobId}: no stack facts step before pulumi`,
                    );
                    // Any other step that decrypts (reading a secret stack output) holds it gated the same way.
                    for (const s of steps)
                        if (s !== r.step && secretRefs(s).includes("PULUMI_CONFIG_PASSPHRASE"))
                            assert.equal(s.env?.PULUMI_CONFIG_PASSPHRASE, gated, `${wf.file} job ${r.jobId} step ${s.name ?? s.id}`);
                }
            }
            assert.ok(runs >= 5, `only ${runs} pulumi runs seen`);
        });

        it("installs the CLI the toolchain pins", () => {
            const goMod = fs.readFileSync(path.join(repoRoot, "toolchain", "pulumi", "go.mod"), "utf8");
            const pinned = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/.exec(goMod)?.[1];
            assert.ok(pinned, "toolchain/pulumi/go.mod pins no pulumi/pkg/v3");
            for (const wf of all) {
                assert.equal(wf.doc.env?.PULUMI_VERSION, pinned, wf.file);
                for (const r of pulumiRuns(wf.doc)) assert.equal(r.step.with?.["pulumi-version"], "${{ env.PULUMI_VERSION }}");
            }
        });
    });

    describe("the stack-facts step", () => {
        const factsSteps = [
            ...jobInstances(pr.doc).filter((i) => i.jobId === "preview"),
            ...jobInstances(drift.doc).filter((i) => i.jobId === "drift"),
            ...jobInstances(deploy.doc).filter((i) => i.job.environment !== undefined),
        ].map((i) => ({ i, step: (i.job.steps ?? []).find((s) => s.id === "stack")! }));
        const expectOf = (i: { job: Job }) => String(i.job.env?.EXPECT_ENVIRONMENT ?? "");
        const stackOf = (name: string): Stack => stacks.find((s) => s.name === name)!;

        it("reads each stack's cloud, secrets provider, region and kubeconfig path from its stack file", () => {
            assert.ok(factsSteps.length >= deployStacks.length * 3);
            for (const { i, step } of factsSteps) {
                assert.ok(step, `job ${i.jobId} (${i.row.stack}) has no step with id stack`);
                const stack = stackOf(String(i.row.stack));
                const r = runStackFacts(step, { STACK: stack.name, EXPECT_ENVIRONMENT: expectOf(i), PULUMI_BACKEND_URL: "file:///tmp/state" });
                assert.equal(r.status, 0, r.stderr);
                assert.equal(r.outputs.cloud, stack.cloud);
                assert.equal(r.outputs["aws-region"], String(stack.cluster.region ?? ""));
                assert.equal(r.outputs["kubeconfig-path"], String(stack.cluster.kubeconfigPath ?? "").replace(/^~/, "/home/runner"));
                // The KMS a stack names decides whether its job gets the passphrase (test/config/secretsProviders.spec.ts).
                assert.equal(r.outputs.secrets, { aws: "awskms", gcp: "gcpkms" }[stack.cloud] ?? "passphrase", stack.name);
            }
        });

        it("fails a deploy job handed a stack of the other environment, or no backend", () => {
            const devStep = factsSteps.find(({ i }) => expectOf(i) === "dev");
            const prodStack = deployStacks.find((s) => s.environment === "prod")!;
            assert.ok(devStep, "no dev deploy job");
            const wrongEnv = runStackFacts(devStep.step, { STACK: prodStack.name, EXPECT_ENVIRONMENT: "dev", PULUMI_BACKEND_URL: "file:///tmp/state" });
            assert.equal(wrongEnv.status, 1);
            assert.match(wrongEnv.stderr, new RegExp(`${prodStack.name} is a prod stack`));
            const noBackend = runStackFacts(devStep.step, { STACK: "dev-aws", EXPECT_ENVIRONMENT: "dev" });
            assert.equal(noBackend.status, 1);
            assert.match(noBackend.stderr, /PULUMI_BACKEND_URL/);
        });
    });

    describe("the checkers catch broken workflows", () => {
        const synthetic = (jobs: Record<string, Job>): Workflow => ({ jobs });
        const upStep = (stack: string): Step => ({ uses: "pulumi/actions@x", with: { command: "up", "stack-name": stack } });

        it("reports a stack missing from a matrix", () => {
            const wf = synthetic({ offline: { strategy: { matrix: { stack: ["local", "byo"] } } } });
            assert.deepEqual(missingFromMatrix(wf, "offline", ["byo", "dev-aws", "local"]), ["stack dev-aws is missing from job offline's matrix"]);
            assert.deepEqual(missingFromMatrix(synthetic({}), "offline", ["byo"]), ["no job offline"]);
        });

        it("reads stacks from include rows and drops excluded ones", () => {
            const job: Job = { strategy: { matrix: { stack: ["a", "b"], exclude: [{ stack: "b" }], include: [{ stack: "c", cloud: "gcp" }] } } };
            assert.deepEqual(matrixStacks(job), ["a", "c"]);
        });

        it("reports a prod deploy that does not wait for dev", () => {
            const stackList: Stack[] = [
                { name: "d", cloud: "aws", environment: "dev", cluster: {} },
                { name: "p", cloud: "aws", environment: "prod", cluster: {} },
            ];
            const parallel = synthetic({ dev: { steps: [upStep("d")] }, prod: { steps: [upStep("p")] } });
            assert.deepEqual(devBeforeProdProblems(parallel, stackList), ["p (job prod) does not wait for d (job dev)"]);
            const chained = synthetic({ dev: { steps: [upStep("d")] }, mid: { needs: "dev" }, prod: { needs: ["mid"], steps: [upStep("p")] } });
            assert.deepEqual(devBeforeProdProblems(chained, stackList), []);
            const sameJob = synthetic({ all: { strategy: { matrix: { stack: ["d", "p"] } }, steps: [upStep("${{ matrix.stack }}")] } });
            assert.deepEqual(devBeforeProdProblems(sameJob, stackList), ["p (job all) does not wait for d (job all)"]);
        });

        it("reports a tag, a short SHA or a missing version comment", () => {
            const text = [
                "      - uses: actions/checkout@v4",
                "      - uses: actions/checkout@3d3c42e # v7.0.1",
                `      - uses: actions/checkout@${"a".repeat(40)}`,
                `        uses: pulumi/actions@${"b".repeat(40)} # v7.0.0`,
            ].join("\n");
            const problems = pinProblems(text);
            assert.equal(problems.filter((p) => /not pinned/.test(p)).length, 2, problems.join("\n"));
            assert.equal(problems.filter((p) => /no trailing/.test(p)).length, 2, problems.join("\n"));
            assert.ok(!problems.some((p) => p.startsWith("line 4")), problems.join("\n"));
        });

        it("reports an end-of-life or missing Node.js version, and a schedule that is not daily", () => {
            const setup = (version?: string): Step => ({ uses: "actions/setup-node@x", with: version === undefined ? {} : { "node-version": version } });
            const wf = synthetic({ a: { steps: [setup("20"), setup("22"), setup("24.x"), setup("24"), setup()] } });
            assert.deepEqual(nodeVersionProblems("w.yml", wf), [
                "w.yml job a: setup-node node-version '20'; supported: 24 (toolchain/node's major)",
                "w.yml job a: setup-node node-version '22'; supported: 24 (toolchain/node's major)",
                "w.yml job a: setup-node node-version ''; supported: 24 (toolchain/node's major)",
            ]);
            assert.ok(isDaily("17 5 * * *"));
            for (const cron of ["17 5 * * 1-5", "*/30 * * * *", "0 0 1 * *", "17 5 * *"]) assert.ok(!isDaily(cron), cron);
        });

        it("reports stored cloud keys", () => {
            const job: Job = {
                steps: [
                    { uses: "aws-actions/configure-aws-credentials@x", with: { "aws-access-key-id": "${{ secrets.AWS_ACCESS_KEY_ID }}" } },
                    { uses: "google-github-actions/auth@x", with: { credentials_json: "${{ secrets.GOOGLE_CREDENTIALS }}" } },
                ],
            };
            const problems = longLivedKeyProblems("j", job);
            assert.ok(
                problems.some((p) => /AWS_ACCESS_KEY_ID/.test(p)),
                problems.join("\n"),
            );
            assert.ok(
                problems.some((p) => /passes aws-access-key-id/.test(p)),
                problems.join("\n"),
            );
            assert.ok(
                problems.some((p) => /passes credentials_json/.test(p)),
                problems.join("\n"),
            );
            assert.deepEqual(
                longLivedKeyProblems("j", { steps: [{ uses: "aws-actions/configure-aws-credentials@x", with: { "role-to-assume": "${{ vars.R }}" } }] }),
                [],
            );
        });
    });
});
