// The smallest useful stack for the builders' specs: an adopted cluster, three pools,
// a deployment named acme, and the consuming teams a spec gives (tenancy.consumers).

import { buildModel, type DeploymentModel } from "../../components/model/model";

export function acmeModel(isolation: "shared" | "dedicated" = "dedicated", consumers?: unknown[]): DeploymentModel {
    return buildModel(
        {
            cloud: "existing",
            environment: "dev",
            cluster: { name: "fixture", kubeconfigPath: "fixture.kubeconfig" },
            isolation,
            nodePools: [
                { name: "platform", role: "platform" },
                { name: "compute", role: "compute" },
                { name: "gpu", role: "gpu" },
            ],
            domino: {
                name: "acme",
                hostname: "domino.example.test",
                storageClasses: { block: { provisioner: "example.test/block" }, shared: { provisioner: "example.test/nfs" } },
                install: { registry: { username: "acme" }, chart: { archive: "test/fixtures/platform-operator-standin" } },
            },
            ...(consumers === undefined ? {} : { consumers }),
        },
        "fixture",
    );
}
