// Part 6: what the admission twins cost each request. Server-side dry-run creates of a
// Deployment every rule accepts (admission runs in full, nothing is stored), timed one
// at a time from one keep-alive client, in a Domino namespace and in the other tenant's,
// with the twins registered and without them. Rounds interleave the four conditions
// (with/without x Domino/other tenant, order alternating), so drift in the machine's
// load falls on all four alike. Needs the local cluster (`npm run cluster -- up`);
// Domino's namespaces, the params ConfigMap and the twins come from the offline plan of
// the local stack, applied server-side, and are left registered at the end.

import { runPlan } from "../../plan/engine";
import { paramsName } from "../../policy/admission";
import { compliantPod, containerOf, tweak, workload } from "../../policy/testing/fixtures";
import { progress, round } from "./common";
import { KubeApi, metricSum, quantile } from "./kubeApi";

export interface LatencySummary {
    readonly n: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly meanMs: number;
    /** Mean time the API server spent in its ValidatingAdmissionPolicy plugin per create (its own metric). */
    readonly vapPluginMeanMs: number;
}

export interface AdmissionCostResult {
    readonly stack: string;
    readonly twins: number;
    readonly createsPerCondition: number;
    readonly rounds: number;
    readonly object: string;
    readonly domino: {
        readonly namespace: string;
        readonly with: LatencySummary;
        readonly without: LatencySummary;
        readonly p50Ratio: number;
        readonly p99Ratio: number;
    };
    readonly otherTenant: {
        readonly namespace: string;
        readonly with: LatencySummary;
        readonly without: LatencySummary;
        readonly p50Ratio: number;
        readonly p99Ratio: number;
    };
}

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

const plural: Record<string, string> = {
    Namespace: "namespaces",
    ConfigMap: "configmaps",
    ValidatingAdmissionPolicy: "validatingadmissionpolicies",
    ValidatingAdmissionPolicyBinding: "validatingadmissionpolicybindings",
};

function pathOf(o: Obj): string {
    const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : "";
    return `${base}${ns}/${plural[o.kind]}/${o.metadata.name}`;
}

function summary(xs: number[], plugin: { seconds: number; count: number }): LatencySummary {
    return {
        n: xs.length,
        p50Ms: round(quantile(xs, 0.5), 2),
        p99Ms: round(quantile(xs, 0.99), 2),
        meanMs: round(xs.reduce((a, b) => a + b, 0) / xs.length, 2),
        vapPluginMeanMs: round((plugin.seconds * 1000) / Math.max(1, plugin.count), 3),
    };
}

const vapPlugin = { name: "ValidatingAdmissionPolicy", operation: "CREATE", type: "validate" };

export async function measureAdmissionCost(createsPerCondition = 300, rounds = 6, stack = "local", otherNamespace = "acme"): Promise<AdmissionCostResult> {
    const plan = await runPlan({ stack });
    const objects = plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs as unknown as Obj);
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    const params = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name === paramsName("domino"));
    const policies = objects.filter((o) => o.kind === "ValidatingAdmissionPolicy");
    const bindings = objects.filter((o) => o.kind === "ValidatingAdmissionPolicyBinding");
    if (policies.length === 0 || params.length !== 1) throw new Error(`the ${stack} stack registers no admission twins (domino.admission.enabled?)`);
    const dominoNamespace = namespaces.find((n) => n.metadata.name.endsWith("-platform"))?.metadata.name ?? namespaces[0].metadata.name;

    const api = new KubeApi(4);
    const must = async (p: Promise<{ status: number; body: string }>, what: string) => {
        const r = await p;
        if (r.status >= 300 && !(r.status === 404 && what.startsWith("delete"))) throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
    };
    const applyAll = async (os: Obj[]) => {
        for (const o of os)
            await must(
                api.request("PATCH", `${pathOf(o)}?fieldManager=domino-tenancy-bench&force=true`, { body: o, contentType: "application/apply-patch+yaml" }),
                `apply ${o.kind} ${o.metadata.name}`,
            );
    };
    const deleteAll = async (os: Obj[]) => {
        for (const o of os) await must(api.request("DELETE", pathOf(o)), `delete ${o.kind} ${o.metadata.name}`);
    };
    const deployment = (ns: string, image = "registry.k8s.io/pause:3.10") =>
        workload(
            "Deployment",
            tweak(compliantPod(), (pod) => (containerOf(pod).image = image)),
            "bench-admission",
            ns,
        );
    const dryRunCreate = (ns: string, image?: string) =>
        api.request("POST", `/apis/apps/v1/namespaces/${ns}/deployments?dryRun=All&fieldManager=domino-tenancy-bench`, { body: deployment(ns, image) });
    /** The plugin learns of policies and bindings through an informer: wait until a rule-breaking create gets the verdict expected. */
    const settle = async (registered: boolean) => {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
            const r = await dryRunCreate(dominoNamespace, "fluent/fluentd:latest");
            if (registered ? r.status === 403 && /images-pinned: /.test(r.body) : r.status === 201) return;
            await new Promise((res) => setTimeout(res, 250));
        }
        throw new Error(`the twins did not ${registered ? "take effect" : "go away"} within 60 s`);
    };

    try {
        await applyAll([...namespaces, ...params]);
        const samples = { dominoWith: [] as number[], dominoWithout: [] as number[], otherWith: [] as number[], otherWithout: [] as number[] };
        const perRound = Math.ceil(createsPerCondition / rounds);
        const plugin = new Map<number[], { seconds: number; count: number }>();
        const pluginNow = async () => {
            const m = (await api.request("GET", "/metrics")).body;
            return {
                seconds: metricSum(m, "apiserver_admission_controller_admission_duration_seconds_sum", vapPlugin),
                count: metricSum(m, "apiserver_admission_controller_admission_duration_seconds_count", vapPlugin),
            };
        };
        const time = async (ns: string, into: number[], n: number) => {
            const before = await pluginNow();
            for (let i = 0; i < n; i++) {
                const r = await dryRunCreate(ns);
                if (r.status !== 201) throw new Error(`dry-run create in ${ns} refused: ${r.status} ${r.body.slice(0, 300)}`);
                into.push(r.ms);
            }
            const after = await pluginNow();
            const p = plugin.get(into) ?? { seconds: 0, count: 0 };
            plugin.set(into, { seconds: p.seconds + after.seconds - before.seconds, count: p.count + after.count - before.count });
        };
        for (let round = 0; round < rounds; round++) {
            // Alternate which condition goes first, so a trend in load does not favour one.
            for (const registered of round % 2 === 0 ? [true, false] : [false, true]) {
                if (registered) await applyAll([...policies, ...bindings]);
                else await deleteAll([...bindings, ...policies]);
                await settle(registered);
                await time(dominoNamespace, [], 10); // warm-up after each switch
                const half = Math.ceil(perRound / 2);
                // Domino and the other tenant in small alternating batches within the condition.
                for (const [ns, into] of [
                    [dominoNamespace, registered ? samples.dominoWith : samples.dominoWithout],
                    [otherNamespace, registered ? samples.otherWith : samples.otherWithout],
                    [otherNamespace, registered ? samples.otherWith : samples.otherWithout],
                    [dominoNamespace, registered ? samples.dominoWith : samples.dominoWithout],
                ] as const)
                    await time(ns, into, half);
            }
            progress(`part 6: round ${round + 1}/${rounds}: ${samples.dominoWith.length} creates per condition so far`);
        }
        await applyAll([...policies, ...bindings]);
        const trim = (xs: number[]) => xs.slice(0, createsPerCondition);
        const pair = (ns: string, withT: number[], withoutT: number[]) => {
            const w = summary(trim(withT), plugin.get(withT)!);
            const wo = summary(trim(withoutT), plugin.get(withoutT)!);
            return { namespace: ns, with: w, without: wo, p50Ratio: round(w.p50Ms / wo.p50Ms, 3), p99Ratio: round(w.p99Ms / wo.p99Ms, 3) };
        };
        return {
            stack,
            twins: policies.length,
            createsPerCondition,
            rounds,
            object: "a Deployment every rule accepts (policy/testing/fixtures compliantPod), server-side dry run (dryRun=All)",
            domino: pair(dominoNamespace, samples.dominoWith, samples.dominoWithout),
            otherTenant: pair(otherNamespace, samples.otherWith, samples.otherWithout),
        };
    } finally {
        api.close();
    }
}
