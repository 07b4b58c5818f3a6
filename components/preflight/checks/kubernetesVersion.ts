// kubernetes-version: the API server is new enough for every object the stack makes.
import type { PreflightCheck } from "../check";

export const kubernetesVersion: PreflightCheck = {
    name: "kubernetes-version",
    why: "Domino's namespaces rely on Pod Security Admission labels, stable from Kubernetes 1.25; an older server ignores them and admits privileged pods.",
    passes: "the API server's version serves everything the stack creates",
    run(expect, cluster) {
        if (!Number.isFinite(cluster.minor)) {
            return [
                {
                    check: this.name,
                    severity: "warning",
                    message: `the API server reports version '${cluster.gitVersion}', which preflight cannot read`,
                    fix: "check the server's version by hand",
                },
            ];
        }
        if (cluster.minor < expect.minMinor) {
            return [
                {
                    check: this.name,
                    severity: "error",
                    message: `the API server is ${cluster.gitVersion}; the stack needs Kubernetes 1.${expect.minMinor} or newer`,
                    fix: `upgrade the cluster to 1.${expect.minMinor}+ before deploying Domino`,
                },
            ];
        }
        return [];
    },
};
