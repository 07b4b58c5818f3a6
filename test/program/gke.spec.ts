// A GKE cluster the program creates must be able to run Domino: every StorageClass
// provisioner has its driver, NetworkPolicies are enforced (Dataplane V2), upgrades
// follow a release channel inside a maintenance window, and the version is one GKE
// still offers. Config that GKE would refuse, or silently ignore, is refused here.

import { strict as assert } from "assert";
import { gcpRegionOf, gkeAddons, gkeCsiAddons } from "../../components/cloud/gcp";
import { gkeKubernetesVersions } from "../../components/cloud/profiles";
import { buildModel, defaultGkeMaintenanceWindow } from "../../components/model/model";
import { Plan, runPlan } from "../../plan/engine";
import { baseTenancy, configIssuesOf, k8sObjects, ofType, withPatch, testSecrets } from "../helpers/plan";

type ClusterInputs = {
    addonsConfig?: Record<string, { enabled?: boolean; disabled?: boolean }>;
    datapathProvider?: string;
    networkPolicy?: unknown;
    networkingMode?: string;
    releaseChannel?: { channel: string };
    minMasterVersion?: string;
    maintenancePolicy?: {
        recurringWindow?: { startTime: string; endTime: string; recurrence: string };
        maintenanceExclusions?: { exclusionName: string; startTime: string; endTime: string; exclusionOptions?: { scope: string } }[];
    };
};

const gcp = baseTenancy("gcp");
const clusterOf = (p: Plan): ClusterInputs => {
    const clusters = ofType(p, "gcp:container/cluster:Cluster");
    assert.equal(clusters.length, 1, `${p.stack}: one GKE cluster`);
    return clusters[0].inputs as ClusterInputs;
};

const issuesOf = configIssuesOf;

const hasIssue = (issues: { path: string; message: string }[], path: string, message: RegExp) =>
    assert.ok(
        issues.some((i) => i.path === path && message.test(i.message)),
        `expected ${path} ~ ${message}; got:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
    );

describe("GKE when the program creates the cluster", function () {
    this.timeout(120000);
    let prod: Plan;

    before(async () => {
        prod = await runPlan({ stack: "prod-gcp", env: {} });
    });

    describe("the prod-gcp plan", () => {
        it("enables the GKE add-on of every StorageClass provisioner the stack uses", () => {
            const addons = clusterOf(prod).addonsConfig ?? {};
            const classes = k8sObjects(prod, "StorageClass");
            assert.equal(classes.length, 2);
            for (const sc of classes) {
                const provisioner = sc.provisioner as string;
                const addon = gkeCsiAddons[provisioner as keyof typeof gkeCsiAddons];
                assert.ok(addon, `${sc.metadata.name}: ${provisioner} is not a driver GKE runs`);
                assert.deepEqual(addons[addon], { enabled: true }, `${sc.metadata.name}: ${provisioner} needs ${addon}`);
            }
            assert.deepEqual(addons.gcpFilestoreCsiDriverConfig, { enabled: true });
        });

        it("runs Dataplane V2, which enforces the NetworkPolicies, and no legacy Calico", () => {
            const c = clusterOf(prod);
            assert.ok(k8sObjects(prod, "NetworkPolicy").length > 0, "the plan has NetworkPolicies to enforce");
            assert.equal(c.datapathProvider, "ADVANCED_DATAPATH");
            assert.equal(c.networkingMode, "VPC_NATIVE");
            assert.equal(c.networkPolicy, undefined);
            assert.equal(c.addonsConfig?.networkPolicyConfig, undefined);
        });

        it("enrols the cluster in a release channel with the stack's maintenance window and exclusion", () => {
            const c = clusterOf(prod);
            assert.deepEqual(c.releaseChannel, { channel: "REGULAR" });
            assert.deepEqual(c.maintenancePolicy?.recurringWindow, {
                startTime: "2026-01-04T02:00:00Z",
                endTime: "2026-01-04T10:00:00Z",
                recurrence: "FREQ=WEEKLY;BYDAY=SU",
            });
            assert.deepEqual(c.maintenancePolicy?.maintenanceExclusions, [
                {
                    exclusionName: "year-end-freeze",
                    startTime: "2026-12-18T00:00:00Z",
                    endTime: "2027-01-05T00:00:00Z",
                    exclusionOptions: { scope: "NO_MINOR_UPGRADES" },
                },
            ]);
        });

        it("asks for a version GKE offers in the cluster's channel", () => {
            const c = clusterOf(prod);
            assert.ok(gkeKubernetesVersions.byChannel.REGULAR.includes(c.minMasterVersion ?? ""), c.minMasterVersion);
        });
    });

    describe("defaults", () => {
        it("gives a created cluster the Regular channel, GKE's default version and a weekend window", () => {
            const model = buildModel(gcp, "t");
            assert.equal(model.cluster.cloud, "gcp");
            if (model.cluster.cloud !== "gcp") return;
            assert.equal(model.cluster.releaseChannel, "REGULAR");
            assert.equal(model.cluster.kubernetesVersion, gkeKubernetesVersions.default);
            assert.deepEqual(model.cluster.maintenance, { window: defaultGkeMaintenanceWindow, exclusions: [] });
            // A weekend: the window's first day is a Saturday and it recurs on Saturday and Sunday.
            assert.equal(new Date(defaultGkeMaintenanceWindow.start).getUTCDay(), 6);
            assert.match(defaultGkeMaintenanceWindow.recurrence, /BYDAY=SA,SU$/);
        });

        it("offers the default version in every release channel", () => {
            for (const [channel, versions] of Object.entries(gkeKubernetesVersions.byChannel)) {
                assert.ok(versions.includes(gkeKubernetesVersions.default), channel);
            }
        });

        it("enables only the add-ons the provisioners need, and none for a driver GKE does not run", () => {
            assert.deepEqual(gkeAddons(["pd.csi.storage.gke.io", "nfs.csi.k8s.io"]), { gcePersistentDiskCsiDriverConfig: { enabled: true } });
            assert.deepEqual(gkeAddons(["filestore.csi.storage.gke.io"]), { gcpFilestoreCsiDriverConfig: { enabled: true } });
        });

        it("builds the provider's region from a regional or zonal location", () => {
            assert.equal(gcpRegionOf("us-central1"), "us-central1");
            assert.equal(gcpRegionOf("europe-west4-b"), "europe-west4");
        });
    });

    describe("an adopted GKE cluster", () => {
        it("creates no cluster resource, so the adopted cluster's dataplane, add-ons and channel stay as its owners set them", async () => {
            const p = await runPlan({ inline: { stack: "adopt-gcp", tenancy: withPatch(gcp, { cluster: { mode: "adopt" } }), secrets: testSecrets } });
            assert.deepEqual(ofType(p, "gcp:container/cluster:Cluster"), []);
            assert.equal(ofType(p, "gcp:container/nodePool:NodePool").length, 3);
        });

        it("refuses a version, channel or maintenance policy it would ignore", () => {
            const issues = issuesOf(
                withPatch(gcp, { cluster: { mode: "adopt", kubernetesVersion: "1.35", releaseChannel: "STABLE", maintenance: { exclusions: [] } } }),
            );
            for (const key of ["kubernetesVersion", "releaseChannel", "maintenance"]) hasIssue(issues, `tenancy.cluster.${key}`, /mode create/);
        });
    });

    describe("config GKE would refuse", () => {
        it("refuses a version GKE no longer offers, listing the allowed ones", () => {
            const issues = issuesOf(withPatch(gcp, { cluster: { kubernetesVersion: "1.33" } }));
            hasIssue(issues, "tenancy.cluster.kubernetesVersion", /'1\.33' is not offered .* REGULAR channel; allowed: 1\.34, 1\.35, 1\.36/);
        });

        it("checks the version against the chosen channel", () => {
            assert.deepEqual(issuesOf(withPatch(gcp, { cluster: { kubernetesVersion: "1.33", releaseChannel: "EXTENDED" } })), []);
            hasIssue(
                issuesOf(withPatch(gcp, { cluster: { kubernetesVersion: "1.36", releaseChannel: "STABLE" } })),
                "tenancy.cluster.kubernetesVersion",
                /STABLE/,
            );
        });

        it("refuses times that are not RFC 3339 UTC, and a recurrence that is not an RRULE", () => {
            const issues = issuesOf(
                withPatch(gcp, {
                    cluster: { maintenance: { window: { start: "2026-01-03 04:00", end: "2026-01-03T12:00:00+02:00", recurrence: "weekends" } } },
                }),
            );
            hasIssue(issues, "tenancy.cluster.maintenance.window.start", /RFC 3339 time in UTC/);
            hasIssue(issues, "tenancy.cluster.maintenance.window.end", /RFC 3339 time in UTC/);
            hasIssue(issues, "tenancy.cluster.maintenance.window.recurrence", /RRULE such as FREQ=WEEKLY;BYDAY=SA,SU/);
        });

        it("refuses a window shorter than GKE's 4 hours", () => {
            const window = { start: "2026-01-03T04:00:00Z", end: "2026-01-03T06:00:00Z", recurrence: "FREQ=DAILY" };
            hasIssue(issuesOf(withPatch(gcp, { cluster: { maintenance: { window } } })), "tenancy.cluster.maintenance.window.end", /at least 4 hours/);
        });

        it("refuses an unknown exclusion scope, naming the allowed ones", () => {
            const exclusions = [{ name: "x", start: "2026-12-01T00:00:00Z", end: "2026-12-02T00:00:00Z", scope: "NO_PATCHES" }];
            hasIssue(
                issuesOf(withPatch(gcp, { cluster: { maintenance: { exclusions } } })),
                "tenancy.cluster.maintenance.exclusions[0].scope",
                /NO_UPGRADES.*NO_MINOR_UPGRADES.*NO_MINOR_OR_NODE_UPGRADES/,
            );
        });

        it("refuses exclusions that end before they start, repeat a name, or hold all upgrades for over 30 days", () => {
            const exclusions = [
                { name: "a", start: "2026-12-02T00:00:00Z", end: "2026-12-01T00:00:00Z", scope: "NO_MINOR_UPGRADES" },
                { name: "a", start: "2026-12-01T00:00:00Z", end: "2027-01-15T00:00:00Z" },
            ];
            const issues = issuesOf(withPatch(gcp, { cluster: { maintenance: { exclusions } } }));
            hasIssue(issues, "tenancy.cluster.maintenance.exclusions[0].end", /after start/);
            hasIssue(issues, "tenancy.cluster.maintenance.exclusions[1].name", /unique/);
            hasIssue(issues, "tenancy.cluster.maintenance.exclusions[1].end", /at most 30 days/);
        });

        it("refuses GKE's settings on other clouds rather than ignoring them", () => {
            hasIssue(issuesOf(withPatch(baseTenancy("aws"), { cluster: { releaseChannel: "REGULAR" } })), "tenancy.cluster.releaseChannel", /GKE setting/);
            hasIssue(issuesOf(withPatch(baseTenancy("existing"), { cluster: { maintenance: {} } })), "tenancy.cluster.maintenance", /GKE setting/);
        });
    });
});
