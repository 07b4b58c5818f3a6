// no-privileged-containers: a minimal compliant pod, one security setting changed per
// case, in every wrapper; the sysctl tuner as the one allowlisted privileged container.
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

const securityOf = (pod: ReturnType<typeof compliantPod>) => (containerOf(pod).securityContext ??= {});
const tuner = workload(
    "DaemonSet",
    tweak(
        compliantPod(),
        (pod) =>
            (pod.initContainers = [{ ...compliantContainer(sysctlInitContainerName), securityContext: { privileged: true, allowPrivilegeEscalation: true } }]),
    ),
    sysctlTunerName,
    namespaces.nodeTuning,
);

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts an unprivileged container that forbids privilege escalation", compliantPod(), null, inTenancy),
    { name: "accepts the sysctl tuner's allowlisted privileged init container", ...inTenancy(tuner), expect: null },
    ...inEveryWrapper(
        "rejects a privileged container",
        // A privileged container must allow escalation too, or the API server rejects the pod as invalid.
        tweak(compliantPod(), (pod) => Object.assign(securityOf(pod), { privileged: true, allowPrivilegeEscalation: true })),
        /domino-platform\/app: container 'main' is privileged/,
        inTenancy,
    ),
    {
        name: "rejects added capabilities",
        ...inTenancy(tweakPod(workload("DaemonSet"), (pod) => (securityOf(pod).capabilities = { add: ["NET_ADMIN"] }))),
        expect: /adds capabilities NET_ADMIN/,
    },
    {
        name: "rejects a container that does not forbid privilege escalation",
        ...inTenancy(tweakPod(workload("Job"), (pod) => delete securityOf(pod).allowPrivilegeEscalation)),
        expect: /Job domino-platform\/app: container 'main' does not set allowPrivilegeEscalation: false/,
    },
    {
        name: "rejects a container without any security context, which allows privilege escalation",
        ...inTenancy(tweakPod(workload("Deployment"), (pod) => delete containerOf(pod).securityContext)),
        expect: /does not set allowPrivilegeEscalation: false/,
    },
    {
        name: "rejects a privileged init container that is not allowlisted",
        ...inTenancy(
            tweakPod(
                workload("Deployment"),
                (pod) => (pod.initContainers = [{ ...compliantContainer("init"), securityContext: { privileged: true, allowPrivilegeEscalation: true } }]),
            ),
        ),
        expect: /init container 'init' is privileged/,
    },
    {
        name: "rejects the tuner's long-running container turning privileged: the exception names the init container only",
        ...inTenancy(tweakPod(tuner, (pod) => Object.assign(securityOf(pod), { privileged: true, allowPrivilegeEscalation: true }))),
        expect: /max-map-count: container 'main' is privileged/,
    },
    {
        name: "rejects a container named like the tuner's init container in another workload",
        ...inTenancy(tweak(tuner, (copy) => (copy.metadata.name = "imposter"))),
        expect: /imposter: init container 'set-max-map-count' is privileged/,
    },
];
