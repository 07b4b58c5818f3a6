// The pod-spec builders' secure defaults, pinned: every container the program builds
// starts from these, so a change here changes every workload. Pure functions; no mocks.

import { strict as assert } from "assert";
import { container, hostPath, type NodePool, placeOn, podSpec, scratch, securityContext } from "@domino-tenancy/core";

type ContainerArgs = Parameters<typeof container>[0];
// The builders return the provider's Input types; these are plain values, read as such.
const ctx = (args: ContainerArgs) => container(args).securityContext as Record<string, unknown>;
const resources = (args: ContainerArgs) => container(args).resources as { requests: Record<string, string>; limits: Record<string, string> };

const minimal = { name: "agent", image: "registry.example.com/agent:1.0.0", requests: { cpu: "100m", memory: "128Mi" } };

const pool = (name: string, role: NodePool["role"], nodePoolLabel: string, taints: NodePool["taints"] = []): NodePool => ({
    name,
    role,
    nodePoolLabel,
    labels: { "dominodatalab.com/node-pool": nodePoolLabel, "dominodatalab.com/domino-node": "true" },
    taints,
});
const dedicated = { key: "dominodatalab.com/dedicated", value: "acme", effect: "NoSchedule" } as const;
const gpuTaint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;
const platform = pool("platform", "platform", "platform", [dedicated]);
const compute = pool("compute", "compute", "default", [dedicated]);
const gpu = pool("gpu", "gpu", "default-gpu", [gpuTaint, dedicated]);
const all = [platform, compute, gpu];

describe("pod spec builders (components/core/podSpecs.ts)", () => {
    describe("container()", () => {
        it("runs as nobody (65534), non-root, by default", () => {
            const sc = ctx(minimal);
            assert.equal(sc.runAsUser, 65534);
            assert.equal(sc.runAsNonRoot, true);
        });

        it("forbids privilege escalation, drops every capability and is not privileged by default", () => {
            const sc = ctx(minimal);
            assert.equal(sc.allowPrivilegeEscalation, false);
            assert.deepEqual(sc.capabilities, { drop: ["ALL"] });
            assert.equal(sc.privileged, undefined);
        });

        it("has a read-only root filesystem and the RuntimeDefault seccomp profile by default", () => {
            const sc = ctx(minimal);
            assert.equal(sc.readOnlyRootFilesystem, true);
            assert.deepEqual(sc.seccompProfile, { type: "RuntimeDefault" });
        });

        it("limits memory to the request and cpu to four times the request", () => {
            assert.deepEqual(resources(minimal), { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "400m", memory: "128Mi" } });
            assert.deepEqual(resources({ ...minimal, requests: { cpu: "1", memory: "1Gi" } }).limits, { cpu: "4000m", memory: "1Gi" });
        });

        it("takes explicit limits over the defaults", () => {
            assert.deepEqual(resources({ ...minimal, limits: { cpu: "250m" } }).limits, { cpu: "250m", memory: "128Mi" });
        });

        it("pulls IfNotPresent and marks every port TCP", () => {
            const c = container({ ...minimal, ports: [{ name: "metrics", containerPort: 9100 }] });
            assert.equal(c.imagePullPolicy, "IfNotPresent");
            assert.deepEqual(c.ports, [{ name: "metrics", containerPort: 9100, protocol: "TCP" }]);
        });

        it("leaves out command, args, env, ports and mounts that were not asked for", () => {
            const keys = Object.keys(container(minimal)).sort();
            assert.deepEqual(keys, ["image", "imagePullPolicy", "name", "resources", "securityContext"]);
        });

        it("is privileged, as root, only when asked, and keeps the root filesystem read-only even then", () => {
            assert.deepEqual(ctx({ ...minimal, privileged: true }), { privileged: true, runAsUser: 0, runAsNonRoot: false, readOnlyRootFilesystem: true });
            assert.notEqual(ctx({ ...minimal, privileged: false }).privileged, true);
        });

        it("runs as root without privilege when runAsUser 0 is asked for, and says it is not non-root", () => {
            const sc = securityContext({ runAsUser: 0 }) as Record<string, unknown>;
            assert.equal(sc.runAsUser, 0);
            assert.equal(sc.runAsNonRoot, false);
            assert.equal(sc.allowPrivilegeEscalation, false);
            assert.deepEqual(sc.capabilities, { drop: ["ALL"] });
        });
    });

    describe("hostPath()", () => {
        it("carries readOnly to the mount, and mounts at the host path unless told otherwise", () => {
            const ro = hostPath({ name: "containerd", path: "/run/containerd", readOnly: true });
            assert.deepEqual(ro.mount, { name: "containerd", mountPath: "/run/containerd", readOnly: true });
            assert.deepEqual(ro.volume, { name: "containerd", hostPath: { path: "/run/containerd", type: "Directory" } });
            const rw = hostPath({ name: "certs", path: "/etc/docker/certs.d", readOnly: false, mountPath: "/host/certs", type: "DirectoryOrCreate" });
            assert.deepEqual(rw.mount, { name: "certs", mountPath: "/host/certs", readOnly: false });
            assert.equal((rw.volume.hostPath as { type?: string }).type, "DirectoryOrCreate");
        });
    });

    describe("scratch()", () => {
        it("gives a read-only container a size-limited emptyDir to write to", () => {
            assert.deepEqual(scratch("tmp", "/tmp"), { volume: { name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, mount: { name: "tmp", mountPath: "/tmp" } });
        });
    });

    describe("podSpec()", () => {
        const containers = [container(minimal)];

        it("does not mount the service account token by default, and does when asked", () => {
            assert.equal(podSpec({ placement: placeOn([platform], all), containers }).automountServiceAccountToken, false);
            assert.equal(podSpec({ placement: placeOn([platform], all), containers, automountServiceAccountToken: true }).automountServiceAccountToken, true);
        });

        it("sets the RuntimeDefault seccomp profile for the whole pod", () => {
            assert.deepEqual(podSpec({ placement: placeOn([platform], all), containers }).securityContext, { seccompProfile: { type: "RuntimeDefault" } });
        });

        it("places a pod on one pool by its node-pool label and tolerates exactly that pool's taints, with no affinity", () => {
            const spec = podSpec({ placement: placeOn([gpu], all), containers });
            assert.deepEqual(spec.nodeSelector, { "dominodatalab.com/node-pool": "default-gpu" });
            assert.equal(spec.affinity, undefined);
            assert.deepEqual((spec.tolerations as { key: string }[]).map((t) => t.key).sort(), ["dominodatalab.com/dedicated", "nvidia.com/gpu"]);
        });

        it("places a pod on every Domino pool by the domino-node label, with no affinity", () => {
            const spec = podSpec({ placement: placeOn(all, all), containers });
            assert.deepEqual(spec.nodeSelector, { "dominodatalab.com/domino-node": "true" });
            assert.equal(spec.affinity, undefined);
        });

        it("uses required node affinity only when no single label names the chosen pools", () => {
            const spec = podSpec({ placement: placeOn([platform, compute], all), containers });
            assert.deepEqual(spec.nodeSelector, { "dominodatalab.com/domino-node": "true" });
            assert.deepEqual(spec.affinity, {
                nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                        nodeSelectorTerms: [{ matchExpressions: [{ key: "dominodatalab.com/node-pool", operator: "In", values: ["platform", "default"] }] }],
                    },
                },
            });
            assert.ok(
                !(spec.tolerations as { key: string }[]).some((t) => t.key === "nvidia.com/gpu"),
                "a pod kept off GPU pools must not tolerate the GPU taint",
            );
        });

        it("uses the host network only when asked, with the DNS policy that keeps cluster DNS", () => {
            assert.equal(podSpec({ placement: placeOn([platform], all), containers }).hostNetwork, undefined);
            const host = podSpec({ placement: placeOn([platform], all), containers, hostNetwork: true });
            assert.equal(host.hostNetwork, true);
            assert.equal(host.dnsPolicy, "ClusterFirstWithHostNet");
        });

        it("refuses a placement on no pool", () => {
            assert.throws(() => placeOn([], all), /no pool was chosen/);
        });
    });
});
