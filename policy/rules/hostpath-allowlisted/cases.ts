// hostpath-allowlisted: the device plugin as a minimal DaemonSet in its namespace (the one
// built-in, writable exception) and a read-only exception given in policy config, one
// volume or mount changed per case; an unlisted workload in every wrapper.
import { devicePluginHostPath, devicePluginName, sysctlTunerName } from "@domino-tenancy/core";
import { compliantPod, containerOf, inEveryWrapper, inTenancy, namespaces, type RuleCase, tweak, tweakPod, workload } from "../../testing/fixtures";

/** A pod that mounts one host folder into its container. */
const mounting = (path: string, readOnly?: boolean) =>
    tweak(compliantPod(), (pod) => {
        pod.volumes = [{ name: "host", hostPath: { path } }];
        containerOf(pod).volumeMounts = [{ name: "host", mountPath: "/host", ...(readOnly === undefined ? {} : { readOnly }) }];
    });
const devicePlugin = workload("DaemonSet", mounting(devicePluginHostPath), devicePluginName, namespaces.devicePlugin);

/** Read-only exceptions exist only in policy config now (the built-in ones left with the stand-in log shipper). */
const podLogs = "/var/log/pods";
const logReader = workload("DaemonSet", mounting(podLogs, true), "log-reader", namespaces.platform);
const readOnlyLogs = {
    "hostpath-allowlisted": { allowedHostPaths: [{ workload: "{name}-platform/log-reader", path: podLogs, readOnly: true, reason: "test: reads pod logs" }] },
};

export const cases: readonly RuleCase[] = [
    { name: "accepts the device plugin's socket folder", ...inTenancy(devicePlugin), expect: null },
    {
        name: "accepts an allowlisted path written with a trailing slash",
        ...inTenancy(workload("DaemonSet", mounting(`${devicePluginHostPath}/`), devicePluginName, namespaces.devicePlugin)),
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
        ...inTenancy(tweakPod(devicePlugin, (pod) => pod.volumes?.push({ name: "docker-sock", hostPath: { path: "/var/run/docker.sock" } }))),
        expect: /nvidia-device-plugin mounts hostPath \/var\/run\/docker.sock \(volume 'docker-sock'\)/,
    },
    {
        name: "rejects an allowlisted folder used by a workload it is not allowlisted for",
        ...inTenancy(workload("DaemonSet", mounting(devicePluginHostPath), sysctlTunerName, namespaces.nodeTuning)),
        expect: /max-map-count mounts hostPath \/var\/lib\/kubelet\/device-plugins .* not allowlisted for it/,
    },
    { name: "accepts a read-only folder that policy config allowlists for that workload", ...inTenancy(logReader), config: readOnlyLogs, expect: null },
    {
        name: "rejects a read-only allowlisted folder mounted writable",
        ...inTenancy(tweakPod(logReader, (pod) => (containerOf(pod).volumeMounts![0].readOnly = false))),
        config: readOnlyLogs,
        expect: /mounts hostPath \/var\/log\/pods writable/,
    },
    {
        name: "rejects a read-only allowlisted folder mounted without saying readOnly",
        ...inTenancy(tweakPod(logReader, (pod) => delete containerOf(pod).volumeMounts![0].readOnly)),
        config: readOnlyLogs,
        expect: /container 'main' mounts hostPath \/var\/log\/pods writable; it is allowlisted read-only/,
    },
    {
        name: "rejects the allowlist's workload under another deployment's namespace",
        ...inTenancy(workload("DaemonSet", mounting(devicePluginHostPath), devicePluginName, "other-device-plugin")),
        expect: /other-device-plugin\/nvidia-device-plugin mounts hostPath \/var\/lib\/kubelet\/device-plugins/,
    },
];
