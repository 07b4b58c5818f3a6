// hostpath-allowlisted: Domino's node agents as minimal DaemonSets in their namespace,
// one volume or mount changed per case; an unlisted workload in every wrapper.
import { devicePluginHostPath, devicePluginName, nodeAgentHostPaths, nodeAgentNames } from "@domino-tenancy/core";
import { compliantPod, containerOf, inEveryWrapper, inTenancy, namespaces, type RuleCase, tweak, tweakPod, workload } from "../../testing/fixtures";

/** A pod that mounts one host folder into its container. */
const mounting = (path: string, readOnly?: boolean) =>
    tweak(compliantPod(), (pod) => {
        pod.volumes = [{ name: "host", hostPath: { path } }];
        containerOf(pod).volumeMounts = [{ name: "host", mountPath: "/host", ...(readOnly === undefined ? {} : { readOnly }) }];
    });
const agent = (name: string, path: string, readOnly?: boolean) => workload("DaemonSet", mounting(path, readOnly), name, namespaces.nodeAgents);
const fluentd = agent(nodeAgentNames.fluentd, nodeAgentHostPaths.podLogs.path, true);

export const cases: readonly RuleCase[] = [
    { name: "accepts fluentd reading the pod logs folder it is allowlisted for, read-only", ...inTenancy(fluentd), expect: null },
    {
        name: "accepts the registry certificate agent writing its allowlisted folder",
        ...inTenancy(agent(nodeAgentNames.registryCerts, nodeAgentHostPaths.dockerCerts.path)),
        expect: null,
    },
    {
        name: "accepts the device plugin's socket folder",
        ...inTenancy(workload("DaemonSet", mounting(devicePluginHostPath), devicePluginName, namespaces.devicePlugin)),
        expect: null,
    },
    {
        name: "accepts an allowlisted path written with a trailing slash",
        ...inTenancy(agent(nodeAgentNames.fluentd, `${nodeAgentHostPaths.podLogs.path}/`, true)),
        expect: null,
    },
    ...inEveryWrapper(
        "rejects a host folder that is not on the allowlist",
        mounting("/var/run/docker.sock"),
        /domino-platform\/app mounts hostPath \/var\/run\/docker.sock/,
        inTenancy,
    ),
    {
        name: "rejects a host folder that is not on the allowlist, on an allowlisted agent",
        ...inTenancy(tweakPod(fluentd, (pod) => pod.volumes?.push({ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }))),
        expect: /fluentd mounts hostPath \/var\/run\/docker.sock \(volume 'docker-sock'\)/,
    },
    {
        name: "rejects an allowlisted folder used by a workload it is not allowlisted for",
        ...inTenancy(agent(nodeAgentNames.imageCacheAgent, nodeAgentHostPaths.dockerCerts.path)),
        expect: /image-cache-agent mounts hostPath \/etc\/docker\/certs.d .* not allowlisted for it/,
    },
    {
        name: "rejects a read-only allowlisted folder mounted writable",
        ...inTenancy(tweakPod(fluentd, (pod) => (containerOf(pod).volumeMounts![0].readOnly = false))),
        expect: /mounts hostPath \/var\/log\/pods writable/,
    },
    {
        name: "rejects a read-only allowlisted folder mounted without saying readOnly",
        ...inTenancy(tweakPod(fluentd, (pod) => delete containerOf(pod).volumeMounts![0].readOnly)),
        expect: /container 'main' mounts hostPath \/var\/log\/pods writable; it is allowlisted read-only/,
    },
    {
        name: "rejects the allowlist's workload under another deployment's namespace",
        ...inTenancy(workload("DaemonSet", mounting(nodeAgentHostPaths.podLogs.path, true), nodeAgentNames.fluentd, "other-node-agents")),
        expect: /other-node-agents\/fluentd mounts hostPath \/var\/log\/pods/,
    },
    {
        name: "accepts a host folder that policy config allowlists for that workload",
        ...inTenancy(agent(nodeAgentNames.imageCacheAgent, "/run/containerd")),
        config: {
            "hostpath-allowlisted": {
                allowedHostPaths: [{ workload: "{name}-node-agents/image-cache-agent", path: "/run/containerd", readOnly: false, reason: "test" }],
            },
        },
        expect: null,
    },
];
