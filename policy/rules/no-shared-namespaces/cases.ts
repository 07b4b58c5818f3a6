// no-shared-namespaces: a minimal ConfigMap in a Domino namespace, its namespace changed per case.
import { alone, type KubeObject, namespace, namespaces, type RuleCase, tweak, workload } from "../../testing/fixtures";

const configMap: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "domino-hints", namespace: namespaces.platform }, data: {} };
const inNamespace = (ns: string) => alone(tweak(configMap, (c) => (c.metadata.namespace = ns)));

export const cases: readonly RuleCase[] = [
    { name: "accepts an object in a Domino namespace", ...alone(configMap), expect: null },
    { name: "accepts a workload in a Domino namespace", ...alone(workload("Deployment")), expect: null },
    {
        name: "rejects an object in kube-system",
        ...inNamespace("kube-system"),
        expect: /ConfigMap kube-system\/domino-hints is in shared namespace 'kube-system'/,
    },
    { name: "rejects an object in default", ...inNamespace("default"), expect: /in shared namespace 'default'/ },
    {
        name: "rejects a workload in kube-public",
        ...alone(workload("DaemonSet", undefined, "agent", "kube-public")),
        expect: /DaemonSet kube-public\/agent is in shared namespace 'kube-public'/,
    },
    {
        name: "rejects a namespaced object that names no namespace",
        ...alone(tweak(configMap, (c) => delete c.metadata.namespace)),
        expect: /ConfigMap domino-hints names no namespace/,
    },
    { name: "leaves cluster-scoped objects, which have no namespace, alone", ...alone(namespace("domino-platform")), expect: null },
    {
        name: "rejects a namespace that policy config adds to the shared ones",
        ...inNamespace("monitoring"),
        config: { "no-shared-namespaces": { sharedNamespaces: ["monitoring"] } },
        expect: /in shared namespace 'monitoring'/,
    },
];
