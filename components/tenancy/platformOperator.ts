// Domino 6.x as Domino installs it: the registry pull secret, the Platform Operator's Helm
// chart (unless another stack's operator is shared), and the `Domino` resource it reconciles.
//
// helm.v4.Chart is a remote component: under the offline mock plan it shows as one resource
// with no children; at a real preview the provider renders the chart and each child
// (Deployment, CRD, RBAC ...) reaches the policy pack as its own resource.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { recommendedLabels } from "@domino-tenancy/core";
import { configText, dockerConfigJson, registrySecret, reviewableConfigText, withImageRegistries } from "../kubernetes/installer";
import { dominoResource } from "../kubernetes/dominoResource";
import { operatorChartArgs } from "../kubernetes/platformOperator";
import { operatorChartTransform, operatorNamespaceGrants } from "../kubernetes/operatorRbac";
import type { InstallModel } from "../model/model";
import type { Isolation, NodePool } from "@domino-tenancy/core";
import { applyManifests, kubernetesProviderOf, ManifestComponentArgs } from "./manifestComponent";
import type { DataProtection } from "./dataProtection";

export interface PlatformOperatorArgs extends ManifestComponentArgs {
    readonly deploymentName: string;
    readonly version: string;
    readonly systemNamespace: string;
    readonly pools: readonly NodePool[];
    readonly install: InstallModel;
    /** The generated configuration (buildDominoYml), before the registry credentials are added; it may hold Outputs (a created file system's id). */
    readonly config: Record<string, unknown>;
    /** The registry password, from secret config. */
    readonly registryPassword: pulumi.Output<string>;
    readonly isolation: Isolation;
    /** Whether the admission policies are registered: with them, the operator's writes are confined at admission. */
    readonly admission: boolean;
    /** Every namespace of the deployment: under a confined grant, the operator's full rights end there. */
    readonly dominoNamespaces: readonly string[];
    /** Deleting the `Domino` resource uninstalls Domino: protected or retained as Domino's data is. */
    readonly dataProtection?: DataProtection;
}

/**
 * The `Domino` resource's options under data protection: its deletion is what uninstalls
 * Domino, so it is protected (destroy and replacement stop) where the data namespaces are,
 * and left in the cluster where they are retained.
 */
export function dominoResourceProtection(policy: DataProtection | undefined): Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> {
    if (!policy || policy.mode === "off") return {};
    return policy.mode === "protect" ? { protect: true } : { retainOnDelete: true };
}

export class PlatformOperator extends pulumi.ComponentResource {
    /** The operator's chart; undefined when the operator is shared with another stack. */
    readonly chart?: k8s.helm.v4.Chart;
    readonly domino: k8s.apiextensions.CustomResource;

    constructor(name: string, args: PlatformOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("domino-tenancy:index:PlatformOperator", name, {}, opts);
        const { install, systemNamespace: namespace } = args;
        const provider = kubernetesProviderOf(this, "domino-tenancy:index:PlatformOperator", name);
        const labels = recommendedLabels(args.deploymentName, "platform-operator", args.version);
        const password = pulumi.secret(args.registryPassword);
        const dockerConfig = password.apply((p) => dockerConfigJson(install.registry.server, install.registry.username, p));
        const secret = applyManifests([registrySecret(namespace, labels, dockerConfig)], {
            parent: this,
            provider,
            namespaces: args.namespaces,
            dependsOn: args.dependsOn,
        }).objects;
        const ns = args.namespaces?.get(namespace);
        const waitFor = [...(args.dependsOn ?? []), ...(ns ? [ns] : []), ...secret];

        if (install.operator === "install" && install.chart) {
            // Confined: the operator's rights in Domino's namespaces exist before the chart binds anything else.
            const grants =
                install.operatorRbac === "confined"
                    ? applyManifests(
                          operatorNamespaceGrants({ deploymentName: args.deploymentName, namespaces: args.dominoNamespaces, operatorNamespace: namespace }),
                          { parent: this, provider, namespaces: args.namespaces, dependsOn: waitFor },
                      ).objects
                    : [];
            const edit = operatorChartTransform({ rbac: install.operatorRbac, isolation: args.isolation, admission: args.admission });
            this.chart = new k8s.helm.v4.Chart(
                `${name}-chart`,
                operatorChartArgs({ deploymentName: args.deploymentName, namespace, pools: args.pools, chart: install.chart }),
                {
                    parent: this,
                    provider,
                    dependsOn: [...waitFor, ...grants],
                    // Applied by the engine to every object the chart renders, before it is registered.
                    transforms: [
                        (t) => {
                            const props = edit(t.type, t.props);
                            return props ? { props, opts: t.opts } : undefined;
                        },
                    ],
                },
            );
        }
        // The whole text is secret (it carries the password); the report shows it masked (plan/report.ts).
        const login = { server: install.registry.server, username: install.registry.username };
        const config = pulumi.output(args.config);
        const text = pulumi.all([password, config]).apply(([p, c]) => configText(withImageRegistries(c, { ...login, password: p })));
        const manifest = dominoResource({
            deploymentName: args.deploymentName,
            version: args.version,
            namespace,
            pools: args.pools,
            install,
            configText: pulumi.secret(text),
            reviewableConfigText: config.apply((c) => reviewableConfigText(c, login)),
        });
        // The resource needs its CRD and a running operator: it waits for the chart. A version
        // bump updates it in place (only its name or namespace would replace it).
        this.domino = new k8s.apiextensions.CustomResource(`${name}-domino`, manifest, {
            parent: this,
            provider,
            dependsOn: [...waitFor, ...(this.chart ? [this.chart] : [])],
            ...dominoResourceProtection(args.dataProtection),
        });
        this.registerOutputs({ chart: this.chart?.urn, domino: this.domino.urn });
    }
}
