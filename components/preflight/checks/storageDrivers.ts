// storage-drivers: every StorageClass the stack creates names a provisioner the cluster runs.
import type { Finding, PreflightCheck } from "../check";

/** CSI driver names are DNS subdomains; provisioners with a '/' are in-tree or external ones, which register no CSIDriver. */
const csiName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const storageDrivers: PreflightCheck = {
    name: "storage-drivers",
    why: "A StorageClass whose provisioner the cluster does not run leaves every claim Pending: Domino's services never start and nothing says why.",
    passes: "every StorageClass provisioner has its CSI driver in the cluster",
    run(expect, cluster) {
        return expect.storageClasses.flatMap((sc): Finding[] => {
            const path = `tenancy.domino.storageClasses.${sc.kind}.provisioner`;
            if (!csiName.test(sc.provisioner)) {
                return [
                    {
                        check: this.name,
                        severity: "warning",
                        message: `StorageClass ${sc.name}: provisioner '${sc.provisioner}' is not a CSI driver, so preflight cannot see whether it runs`,
                        fix: `make sure the provisioner's controller runs in the cluster, or set ${path} to a CSI driver`,
                    },
                ];
            }
            if (cluster.csiDrivers.includes(sc.provisioner)) return [];
            return [
                {
                    check: this.name,
                    severity: "error",
                    message: `StorageClass ${sc.name}: the cluster has no CSIDriver '${sc.provisioner}' (it has: ${cluster.csiDrivers.join(", ") || "none"}), so its volumes would stay Pending`,
                    fix: `install the '${sc.provisioner}' CSI driver, or set ${path} to one the cluster runs`,
                },
            ];
        });
    },
};
