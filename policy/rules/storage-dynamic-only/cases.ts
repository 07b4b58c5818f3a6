// storage-dynamic-only: a minimal claim on the deployment's block class, one field
// changed per case; static volumes with and without an allowlist entry.
import { compliantPod, type KubeObject, namespaces, type RuleCase, tenancy, tweak, tweakPod, workload } from "../../testing/fixtures";

const claimSpec = (storageClassName?: string) => ({
    accessModes: ["ReadWriteOnce"],
    resources: { requests: { storage: "1Gi" } },
    ...(storageClassName ? { storageClassName } : {}),
});
const claim = (storageClassName?: string): KubeObject => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "scratch", namespace: namespaces.compute },
    spec: claimSpec(storageClassName),
});
const volume = (name: string): KubeObject => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: { capacity: { storage: "1Ti" }, accessModes: ["ReadWriteMany"], nfs: { server: "nfs", path: "/x" } },
});
const allowing = (name: string) => ({ "storage-dynamic-only": { allowedPersistentVolumes: [{ name, reason: "shared datasets" }] } });
const statefulSet = tweak(
    workload("StatefulSet"),
    (s) => ((s.spec as { volumeClaimTemplates?: unknown[] }).volumeClaimTemplates = [{ metadata: { name: "data" }, spec: claimSpec("domino-disk") }]),
);

export const cases: readonly RuleCase[] = [
    { name: "accepts a claim on the deployment's block class", resources: tenancy(claim("domino-disk")), expect: null },
    { name: "accepts a claim on the deployment's shared class", resources: tenancy(claim("domino-shared")), expect: null },
    {
        name: "rejects a claim on a storage class that is not the deployment's",
        resources: tenancy(claim("gp2")),
        expect: /PersistentVolumeClaim domino-compute\/scratch uses storage class 'gp2'; allowed: domino-disk, domino-shared/,
    },
    { name: "rejects a claim that falls back to the cluster's default class", resources: tenancy(claim()), expect: /\(cluster default\)/ },
    { name: "accepts a StatefulSet's claim template on the deployment's class", resources: tenancy(statefulSet), expect: null },
    {
        name: "rejects a StatefulSet's claim template on another class",
        resources: tenancy(
            tweak(
                statefulSet,
                (s) =>
                    ((s.spec as { volumeClaimTemplates: { spec: { storageClassName: string } }[] }).volumeClaimTemplates[0].spec.storageClassName = "standard"),
            ),
        ),
        expect: /StatefulSet domino-platform\/app claim template 'data' uses storage class 'standard'/,
    },
    {
        name: "rejects a pod's ephemeral volume on the cluster's default class",
        resources: tenancy(
            tweakPod(
                workload("Deployment", compliantPod()),
                (pod) => (pod.volumes = [{ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: claimSpec() } } }]),
            ),
        ),
        expect: /Deployment domino-platform\/app ephemeral volume 'scratch' uses storage class \(cluster default\)/,
    },
    { name: "rejects a static PersistentVolume", resources: tenancy(volume("domino-nfs")), expect: /PersistentVolume domino-nfs is static/ },
    {
        name: "rejects an allowlisted static volume whose name does not carry its namespace",
        resources: tenancy(volume("domino-shared-nfs")),
        config: allowing("{name}-shared-nfs"),
        expect: /does not include the Domino namespace/,
    },
    {
        name: "accepts an allowlisted shared mount named after its namespace",
        resources: tenancy(volume("domino-compute-shared")),
        config: allowing("{name}-compute-shared"),
        expect: null,
    },
];
