// What preflight and verify both need before they ask a live cluster anything: the
// stack's validated model, and the kubeconfig that reaches the cluster the stack targets
// (--kubeconfig, then the stack's tenancy.cluster.kubeconfigPath, then $KUBECONFIG).
// Loaded after the arguments are accepted, so --help answers without the model.

import * as fs from "fs";
import * as path from "path";
import { repoRoot, stackNames } from "./commands";

/** The command cannot run (no stack file, no kubeconfig): exit 2, never a probe verdict. */
export class CannotRun extends Error {}

export function stackFileOf(values: { stack?: string; config?: string }): string {
    const file = values.config ? path.resolve(values.config) : path.join(repoRoot, "stacks", `Pulumi.${values.stack}.yaml`);
    if (!fs.existsSync(file)) throw new CannotRun(`${file} does not exist (shipped stacks: ${stackNames().join(", ")})`);
    return file;
}

export async function loadModel(file: string) {
    const { buildModel } = await import("../../components/model/model");
    const { configKey } = await import("../../components/model/schema");
    const { projectName, readStackConfig } = await import("../../plan/engine");
    const { hideNestedSecrets } = await import("../../plan/configCheck");
    const { stackOfFile } = await import("../../plan/stackFiles");
    const project = projectName();
    const { config } = readStackConfig(file, project);
    const raw = config[`${project}:${configKey}`];
    return buildModel(hideNestedSecrets(raw === undefined ? undefined : JSON.parse(raw)), stackOfFile(file));
}

export type Model = Awaited<ReturnType<typeof loadModel>>;

export function kubeconfigFile(given: string | undefined, fromStack: string | undefined): string {
    const expand = (p: string) => (p === "~" || p.startsWith("~/") ? path.join(process.env.HOME ?? "", p.slice(1)) : path.resolve(repoRoot, p));
    const candidate = given ?? fromStack ?? process.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
    if (!candidate) throw new CannotRun("no kubeconfig: give --kubeconfig, set tenancy.cluster.kubeconfigPath, or export KUBECONFIG");
    const file = given ? path.resolve(given) : expand(candidate);
    if (!fs.existsSync(file))
        throw new CannotRun(`kubeconfig ${file} does not exist${fromStack && !given ? " (from tenancy.cluster.kubeconfigPath; is the cluster up?)" : ""}`);
    return file;
}

/** The credentials of the cluster the stack targets. */
export async function stackCredentials(model: Model, given: { kubeconfig?: string; context?: string }) {
    const { credentialsFrom } = await import("../../components/cloud/kubeconfigReader");
    const fromStack = model.cluster.cloud === "existing" ? model.cluster.kubeconfigPath : undefined;
    const kubeconfig = kubeconfigFile(given.kubeconfig, fromStack);
    return credentialsFrom(
        fs.readFileSync(kubeconfig, "utf8"),
        kubeconfig,
        given.context ?? (model.cluster.cloud === "existing" ? model.cluster.context : undefined),
    );
}

/** Exit 2 with one line for what stops a live-cluster command before any verdict (bad config, no kubeconfig, no cluster); rethrows anything else. */
export async function cannotRunExit(err: unknown, command: string, file: string): Promise<2> {
    const { ConfigError } = await import("../../components/model/schema");
    const { ApiError } = await import("../../components/preflight/client");
    const { KubeconfigError } = await import("../../components/cloud/kubeconfigReader");
    if (err instanceof ConfigError) {
        process.stderr.write(`${path.relative(repoRoot, file)}: ${err.message}\n`);
        return 2;
    }
    if (err instanceof CannotRun || err instanceof KubeconfigError || err instanceof ApiError) {
        process.stderr.write(`${command} cannot run: ${err.message}\n`);
        return 2;
    }
    throw err;
}
