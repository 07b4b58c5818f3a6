// Part 6: what the admission twins cost each request. Server-side dry-run creates of a
// Deployment every rule accepts (admission runs in full, nothing is stored), timed one
// at a time from one keep-alive client, in a Domino namespace and in the other tenant's,
// with the twins registered, without them, and with the floor: one policy bound like
// the pod-template policy, with its params and one trivial check, which is the least
// any ValidatingAdmissionPolicy judging that Deployment costs on this server (it
// converts the object for each policy three times, whatever the CEL). Rounds
// interleave the conditions (their order rotating), so drift in the machine's load
// falls on all alike. Needs the local cluster (`npm run cluster -- up`);
// Domino's namespaces, the params ConfigMap and the twins come from the offline plan of
// the local stack, applied server-side, and are left registered at the end.

import { runPlan } from "../../plan/engine";
import { allTwins, paramsName, podTemplatesPolicy } from "../../policy/admission";
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
    /** ValidatingAdmissionPolicies the twins are registered as (policy/admission/policies.ts groups them). */
    readonly policies: number;
    readonly createsPerCondition: number;
    readonly rounds: number;
    readonly object: string;
    readonly domino: {
        readonly namespace: string;
        readonly with: LatencySummary;
        readonly without: LatencySummary;
        readonly p50Ratio: number;
        readonly p99Ratio: number;
        /** One trivial policy instead of the twins: the lower bound of any policy's cost here. */
        readonly floor: LatencySummary;
        /** The floor over no policy: what one trivial policy costs on this server. */
        readonly floorP50Ratio: number;
        /** The target figure: the twins' p50 over the floor's. */
        readonly p50OverFloor: number;
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

// 1,200 creates per cell: at 600 the other tenant's p99 ratio moved by more than its 1.2 target from run to run
// (a p99 of 600 samples rests on its 6 slowest). Twelve rounds keep each batch near 100 creates.
export async function measureAdmissionCost(createsPerCondition = 1200, rounds = 12, stack = "local", otherNamespace = "acme"): Promise<AdmissionCostResult> {
    const plan = await runPlan({ stack });
    const objects = plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs as unknown as Obj);
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    const params = objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name === paramsName("domino"));
    const policies = objects.filter((o) => o.kind === "ValidatingAdmissionPolicy");
    const bindings = objects.filter((o) => o.kind === "ValidatingAdmissionPolicyBinding");
    if (policies.length === 0 || params.length !== 1) throw new Error(`the ${stack} stack registers no admission twins (domino.admission.enabled?)`);
    const dominoNamespace = namespaces.find((n) => n.metadata.name.endsWith("-platform"))?.metadata.name ?? namespaces[0].metadata.name;
    // The floor: the pod-template policy's match, binding and params, and one check that
    // reads one label (so the bench can tell when the server has it), nothing else.
    type PolicyObj = Obj & { spec: Record<string, unknown> };
    const templates = policies.find((p) => p.metadata.name.endsWith(`-${podTemplatesPolicy}`)) as PolicyObj | undefined;
    const templatesBinding = bindings.find((b) => b.metadata.name === templates?.metadata.name) as PolicyObj | undefined;
    if (!templates || !templatesBinding) throw new Error(`the ${stack} stack registers no ${podTemplatesPolicy} policy`);
    const floorName = `${templates.metadata.name.slice(0, -podTemplatesPolicy.length)}bench-floor`;
    const probeLabel = "bench-floor-probe";
    const floor: Obj[] = [
        {
            ...templates,
            metadata: { name: floorName },
            spec: {
                ...templates.spec,
                variables: [],
                validations: [
                    {
                        expression: `!has(object.metadata.labels) || !('${probeLabel}' in object.metadata.labels)`,
                        message: "bench floor probe",
                        reason: "Forbidden",
                    },
                ],
            },
        } as PolicyObj,
        { ...templatesBinding, metadata: { name: floorName }, spec: { ...templatesBinding.spec, policyName: floorName } } as PolicyObj,
    ];

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
    const dryRunCreate = (ns: string, image?: string, probe = false) => {
        const body = deployment(ns, image) as unknown as { metadata: { labels?: Record<string, string> } };
        if (probe) body.metadata.labels = { [probeLabel]: "true" };
        return api.request("POST", `/apis/apps/v1/namespaces/${ns}/deployments?dryRun=All&fieldManager=domino-tenancy-bench`, { body });
    };
    type Condition = "with" | "floor" | "without";
    /** The plugin learns of policies and bindings through an informer: wait until rule-breaking creates get the verdicts expected. */
    const settle = async (condition: Condition) => {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
            const broken = await dryRunCreate(dominoNamespace, "fluent/fluentd:latest");
            const probed = await dryRunCreate(dominoNamespace, undefined, true);
            const twins = broken.status === 403 && /images-pinned: /.test(broken.body);
            const floorOn = probed.status === 403 && /bench floor probe/.test(probed.body);
            if (twins === (condition === "with") && floorOn === (condition === "floor")) return;
            await new Promise((res) => setTimeout(res, 250));
        }
        throw new Error(`the admission policies did not settle to "${condition}" within 60 s`);
    };

    try {
        await applyAll([...namespaces, ...params]);
        const samples: Record<`${"domino" | "other"}:${Condition}`, number[]> = {
            "domino:with": [],
            "domino:floor": [],
            "domino:without": [],
            "other:with": [],
            "other:floor": [],
            "other:without": [],
        };
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
        const conditions: Condition[] = ["with", "floor", "without"];
        for (let round = 0; round < rounds; round++) {
            // Rotate which condition goes first, so a trend in load does not favour one.
            for (const condition of [...conditions.slice(round % 3), ...conditions.slice(0, round % 3)]) {
                await deleteAll([...bindings, ...policies, ...floor.slice().reverse()]);
                if (condition === "with") await applyAll([...policies, ...bindings]);
                if (condition === "floor") await applyAll(floor);
                await settle(condition);
                await time(dominoNamespace, [], 10); // warm-up after each switch
                const half = Math.ceil(perRound / 2);
                // Domino and the other tenant in small alternating batches within the condition.
                for (const [ns, into] of [
                    [dominoNamespace, samples[`domino:${condition}`]],
                    [otherNamespace, samples[`other:${condition}`]],
                    [otherNamespace, samples[`other:${condition}`]],
                    [dominoNamespace, samples[`domino:${condition}`]],
                ] as const)
                    await time(ns, into, half);
            }
            progress(`part 6: round ${round + 1}/${rounds}: ${samples["domino:with"].length} creates per condition so far`);
        }
        await deleteAll(floor.slice().reverse());
        await applyAll([...policies, ...bindings]);
        const trim = (xs: number[]) => xs.slice(0, createsPerCondition);
        const of = (xs: number[]) => summary(trim(xs), plugin.get(xs)!);
        const pair = (ns: string, withT: number[], withoutT: number[]) => {
            const w = of(withT);
            const wo = of(withoutT);
            return { namespace: ns, with: w, without: wo, p50Ratio: round(w.p50Ms / wo.p50Ms, 3), p99Ratio: round(w.p99Ms / wo.p99Ms, 3) };
        };
        const domino = pair(dominoNamespace, samples["domino:with"], samples["domino:without"]);
        const floorSummary = of(samples["domino:floor"]);
        return {
            stack,
            twins: allTwins().length,
            policies: policies.length,
            createsPerCondition,
            rounds,
            object: "a Deployment every rule accepts (policy/testing/fixtures compliantPod), server-side dry run (dryRun=All)",
            domino: {
                ...domino,
                floor: floorSummary,
                floorP50Ratio: round(floorSummary.p50Ms / domino.without.p50Ms, 3),
                p50OverFloor: round(domino.with.p50Ms / floorSummary.p50Ms, 3),
            },
            otherTenant: pair(otherNamespace, samples["other:with"], samples["other:without"]),
        };
    } finally {
        api.close();
    }
}
