// The `Domino` custom resource the Platform Operator reconciles (6.x), exactly as Domino's CRD
// declares it (dominos.operator.domino.ai, chart 0.6.0 shipped with Domino 6.2.2; the project's
// strict stand-in of it is test/fixtures/platform-operator-standin/crds/dominos.yaml):
// `.spec.config` is the YAML text of what domino.yml held, `.spec.agent.spec` the
// fleetcommand-agent Job's image and pod settings. Pure.
//
// Sources: Domino's docs (how-it-works, install-domino) for the kind and its role; the public
// rendered copy of chart 0.6.0 and a working 6.2.2 resource (github.com/darylsmit-rgb/
// domino-on-palette-eks, domino-addon/) for the group, the fields and their types.

import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type NodePool, operatorApiGroup, placeOn, poolsWithRole, recommendedLabels, scheduling } from "@domino-tenancy/core";
import type { InstallModel } from "../model/model";
import { registrySecretName } from "./installer";

export const dominoKind = "Domino";

/**
 * The annotation that carries the generated configuration with the registry password masked.
 * `.spec.config` holds the password, so Pulumi keeps the whole text secret and a preview shows
 * only that it changed; this copy makes the change itself reviewable (preview diff, report).
 */
export const reviewableConfigAnnotation = "domino-tenancy/config-masked";
/** The group of Domino's operator CRDs (`Domino`, `HelmRelease`). */
export const dominoApiGroup = operatorApiGroup;
/** The one served and stored version of the `Domino` kind. */
export const dominoApiVersion = `${dominoApiGroup}/v1beta1`;

/**
 * The service account the agent Job runs as: the operator chart's own (`platform-operator`),
 * which the chart binds to what the agent needs. The release is named platform-operator
 * (platformOperator.ts), so the chart's account has this name.
 */
export const agentServiceAccountName = "platform-operator";

/**
 * The agent Job's requests and limits. The public 6.2.2 resource gives it 4 CPUs and 1500Mi;
 * the request here is one CPU so a platform node is not reserved for a Job that runs now and then.
 */
export const agentResources = {
    requests: { cpu: "1", memory: "1500Mi" },
    limits: { cpu: "4", memory: "1500Mi" },
} as const;

/** Retries of a failed agent Job before the operator marks it failed (the CRD's default is 0). */
export const agentRetryLimit = 1;

/**
 * Restricted Pod Security for the agent Job: non-root (uid 1000, as the public resource runs
 * it), no privilege escalation, every capability dropped, the runtime's seccomp profile. The
 * root filesystem stays writable: the agent renders Helm releases into its own filesystem.
 */
export const agentSecurityContext = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } } as const;
export const agentContainerSecurityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: false,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
} as const;

export interface DominoResourceArgs {
    readonly deploymentName: string;
    readonly version: string;
    /** The system namespace, where the operator and its registry secret live. */
    readonly namespace: string;
    /** Every Domino pool; the agent Job runs on the platform pool. */
    readonly pools: readonly NodePool[];
    readonly install: Pick<InstallModel, "agentRepository" | "agentVersion" | "interval" | "suspend" | "dryRunMode">;
    /** The generated configuration as YAML text, registry password inside: a secret Output in the program. */
    readonly configText: pulumi.Input<string>;
    /** The same text with the password masked (reviewableConfigText), for the annotation. */
    readonly reviewableConfigText: pulumi.Input<string>;
}

type Toleration = k8s.types.input.core.v1.Toleration;
type Affinity = k8s.types.input.core.v1.Affinity;

/** `.spec.agent.spec`: the fleetcommand-agent Job's image and pod settings. */
export interface DominoAgentSpec {
    readonly repository: string;
    readonly version: string;
    readonly imagePullSecrets: readonly { readonly name: string }[];
    readonly serviceAccountName: string;
    readonly nodeSelector?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly tolerations?: pulumi.Input<pulumi.Input<Toleration>[]>;
    readonly affinity?: pulumi.Input<Affinity>;
    readonly resources: typeof agentResources;
    readonly retryLimit: number;
    readonly dryRunMode: boolean;
    readonly securityContext: typeof agentSecurityContext;
    readonly containerSecurityContext: typeof agentContainerSecurityContext;
}

/** The manifest of the resource; the program registers it as a CustomResource of this apiVersion and kind. */
export interface DominoResourceManifest {
    readonly apiVersion: typeof dominoApiVersion;
    readonly kind: typeof dominoKind;
    readonly metadata: {
        readonly name: string;
        readonly namespace: string;
        readonly labels: Record<string, string>;
        readonly annotations: Record<string, pulumi.Input<string>>;
    };
    readonly spec: {
        readonly version: string;
        readonly clusterId: string;
        readonly interval: string;
        readonly suspend: boolean;
        readonly config: pulumi.Input<string>;
        readonly agent: { readonly spec: DominoAgentSpec };
    };
}

export function dominoResource(args: DominoResourceArgs): DominoResourceManifest {
    const { install } = args;
    // The platform pool's node selector and tolerations (the dedicated taint's included).
    const placement = scheduling(placeOn(poolsWithRole(args.pools, "platform"), args.pools));
    return {
        apiVersion: dominoApiVersion,
        kind: dominoKind,
        // Named after the deployment: the one Domino this stack installs. Its name and namespace
        // are the only fields whose change replaces it, and deleting it uninstalls Domino.
        metadata: {
            name: args.deploymentName,
            namespace: args.namespace,
            labels: recommendedLabels(args.deploymentName, "domino", args.version),
            annotations: { [reviewableConfigAnnotation]: args.reviewableConfigText },
        },
        spec: {
            version: args.version,
            // The config's `name`, as the public resource's clusterId.
            clusterId: args.deploymentName,
            interval: install.interval,
            suspend: install.suspend,
            config: args.configText,
            agent: {
                spec: {
                    repository: install.agentRepository,
                    version: install.agentVersion,
                    imagePullSecrets: [{ name: registrySecretName }],
                    serviceAccountName: agentServiceAccountName,
                    ...placement,
                    resources: agentResources,
                    retryLimit: agentRetryLimit,
                    dryRunMode: install.dryRunMode,
                    securityContext: agentSecurityContext,
                    containerSecurityContext: agentContainerSecurityContext,
                },
            },
        },
    };
}
