// The tenancy report a security reviewer reads instead of the manifests.

import { strict as assert } from "assert";
import { tenancyReport } from "../../plan/report";
import { podSpec, shippedPlan } from "../helpers/policyPlans";

const section = (md: string, title: string) => {
    const start = md.indexOf(`## ${title}`);
    assert.ok(start >= 0, `no section ${title}`);
    const next = md.indexOf("\n## ", start + 1);
    return md.slice(start, next < 0 ? undefined : next);
};

describe("tenancy report", function () {
    this.timeout(60000);

    it("lists every cluster-scoped object of the stack", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        for (const name of ["domino-compute", "domino-node-reader", "domino-node-agent", "domino-disk", "domino-installer"]) assert.match(section(md, "Cluster-scoped objects"), new RegExp(`\\| ${name} \\|`));
    });

    it("lists every hostPath mount with its mode and the exception that allows it", async () => {
        const md = section(tenancyReport({ stack: "local", plan: await shippedPlan("local") }), "hostPath mounts");
        assert.match(md, /fluentd \| fluentd \| \/var\/log\/pods \| read-only \| fluentd ships every pod's logs/);
        assert.match(md, /registry-certs \| .* \| \/etc\/docker\/certs.d \| \*\*writable\*\*/);
    });

    it("lists privileged and host-namespace containers, and the DaemonSets with the pools they land on", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        assert.match(section(md, "Privileged and host-namespace containers"), /max-map-count \| init set-max-map-count \| privileged/);
        assert.match(section(md, "Privileged and host-namespace containers"), /prometheus-node-exporter \| \(pod\) \| hostNetwork/);
        assert.match(section(md, "DaemonSets and the pools they land on"), /nvidia-device-plugin \| gpu \| no/);
        assert.match(section(md, "DaemonSets and the pools they land on"), /max-map-count \| platform \| no/);
    });

    it("lists quotas, network policies, the exceptions used and a passing verdict", async () => {
        const md = tenancyReport({ stack: "local", plan: await shippedPlan("local") });
        assert.match(section(md, "Quotas, limits and network policies"), /ResourceQuota \| domino-compute\/compute-quota \| .*requests.cpu=200/);
        assert.match(section(md, "Quotas, limits and network policies"), /domino-platform\/default-deny-ingress \| deny all ingress/);
        assert.match(section(md, "Exceptions used"), /privileged namespace \| domino-node-tuning \|/);
        assert.match(md, /\*\*Policy result: PASS\*\*/);
        assert.match(section(md, "Policy results"), /_None._/);
    });

    it("marks what no exception covers and reports the failing verdict with each violation", async () => {
        const plan = await shippedPlan("local");
        podSpec(plan, "DaemonSet", "image-cache-agent").volumes = [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }];
        podSpec(plan, "DaemonSet", "image-cache-agent").containers[0].volumeMounts = [{ name: "sock", mountPath: "/sock" }];
        const md = tenancyReport({ stack: "local", plan });
        assert.match(md, /\*\*Policy result: FAIL\*\*: 1 mandatory violation/);
        assert.match(section(md, "hostPath mounts"), /\/var\/run\/docker.sock \| \*\*writable\*\* \| \*\*not allowlisted\*\*/);
        assert.match(section(md, "Policy results"), /mandatory \| hostpath-allowlisted \| .*image-cache-agent/);
    });
});
