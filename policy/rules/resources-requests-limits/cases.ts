// resources-requests-limits: a minimal compliant pod, one resource field removed per case, in every wrapper.
import { alone, compliantContainer, compliantPod, containerOf, inEveryWrapper, type RuleCase, tweak, tweakPod, workload } from "../../testing/fixtures";

const base = workload("Deployment");
const noMemoryLimit = tweak(compliantPod(), (pod) => delete containerOf(pod).resources?.limits?.memory);

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts containers that state cpu and memory requests and a memory limit", compliantPod(), null, alone),
    ...inEveryWrapper("rejects a container without a memory limit", noMemoryLimit, /container 'main' has no limits.memory/, alone),
    {
        name: "rejects a container without a cpu request",
        ...alone(tweakPod(base, (pod) => delete containerOf(pod).resources?.requests?.cpu)),
        expect: /Deployment domino-platform\/app: container 'main' has no requests.cpu$/,
    },
    {
        name: "rejects a container with no resources at all, naming every missing field",
        ...alone(tweakPod(base, (pod) => delete containerOf(pod).resources)),
        expect: /container 'main' has no requests.cpu, requests.memory, limits.memory/,
    },
    {
        name: "rejects an init container without requests",
        ...alone(tweakPod(base, (pod) => (pod.initContainers = [tweak(compliantContainer("set-max-map-count"), (c) => delete c.resources?.requests)]))),
        expect: /init container 'set-max-map-count' has no requests.cpu, requests.memory/,
    },
    {
        name: "does not require a cpu limit",
        ...alone(tweakPod(base, (pod) => delete containerOf(pod).resources?.limits?.cpu)),
        expect: null,
    },
];
