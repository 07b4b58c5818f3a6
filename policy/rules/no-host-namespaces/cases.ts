// no-host-namespaces: a minimal compliant pod, one host setting changed per case, in
// every wrapper. Nothing is allowlisted by default; a node exporter allowlisted in
// policy config shows how far an exception reaches.
import { compliantPod, containerOf, inEveryWrapper, inTenancy, namespaces, type RuleCase, tweak, tweakPod, workload } from "../../testing/fixtures";

const exporterPort = 9100;
const nodeExporter = workload(
    "DaemonSet",
    tweak(compliantPod(), (pod) => {
        pod.hostNetwork = true;
        containerOf(pod).ports = [{ name: "metrics", containerPort: exporterPort }];
    }),
    "node-exporter",
    namespaces.platform,
);
const exporterAllowed = {
    "no-host-namespaces": {
        allowedHostNamespaces: [
            { workload: "{name}-platform/node-exporter", hostNetwork: true, hostPorts: [exporterPort], reason: "test: reports node interfaces" },
        ],
    },
};

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts a pod in its own network, PID and IPC namespaces", compliantPod(), null, inTenancy),
    {
        name: "rejects a node exporter's host network when no exception names it (none is built in)",
        ...inTenancy(nodeExporter),
        expect: /node-exporter uses hostNetwork/,
    },
    { name: "accepts the host network and port that policy config allowlists", ...inTenancy(nodeExporter), config: exporterAllowed, expect: null },
    ...inEveryWrapper(
        "rejects hostPID",
        tweak(compliantPod(), (pod) => (pod.hostPID = true)),
        /domino-platform\/app uses hostPID/,
        inTenancy,
    ),
    {
        name: "rejects hostNetwork",
        ...inTenancy(tweakPod(workload("Deployment"), (pod) => (pod.hostNetwork = true))),
        expect: /Deployment domino-platform\/app uses hostNetwork/,
    },
    { name: "rejects hostIPC", ...inTenancy(tweakPod(workload("Deployment"), (pod) => (pod.hostIPC = true))), expect: /uses hostIPC/ },
    {
        name: "rejects a hostPort",
        ...inTenancy(tweakPod(workload("DaemonSet"), (pod) => (containerOf(pod).ports = [{ containerPort: 5000, hostPort: 5000 }]))),
        expect: /container 'main' takes host port 5000/,
    },
    {
        name: "accepts a container port without hostNetwork",
        ...inTenancy(tweakPod(workload("Deployment"), (pod) => (containerOf(pod).ports = [{ containerPort: 8080 }]))),
        expect: null,
    },
    {
        name: "rejects hostIPC on a workload allowlisted only for the host network",
        ...inTenancy(tweakPod(nodeExporter, (pod) => (pod.hostIPC = true))),
        config: exporterAllowed,
        expect: /node-exporter uses hostIPC/,
    },
    {
        name: "counts every container port as a host port under hostNetwork",
        ...inTenancy(tweakPod(nodeExporter, (pod) => containerOf(pod).ports?.push({ name: "debug", containerPort: 6060 }))),
        config: exporterAllowed,
        expect: /takes host port 6060/,
    },
];
