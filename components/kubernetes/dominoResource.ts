// The `Domino` custom resource the Platform Operator reconciles (6.x): `.spec.config`
// holds what domino.yml held, and the agent version names the fleetcommand-agent tag
// of the release (docs: admin_guide/e43374/how-it-works, e6ea06/install-domino). Pure.

import type * as pulumi from "@pulumi/pulumi";
import { recommendedLabels } from "@domino-tenancy/core";

export const dominoKind = "Domino";

export interface DominoResourceArgs {
    readonly deploymentName: string;
    readonly version: string;
    /** The system namespace, where the operator and its registry secret live. */
    readonly namespace: string;
    /** `<group>/<version>` of the kind (config: domino.install.customResourceApiVersion). */
    readonly apiVersion: string;
    /** The fleetcommand-agent tag, such as 6.1.0.catalog-b50f131. */
    readonly agentVersion: string;
    /** The generated configuration, with the registry credentials as a secret Output inside. */
    readonly config: Record<string, unknown>;
}

/** The manifest of the resource; the program registers it as a CustomResource of this apiVersion and kind. */
export interface DominoResourceManifest {
    readonly apiVersion: string;
    readonly kind: typeof dominoKind;
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
    readonly spec: { readonly agentVersion: string; readonly config: pulumi.Input<Record<string, unknown>> };
}

export function dominoResource(args: DominoResourceArgs): DominoResourceManifest {
    return {
        apiVersion: args.apiVersion,
        kind: dominoKind,
        // Named after the deployment: the one Domino this stack installs.
        metadata: { name: args.deploymentName, namespace: args.namespace, labels: recommendedLabels(args.deploymentName, "domino", args.version) },
        spec: { agentVersion: args.agentVersion, config: args.config },
    };
}

/** The API group of an apiVersion: the install's own group, which the policy must know. */
export function apiGroupOf(apiVersion: string): string {
    return apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
}
