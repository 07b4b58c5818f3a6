// An existing cluster, adopted by kubeconfig. Nothing is created in any cloud: the
// pools in config describe nodes that exist, and their labels and taints are what
// those nodes must carry.

import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../model/schema";
import type { ExistingClusterModel } from "../model/model";
import type { ClusterHandle } from "./handle";

/** Relative paths are relative to the project; `~/` is the user's home. */
function expandPath(p: string, cwd: string): string {
    return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : path.resolve(cwd, p);
}

export type KubeconfigSource = { kind: "secret"; value: pulumi.Output<string> } | { kind: "path"; path: string; from: string };

/**
 * Where the kubeconfig comes from, in order: the secret config value `kubeconfig`,
 * then `cluster.kubeconfigPath`, then $KUBECONFIG (its first entry).
 */
export function kubeconfigSource(
    cluster: ExistingClusterModel,
    secret: pulumi.Output<string> | undefined,
    env: NodeJS.ProcessEnv,
    cwd: string,
): KubeconfigSource {
    if (secret) return { kind: "secret", value: secret };
    if (cluster.kubeconfigPath) return { kind: "path", path: expandPath(cluster.kubeconfigPath, cwd), from: "tenancy.cluster.kubeconfigPath" };
    const fromEnv = env.KUBECONFIG?.split(path.delimiter).find((p) => p.length > 0);
    if (fromEnv) return { kind: "path", path: expandPath(fromEnv, cwd), from: "$KUBECONFIG" };
    throw new ConfigError([
        {
            path: "tenancy.cluster.kubeconfigPath",
            message:
                "cloud 'existing' needs a kubeconfig: set the secret `pulumi config set --secret kubeconfig <contents>`, set tenancy.cluster.kubeconfigPath, or export KUBECONFIG",
        },
    ]);
}

export interface ExistingClusterArgs {
    /** The adopted cluster: its name and kubeconfig context. */
    readonly cluster: ExistingClusterModel;
    /** Where its kubeconfig comes from, resolved before anything is registered (see kubeconfigSource). */
    readonly kubeconfig: KubeconfigSource;
}

export class ExistingCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly clusterName: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly context?: string;
    readonly ready: pulumi.Resource[] = [];

    constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:existing:AdoptedCluster", name, {}, opts);
        const { cluster, kubeconfig: source } = args;
        this.clusterName = pulumi.output(cluster.name);
        // The provider accepts a kubeconfig's contents or its path; a path is read when the provider connects.
        this.kubeconfig = source.kind === "secret" ? pulumi.secret(source.value) : pulumi.secret(source.path);
        this.context = cluster.context;
        this.registerOutputs({ clusterName: this.clusterName });
    }
}
