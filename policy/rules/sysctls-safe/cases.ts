// sysctls-safe: a minimal compliant pod, a sysctl added per case; the sysctl tuner as a
// minimal DaemonSet on the platform pool, one field changed per case.
import { sysctlInitContainerName, sysctlTunerName } from "@domino-tenancy/core";
import {
    compliantContainer,
    compliantPod,
    containerOf,
    inEveryWrapper,
    inTenancy,
    namespaces,
    type RuleCase,
    tweak,
    tweakPod,
    workload,
} from "../../testing/fixtures";

const writesMaxMapCount = ["sh", "-c", "sysctl -w vm.max_map_count=262144"];
const tunerPod = tweak(compliantPod(), (pod) => (pod.initContainers = [{ ...compliantContainer(sysctlInitContainerName), command: writesMaxMapCount }]));
const tuner = workload("DaemonSet", tunerPod, sysctlTunerName, namespaces.nodeTuning);
const podSysctl = (name: string) => tweak(compliantPod(), (pod) => (pod.securityContext = { sysctls: [{ name, value: "1" }] }));

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts a pod that sets no sysctl", compliantPod(), null, inTenancy),
    { name: "accepts the allowlisted tuner on the platform pool", ...inTenancy(tuner), expect: null },
    ...inEveryWrapper(
        "rejects a pod-level sysctl outside the safe set",
        podSysctl("kernel.msgmax"),
        /sets sysctl kernel.msgmax, which is not in the safe set/,
        inTenancy,
    ),
    { name: "accepts a safe pod-level sysctl", ...inTenancy(workload("DaemonSet", podSysctl("net.ipv4.tcp_syncookies"))), expect: null },
    {
        name: "accepts a pod-level sysctl that policy config adds to the safe set",
        ...inTenancy(workload("Deployment", podSysctl("kernel.msgmax"))),
        config: { "sysctls-safe": { safeSysctls: ["kernel.msgmax"] } },
        expect: null,
    },
    {
        name: "rejects the tuner when it can land beyond the platform pool",
        ...inTenancy(
            tweakPod(tuner, (pod) => {
                pod.nodeSelector = { "dominodatalab.com/domino-node": "true" };
                pod.tolerations = [{ operator: "Exists" }];
            }),
        ),
        expect: /can land on pool\(s\) compute, gpu, not only the platform pool/,
    },
    {
        name: "rejects a container that writes a node sysctl without being allowlisted",
        ...inTenancy(tweakPod(workload("DaemonSet"), (pod) => (containerOf(pod).command = ["sh", "-c", "sysctl -w net.core.somaxconn=4096 && exec agent"]))),
        expect: /container 'main' writes node-level sysctl net.core.somaxconn and is not an allowlisted writer/,
    },
    {
        name: "rejects a write under /proc/sys from a container that is not allowlisted",
        ...inTenancy(tweakPod(workload("DaemonSet"), (pod) => (containerOf(pod).args = ["echo 1 > /proc/sys/net/ipv4/ip_forward"]))),
        expect: /writes node-level sysctl net.ipv4.ip_forward/,
    },
    {
        name: "rejects the allowlisted writer writing a sysctl it is not allowlisted for",
        ...inTenancy(tweakPod(tuner, (pod) => (containerOf(pod, sysctlInitContainerName).command = ["sh", "-c", "echo 10 > /proc/sys/vm/swappiness"]))),
        expect: /writes vm.swappiness; it is allowlisted for vm.max_map_count only/,
    },
    {
        name: "rejects the allowlisted writer run as a Deployment: only a DaemonSet may write a node sysctl",
        ...inTenancy(workload("Deployment", tunerPod, sysctlTunerName, namespaces.nodeTuning)),
        expect: /writes a node-level sysctl from a Deployment; only a DaemonSet scoped to the platform pool may/,
    },
];
