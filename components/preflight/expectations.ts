// What the stack expects of its cluster, derived from the validated model: the one
// place preflight reads the model, so the checks stay pure over plain data.

import type { PoolRole, Taint } from "@domino-tenancy/core";
import type { DeploymentModel } from "../model/model";

export interface ExpectedPool {
    readonly name: string;
    readonly role: PoolRole;
    /** Config path of the pool, for messages. */
    readonly path: string;
    readonly nodePoolLabel: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly Taint[];
    /** A pool the cloud may scale from zero has no node yet, legitimately. */
    readonly mayBeEmpty: boolean;
}

export interface ExpectedStorageClass {
    readonly kind: "block" | "shared";
    readonly name: string;
    readonly provisioner: string;
}

/** An API the stack's objects rely on; `required: false` means the stack works without it, less safely. */
export interface ExpectedApi {
    readonly groupVersion: string;
    readonly resource: string;
    readonly required: boolean;
    readonly why: string;
    readonly minMinor: number;
    /** What to do when the server lacks it, when more than "upgrade" can help. */
    readonly fix?: string;
}

export interface Expectations {
    readonly deploymentName: string;
    readonly isolation: "shared" | "dedicated";
    /** The program creates the cluster's pools (aws, gcp) or adopts nodes that exist. */
    readonly poolsCreatedByStack: boolean;
    readonly pools: readonly ExpectedPool[];
    readonly storageClasses: readonly ExpectedStorageClass[];
    readonly apis: readonly ExpectedApi[];
    /** Oldest Kubernetes minor version the stack's objects work on. */
    readonly minMinor: number;
}

/** Pod Security Admission (the namespaces' enforce labels) is stable from 1.25. */
export const minimumMinor = 25;

export function expectationsFrom(model: DeploymentModel): Expectations {
    const apis: ExpectedApi[] = [
        {
            groupVersion: "networking.k8s.io/v1",
            resource: "networkpolicies",
            required: true,
            minMinor: 7,
            why: "Domino's namespaces are guarded by default-deny NetworkPolicies",
        },
    ];
    if (model.admission.enabled) {
        // A twin that cannot be registered is a guard that does not exist: the deployment
        // would fail half-way on its first policy, so preflight refuses up front and names
        // both ways out. Below 1.30 (or with the API turned off) the server does not serve them.
        const admissionFix =
            "upgrade the cluster to Kubernetes 1.30+ (ValidatingAdmissionPolicy v1), or set tenancy.domino.admission.enabled: false " +
            "(the pack still judges the stack at preview; nothing judges the objects Domino's operator creates at runtime)";
        // Each pair is served together (one feature, one version), so one finding covers it.
        apis.push(
            {
                groupVersion: "admissionregistration.k8s.io/v1",
                resource: "validatingadmissionpolicies",
                required: true,
                minMinor: 30,
                why: "the tenancy rules' runtime twins are ValidatingAdmissionPolicies and their bindings, served in admissionregistration.k8s.io/v1 from Kubernetes 1.30",
                fix: admissionFix,
            },
            {
                groupVersion: "flowcontrol.apiserver.k8s.io/v1",
                resource: "flowschemas",
                required: true,
                minMinor: 29,
                why: "Domino's service accounts get their own API priority level (FlowSchema and PriorityLevelConfiguration v1, served from Kubernetes 1.29)",
                fix: "upgrade the cluster to Kubernetes 1.29+, or set tenancy.domino.admission.enabled: false (Domino's requests then share the built-in levels with every tenant)",
            },
        );
    }
    if (model.isolation === "dedicated") {
        apis.push({
            groupVersion: "admissionregistration.k8s.io/v1",
            resource: "mutatingadmissionpolicies",
            // Without it every pod Domino's operator creates stays Pending on the tainted
            // pools: an error, not a warning, so no deployment strands its pods silently.
            required: true,
            minMinor: 36,
            why: "under dedicated isolation, pods Domino's operator creates need the dedicated toleration added at admission; MutatingAdmissionPolicy v1 is served from Kubernetes 1.36, and without it those pods stay Pending on the tainted pools",
            fix: "upgrade the cluster to Kubernetes 1.36+, or set tenancy.isolation: shared (Domino's pools then carry no dedicated taint)",
        });
    }
    return {
        deploymentName: model.name,
        isolation: model.isolation,
        poolsCreatedByStack: model.cluster.cloud !== "existing",
        pools: model.cluster.pools.map((p, i) => ({
            name: p.name,
            role: p.role,
            path: `tenancy.nodePools[${i}]`,
            nodePoolLabel: p.nodePoolLabel,
            labels: p.labels,
            taints: p.taints,
            mayBeEmpty: "minSize" in p && p.minSize === 0,
        })),
        storageClasses: [
            { kind: "block", name: model.storageClasses.block.name, provisioner: model.storageClasses.block.provisioner },
            { kind: "shared", name: model.storageClasses.shared.name, provisioner: model.storageClasses.shared.provisioner },
        ],
        apis,
        minMinor: minimumMinor,
    };
}
