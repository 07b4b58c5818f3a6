// pool-nodes: the nodes of each Domino pool carry the pool's labels and taints. A node
// tainted dedicated to another deployment (its value another deployment's name) is that
// deployment's, even when its pool label has the same value as one of ours: it is never
// judged against our pools, nor reported as a stray.
import type { Finding, PreflightCheck } from "../check";
import type { ClusterFacts } from "../facts";
import { labelKeys, type Taint, taintKeys } from "@domino-tenancy/core";

const taintId = (t: Taint) => `${t.key}=${t.value ?? ""}:${t.effect}`;

export const poolNodes: PreflightCheck = {
    name: "pool-nodes",
    why: "Domino places its pods by the pools' labels and keeps other tenants off by their taints: a node missing a label strands Domino's pods, a node missing the dedicated taint takes other tenants' work.",
    passes: "every pool has nodes, and each carries its pool's labels and taints",
    run(expect, cluster) {
        const out: Finding[] = [];
        const known = new Set(expect.pools.map((p) => p.nodePoolLabel));
        const anotherDeployments = (n: ClusterFacts["nodes"][number]) =>
            n.taints.some((t) => t.key === taintKeys.dedicated && (t.value ?? "") !== expect.deploymentName);
        const ours = cluster.nodes.filter((n) => !anotherDeployments(n));
        for (const pool of expect.pools) {
            const nodes = ours.filter((n) => n.labels[labelKeys.nodePool] === pool.nodePoolLabel);
            if (nodes.length === 0) {
                if (pool.mayBeEmpty) continue;
                out.push({
                    check: this.name,
                    severity: "error",
                    message: `pool ${pool.name}: no node carries ${labelKeys.nodePool}=${pool.nodePoolLabel}`,
                    fix: expect.poolsCreatedByStack
                        ? `check the node group of pool ${pool.name}`
                        : `label the pool's nodes ${labelKeys.nodePool}=${pool.nodePoolLabel}, or fix ${pool.path}.nodePoolLabel`,
                });
                continue;
            }
            for (const node of nodes) {
                const missingLabels = Object.entries(pool.labels).filter(([k, v]) => node.labels[k] !== v);
                const have = new Set(node.taints.map(taintId));
                const missingTaints = pool.taints.filter((t) => !have.has(taintId(t)));
                if (missingLabels.length === 0 && missingTaints.length === 0) continue;
                const parts = [
                    ...(missingLabels.length ? [`labels ${missingLabels.map(([k, v]) => `${k}=${v}`).join(", ")}`] : []),
                    ...(missingTaints.length ? [`taints ${missingTaints.map(taintId).join(", ")}`] : []),
                ];
                out.push({
                    check: this.name,
                    severity: "error",
                    message: `pool ${pool.name}: node ${node.name} lacks ${parts.join(" and ")}`,
                    fix: expect.poolsCreatedByStack
                        ? `the node group of pool ${pool.name} sets them; replace the node`
                        : `kubectl label/taint node ${node.name} as the pool declares (${pool.path})`,
                });
            }
        }
        for (const node of ours) {
            const value = node.labels[labelKeys.nodePool];
            if (value !== undefined && !known.has(value)) {
                out.push({
                    check: this.name,
                    severity: "warning",
                    message: `node ${node.name} carries ${labelKeys.nodePool}=${value}, which no pool of deployment ${expect.deploymentName} declares`,
                    fix: "declare the pool in tenancy.nodePools, or remove the label if the node is not Domino's",
                });
            }
        }
        return out;
    },
};
