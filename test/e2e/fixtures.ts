// What the e2e files share besides the harness: stack variants written next to a file's
// own state, and the workloads Domino's operator would create, made with kubectl outside
// Pulumi (without the dedicated toleration: under dedicated isolation the placement
// MutatingAdmissionPolicy must add it).

import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { stackFile } from "../../plan/engine";

export type TenancyConfig = Record<string, unknown> & { domino: Record<string, unknown> };

/** A shipped stack file with one edit, written into `dir` as Pulumi.<name>.yaml (its encryption salt kept). */
export function stackVariant(dir: string, stack: string, name: string, edit: (tenancy: TenancyConfig) => void): string {
    const doc = yaml.load(fs.readFileSync(stackFile(stack), "utf8")) as { config: Record<string, TenancyConfig> };
    edit(doc.config["domino-tenancy:tenancy"]);
    const file = path.join(dir, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, yaml.dump(doc));
    return file;
}

/** One deployment's namespaces and pool labels (dominodatalab.com/node-pool values). */
export interface DeploymentShape {
    readonly platformNamespace: string;
    readonly computeNamespace: string;
    readonly pools: { readonly platform: string; readonly compute: string; readonly gpu: string };
}

export interface DominoShapedWorkloads {
    /** Objects for `kubectl create -f` (a v1 List's items). */
    readonly items: object[];
    /** Name prefix -> the node-pool label its pods must land on (undefined: any of the deployment's pools). */
    readonly expected: Readonly<Record<string, string | undefined>>;
}

const secure = {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: 65532,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};
const resources = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } };

/** A pod spec as the operator writes it: a pool selector, maybe a GPU toleration, never the dedicated one. */
export function podSpec(nodeSelector?: Record<string, string>, tolerations?: object[], hardened = true): object {
    return {
        containers: [{ name: "main", image: "registry.k8s.io/pause:3.10", ...(hardened ? { securityContext: secure, resources } : {}) }],
        ...(nodeSelector ? { nodeSelector } : {}),
        ...(tolerations ? { tolerations } : {}),
    };
}

export function barePod(name: string, namespace: string, spec: object, labels: Record<string, string>): object {
    return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec };
}

/**
 * Platform Deployment (2 replicas) and StatefulSet on the platform pool, a DaemonSet
 * selecting domino-node nodes, a CPU run, a GPU run and a run that chose no pool, all
 * named `<prefix>-...` and labelled with `marker`.
 */
export function dominoShapedWorkloads(d: DeploymentShape, prefix: string, marker: Record<string, string>): DominoShapedWorkloads {
    const wrap = (kind: string, name: string, ns: string, spec: object, extra: object = {}) => ({
        apiVersion: "apps/v1",
        kind,
        metadata: { name, namespace: ns, labels: marker },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...marker } }, spec }, ...extra },
    });
    const pool = (value: string) => ({ "dominodatalab.com/node-pool": value });
    const n = (s: string) => `${prefix}-${s}`;
    return {
        items: [
            wrap("Deployment", n("frontend"), d.platformNamespace, podSpec(pool(d.pools.platform)), { replicas: 2 }),
            wrap("StatefulSet", n("mongodb"), d.platformNamespace, podSpec(pool(d.pools.platform)), { replicas: 1, serviceName: n("mongodb") }),
            wrap("DaemonSet", n("node-agent"), d.platformNamespace, podSpec({ "dominodatalab.com/domino-node": "true" })),
            barePod(n("run-cpu"), d.computeNamespace, podSpec(pool(d.pools.compute)), marker),
            barePod(n("run-gpu"), d.computeNamespace, podSpec(pool(d.pools.gpu), [{ key: "nvidia.com/gpu", operator: "Exists" }]), marker),
            barePod(n("run-unplaced"), d.computeNamespace, podSpec(), marker),
        ],
        expected: {
            [n("frontend")]: d.pools.platform,
            [n("mongodb")]: d.pools.platform,
            [n("node-agent")]: undefined,
            [n("run-cpu")]: d.pools.compute,
            [n("run-gpu")]: d.pools.gpu,
            [n("run-unplaced")]: d.pools.compute,
        },
    };
}
