// workloads-land-on-domino-pools: a minimal compliant pod placed on one Domino pool,
// its placement changed per case, in every wrapper; the pools come from the tenancy
// model (an adopted cluster) or from GKE node-pool resources.
import { dedicatedPlacementName, deploymentLabel, devicePluginName, labelKeys } from "@domino-tenancy/core";
import {
    compliantPod,
    gkeNodePool,
    inEveryWrapper,
    inTenancy,
    namespaces,
    placedOn,
    poolShape,
    type RuleCase,
    tenancy,
    tweak,
    tweakPod,
    type KubeObject,
    workload,
} from "../../testing/fixtures";

const devicePlugin = workload("DaemonSet", { ...compliantPod(), ...placedOn("gpu") }, devicePluginName, namespaces.devicePlugin);
/** The dedicated-placement policy and its binding to the deployment's namespaces, as the stack declares them (their CEL is not read). */
const placementPolicy: KubeObject[] = [
    { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingAdmissionPolicy", metadata: { name: dedicatedPlacementName("domino") }, spec: {} },
    {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingAdmissionPolicyBinding",
        metadata: { name: dedicatedPlacementName("domino") },
        spec: { policyName: dedicatedPlacementName("domino"), matchResources: { namespaceSelector: { matchLabels: { [deploymentLabel]: "domino" } } } },
    },
];
/** Domino's operator Deployment as its chart renders it: the platform pool selected, nothing tolerated. */
const operatorIn = (namespace: string) =>
    tweakPod(workload("Deployment", compliantPod(), "platform-operator-manager", namespace), (pod) => {
        pod.nodeSelector = { [labelKeys.nodePool]: "platform" };
        pod.tolerations = [];
    });
const gkePools = [
    gkeNodePool("cluster-platform", poolShape("platform")),
    gkeNodePool("cluster-compute", poolShape("compute")),
    gkeNodePool("cluster-gpu", poolShape("gpu")),
];

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts a pod placed on the platform pool", compliantPod(), null, inTenancy),
    {
        name: "accepts the pods placed against the GKE node-pool resources",
        resources: tenancy(...gkePools, workload("Deployment"), devicePlugin),
        expect: null,
    },
    {
        name: "accepts a new workload placed with the compute placement",
        ...inTenancy(workload("DaemonSet", { ...compliantPod(), ...placedOn("compute") }, "helper", namespaces.compute)),
        expect: null,
    },
    { name: "accepts the device plugin placed on the GPU pool only", ...inTenancy(devicePlugin), expect: null },
    ...inEveryWrapper(
        "rejects a workload whose selector names no Domino label, so it spills onto other tenants' nodes",
        tweak(compliantPod(), (pod) => (pod.nodeSelector = { "kubernetes.io/os": "linux" })),
        /domino-platform\/app can land on nodes that are not Domino's/,
        inTenancy,
    ),
    {
        name: "rejects a workload that matches no pool, so it never schedules",
        ...inTenancy(tweakPod(workload("Job"), (pod) => (pod.nodeSelector = { [labelKeys.nodePool]: "highmem" }))),
        expect: /Job domino-platform\/app can land on none of Domino's pools, so it would never schedule/,
    },
    {
        name: "rejects a workload that does not tolerate the dedicated taint of its pool",
        ...inTenancy(
            tweakPod(workload("DaemonSet"), (pod) => {
                pod.nodeSelector = { [labelKeys.dominoNode]: "true" };
                pod.tolerations = [];
            }),
        ),
        expect: /compute: it does not tolerate dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        name: "judges a template that tolerates nothing, in a namespace the dedicated-placement policy binds, as the policy admits it (the operator's Deployment)",
        resources: tenancy(...placementPolicy, operatorIn(namespaces.system)),
        expect: null,
    },
    {
        name: "judges a template that selects no pool in the compute namespace as placed on the compute pool by the policy",
        resources: tenancy(
            ...placementPolicy,
            tweakPod(workload("Job", compliantPod(), "run", namespaces.compute), (pod) => {
                delete pod.nodeSelector;
                pod.tolerations = [];
            }),
        ),
        expect: null,
    },
    {
        name: "still rejects that template in a namespace the placement policy does not bind",
        resources: tenancy(...placementPolicy, operatorIn("domino-operator")),
        expect: /Deployment domino-operator\/platform-operator-manager can land on none of Domino's pools/,
    },
    {
        name: "still rejects that template when the stack declares no placement policy to add the toleration",
        resources: tenancy(operatorIn(namespaces.system)),
        expect: /platform: it does not tolerate dominodatalab.com\/dedicated=domino:NoSchedule/,
    },
    {
        name: "rejects a pod in the compute namespace that selects another tenant's nodes, which no Domino pool can satisfy once placement adds its pool",
        resources: tenancy(
            ...placementPolicy,
            tweakPod(workload("Pod", compliantPod(), "run", namespaces.compute), (pod) => {
                pod.nodeSelector = { tenant: "acme" };
                pod.tolerations = [];
            }),
        ),
        expect: /Pod domino-compute\/run can land on none of Domino's pools, so it would never schedule/,
    },
    {
        name: "rejects a selector that adds another tenant's label to a Domino pool's",
        ...inTenancy(tweakPod(workload("Deployment"), (pod) => (pod.nodeSelector = { ...pod.nodeSelector, tenant: "acme" }))),
        expect: /can land on none of Domino's pools/,
    },
    {
        name: "accepts a selector that adds a label every node carries (kubernetes.io/os) to a Domino pool's",
        ...inTenancy(tweakPod(workload("Deployment"), (pod) => (pod.nodeSelector = { ...pod.nodeSelector, "kubernetes.io/os": "linux" }))),
        expect: null,
    },
    {
        name: "rejects a device plugin that can land on non-GPU pools",
        ...inTenancy(tweakPod(devicePlugin, (pod) => (pod.nodeSelector = { [labelKeys.dominoNode]: "true" }))),
        expect: /is the GPU device plugin but can land on non-GPU pool\(s\) platform, compute/,
    },
    {
        name: "rejects a device plugin selecting only nvidia.com/gpu, a label other tenants' GPU nodes carry too",
        ...inTenancy(tweakPod(devicePlugin, (pod) => (pod.nodeSelector = { [labelKeys.gpu]: "true" }))),
        expect: /can land on nodes that are not Domino's/,
    },
];
