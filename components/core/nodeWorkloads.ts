// Names and host folders of the node-level workloads this program deploys (the
// device plugin and the sysctl tuner): the few objects that touch the node itself. Pure constants, so the policy pack's built-in
// exceptions name exactly what the components deploy.

export const devicePluginName = "nvidia-device-plugin";
/** The only host folder it touches: where the kubelet expects device-plugin sockets. */
export const devicePluginHostPath = "/var/lib/kubelet/device-plugins";

export const sysctlTunerName = "max-map-count";
export const sysctlInitContainerName = "set-max-map-count";
