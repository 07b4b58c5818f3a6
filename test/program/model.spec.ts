// The validated model is typed by cloud: each cloud's cluster model carries exactly
// the fields that cloud uses, and pools carry sizing only where the program creates
// them. These specs pin the runtime shape to the declared union.

import { strict as assert } from "assert";
import { buildModel, minPlatformNodes } from "../../components/model/model";
import { parseTenancyConfig } from "../../components/model/schema";
import { baseTenancy, withPatch } from "../helpers/plan";

const poolFields = ["name", "role", "nodePoolLabel", "labels", "taints", "tolerations"];
const sizedPoolFields = [...poolFields, "machineType", "minSize", "maxSize", "diskSizeGb", "gpu"];

const clouds: { cloud: "aws" | "gcp" | "existing"; cluster: string[]; pool: string[]; sized: boolean }[] = [
    // The base configs create their clusters in dedicated isolation, so each gets its system pool.
    {
        cloud: "aws",
        cluster: ["cloud", "mode", "name", "region", "subnetIds", "kubernetesVersion", "access", "pools", "systemPool"],
        pool: sizedPoolFields,
        sized: true,
    },
    {
        cloud: "gcp",
        cluster: [
            "cloud",
            "mode",
            "name",
            "location",
            "project",
            "kubernetesVersion",
            "network",
            "subnetwork",
            "releaseChannel",
            "maintenance",
            "pools",
            "systemPool",
        ],
        pool: sizedPoolFields,
        sized: true,
    },
    { cloud: "existing", cluster: ["cloud", "mode", "name", "kubeconfigPath", "context", "pools"], pool: poolFields, sized: false },
];

describe("model typed by cloud", () => {
    for (const c of clouds) {
        describe(c.cloud, () => {
            const model = buildModel(baseTenancy(c.cloud), "t");

            it(`gives the ${c.cloud} cluster model exactly its fields, tagged with its cloud`, () => {
                assert.equal(model.cluster.cloud, c.cloud);
                assert.deepEqual(Object.keys(model.cluster).sort(), [...c.cluster].sort());
            });

            it(`gives every ${c.cloud} pool exactly its fields`, () => {
                assert.ok(model.cluster.pools.length > 0);
                for (const pool of model.cluster.pools) assert.deepEqual(Object.keys(pool).sort(), [...c.pool].sort(), pool.name);
            });

            if (c.sized) {
                it(`sizes every ${c.cloud} pool from the cloud's defaults when the stack gives none`, () => {
                    for (const pool of model.cluster.pools) {
                        for (const key of ["machineType", "minSize", "maxSize", "diskSizeGb"]) {
                            assert.notEqual((pool as unknown as Record<string, unknown>)[key], undefined, `${pool.name}.${key}`);
                        }
                    }
                });
            }
        });
    }

    it("adopts an existing cluster, and creates aws and gcp clusters unless told to adopt", () => {
        assert.equal(buildModel(baseTenancy("existing"), "t").cluster.mode, "adopt");
        assert.equal(buildModel(baseTenancy("aws"), "t").cluster.mode, "create");
        assert.equal(buildModel(withPatch(baseTenancy("gcp"), { cluster: { mode: "adopt" } }), "t").cluster.mode, "adopt");
    });

    it("keeps the stack's sizes over the cloud's defaults", () => {
        const model = buildModel(
            withPatch(baseTenancy("aws"), {
                nodePools: [
                    { name: "platform", role: "platform", minSize: 2, maxSize: 4, machineType: "m7i.4xlarge" },
                    { name: "compute", role: "compute" },
                ],
            }),
            "t",
        );
        assert.equal(model.cluster.cloud, "aws");
        if (model.cluster.cloud !== "aws") return;
        assert.deepEqual(
            { machineType: model.cluster.pools[0].machineType, minSize: model.cluster.pools[0].minSize, maxSize: model.cluster.pools[0].maxSize },
            { machineType: "m7i.4xlarge", minSize: 2, maxSize: 4 },
        );
    });

    it("gives a gcp GPU pool without GPU settings the cloud's accelerator and the schema's count and driver", () => {
        const model = buildModel(baseTenancy("gcp"), "t");
        assert.equal(model.cluster.cloud, "gcp");
        if (model.cluster.cloud !== "gcp") return;
        const gpu = model.cluster.pools.find((p) => p.role === "gpu");
        assert.deepEqual(gpu?.gpu, { type: "nvidia-tesla-p100", count: 1, driver: "DEFAULT" });
        assert.equal(model.cluster.pools.find((p) => p.role === "compute")?.gpu, undefined);
    });

    it("counts the platform pool's minimum as the fewest platform nodes, and one on an adopted cluster", () => {
        assert.equal(
            minPlatformNodes(
                buildModel(
                    withPatch(baseTenancy("aws"), {
                        nodePools: [
                            { name: "platform", role: "platform", minSize: 3 },
                            { name: "compute", role: "compute" },
                        ],
                    }),
                    "t",
                ).cluster,
            ),
            3,
        );
        assert.equal(minPlatformNodes(buildModel(baseTenancy("existing"), "t").cluster), 1);
    });
});

describe("schema defaults stated once", () => {
    const parsed = parseTenancyConfig(baseTenancy("existing")).config;

    it("fills objects left out from their fields' defaults", () => {
        assert.ok(parsed);
        assert.deepEqual(parsed.plumbing, {
            devicePluginImage: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
            sysctlMethod: "auto",
            maxMapCount: 262144,
            tunerImages: { init: "busybox:1.37.0", pause: "registry.k8s.io/pause:3.10" },
        });
        assert.deepEqual(parsed.domino.computeQuota, {
            cpu: "200",
            memory: "800Gi",
            gpu: "8",
            storage: "10Ti",
            ephemeralStorage: "2Ti",
            pods: 500,
            persistentVolumeClaims: 200,
            objects: { services: 500, secrets: 1000, configMaps: 1000, replicationControllers: 0, resourceQuotas: 1 },
        });
        assert.deepEqual(parsed.domino.computeLimits, {
            defaultRequest: { cpu: "100m", memory: "256Mi" },
            defaultLimit: { cpu: "2", memory: "4Gi" },
            max: { cpu: "64", memory: "512Gi" },
            defaultEphemeralStorageRequest: "1Gi",
        });
        assert.deepEqual(parsed.domino.ingress, { namespace: "ingress-nginx", className: "nginx" });
        assert.deepEqual(parsed.domino.install, {
            interval: "6h0m0s",
            suspend: false,
            dryRunMode: false,
            registry: { server: "quay.io", username: "domino-ci", passwordKey: "registryPassword" },
            operator: "install",
            operatorRbac: "confined",
            chart: { name: "platform-operator", archive: "test/fixtures/platform-operator-standin" },
        });
    });

    it("fills the fields a partly given object leaves out", () => {
        const partial = parseTenancyConfig(
            withPatch(baseTenancy("existing"), { plumbing: { tunerImages: { init: "busybox:1.36.1" } }, domino: { ingress: { className: "traefik" } } }),
        ).config;
        assert.deepEqual(partial?.plumbing.tunerImages, { init: "busybox:1.36.1", pause: "registry.k8s.io/pause:3.10" });
        assert.deepEqual(partial?.domino.ingress, { namespace: "ingress-nginx", className: "traefik" });
    });

    it("derives the fleetcommand-agent tag from domino.version", () => {
        const model = buildModel(withPatch(baseTenancy("existing"), { domino: { version: "6.2.0" } }), "t");
        assert.equal(model.install.agentVersion, "6.2.0.catalog-5074e48");
    });

    it("takes the config schema from the configuration reference of domino.version's minor, and a given one where no page is known", () => {
        const schemaOf = (version: string, configSchema?: string) =>
            buildModel(withPatch(baseTenancy("existing"), { domino: { version, install: { configSchema } } }), "t").install.configSchema;
        assert.deepEqual(
            ["6.2.0", "6.2.2"].map((v) => schemaOf(v)),
            ["1.16", "1.16"],
        );
        assert.equal(schemaOf("6.1.4", "1.14"), "1.14");
        assert.equal(schemaOf("6.2.2", "1.17"), "1.17", "a given schema wins, for a page newer than the table");
    });

    it("defaults to Domino 6.2.2 with its agent, pulled from <registry>/domino/fleetcommand-agent", () => {
        const model = buildModel(withPatch(baseTenancy("existing"), { domino: { install: { registry: { server: "registry.corp.example" } } } }), "t");
        assert.equal(model.version, "6.2.2");
        assert.equal(model.install.agentVersion, "6.2.2.catalog-34a6626");
        assert.equal(model.install.agentRepository, "registry.corp.example/domino/fleetcommand-agent");
        assert.equal(model.install.configSchema, "1.16");
    });
});
