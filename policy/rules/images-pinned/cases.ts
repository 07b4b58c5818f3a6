// images-pinned: a minimal compliant pod, its image changed per case, in every wrapper.
import { alone, compliantPod, containerOf, inEveryWrapper, type RuleCase, tweak, tweakPod, workload } from "../../testing/fixtures";

const base = workload("Deployment");
const withImage = (image: string) => alone(tweakPod(base, (pod) => (containerOf(pod).image = image)));
const digest = `sha256:${"a".repeat(64)}`;
const requireDigests = { "images-pinned": { requireDigests: true } };

export const cases: readonly RuleCase[] = [
    ...inEveryWrapper("accepts an image pinned to a version", compliantPod(), null, alone),
    ...inEveryWrapper(
        "rejects the latest tag",
        tweak(compliantPod(), (pod) => (containerOf(pod).image = "fluent/fluentd:latest")),
        /image 'fluent\/fluentd:latest' is not pinned/,
        alone,
    ),
    { name: "rejects an untagged image", ...withImage("fluent/fluentd"), expect: /image 'fluent\/fluentd' is not pinned/ },
    { name: "rejects an untagged image behind a registry with a port", ...withImage("registry.local:5000/fluentd"), expect: /is not pinned/ },
    { name: "accepts a tag behind a registry with a port", ...withImage("registry.local:5000/fluentd:1.0"), expect: null },
    { name: "accepts a digest without a tag", ...withImage(`fluent/fluentd@${digest}`), expect: null },
    {
        name: "rejects an unpinned init container image",
        ...alone(tweakPod(base, (pod) => (pod.initContainers = [{ ...structuredClone(containerOf(pod)), name: "init", image: "busybox" }]))),
        expect: /init container 'init' image 'busybox' is not pinned/,
    },
    {
        name: "rejects a tag without a digest when requireDigests is on",
        ...alone(base),
        config: requireDigests,
        expect: /has no digest \(requireDigests is on\)/,
    },
    { name: "accepts a digest when requireDigests is on", ...withImage(`registry.example.com/tool:1.2.3@${digest}`), config: requireDigests, expect: null },
];
