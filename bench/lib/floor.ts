// The floor for the offline plan: a trivial program that registers the same number
// of resources of the same types as a real plan, with trivial inputs, through the
// very same runPlan — same mocks, same runtime reset (setMocks, setAllConfig), same
// registration recorder, same wait for RPCs. Only the program differs.
//
// How: a second instance of plan/engine.ts is loaded while the require cache
// holds a stand-in for components/program.ts whose loadInputs/deploy are trivial.
// Both instances share the one @pulumi/pulumi runtime, so the real plan and its floor
// run in the same process, identically, and can be interleaved.

import { Module } from "module";
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../plan/engine";
import type * as PlanModule from "../../plan/engine";
import type * as ProgramModule from "../../components/program";

/** How many resources of one type a plan registers. */
interface TypeCount {
    readonly type: string;
    readonly custom: boolean;
    readonly count: number;
}

/** The types and counts to register, from a real plan; the stack itself is registered by the runtime. */
export function typeCounts(plan: Plan): TypeCount[] {
    const counts = new Map<string, TypeCount>();
    for (const r of plan.resources) {
        if (r.type === "pulumi:pulumi:Stack") continue;
        const prev = counts.get(r.type);
        counts.set(r.type, { type: r.type, custom: r.custom, count: (prev?.count ?? 0) + 1 });
    }
    return [...counts.values()].sort((a, b) => (a.type < b.type ? -1 : 1));
}

/** One resource the floor registers. */
export interface FloorResource {
    readonly type: string;
    readonly custom: boolean;
    /** Inputs to register; a trivial `{ name }` when absent. */
    readonly inputs?: Record<string, unknown>;
}

/**
 * The floor's resources: the real plan's types and counts with trivial inputs, or
 * (`sameInputs`, a diagnostic) with each resource's recorded inputs, to split the
 * overhead into what the inputs cost the SDK and what the program itself adds.
 */
export function floorResources(plan: Plan, sameInputs = false): FloorResource[] {
    return plan.resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({ type: r.type, custom: r.custom, inputs: sameInputs && r.custom ? r.inputs : undefined }))
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

let spec: readonly FloorResource[] = [];

// The SDK's base classes, as a trivial program would subclass them.
class FloorProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, inputs: Record<string, unknown>) {
        super(pkg, name, inputs);
    }
}
class FloorCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: Record<string, unknown>) {
        super(type, name, inputs);
    }
}
class FloorComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string) {
        super(type, name);
        this.registerOutputs({});
    }
}

/** The trivial program: each resource flat under the stack, no provider, parent or dependency. */
function floorDeploy(): Record<string, unknown> {
    spec.forEach(({ type, custom, inputs }, i) => {
        const name = `floor-${i}`;
        if (type.startsWith("pulumi:providers:")) {
            new FloorProvider(type.slice("pulumi:providers:".length), name, inputs ?? {});
        } else if (custom) {
            new FloorCustom(type, name, inputs ?? { name });
        } else {
            new FloorComponent(type, name);
        }
    });
    return {};
}

/**
 * Stands in for components/program in the engine's require cache. Typed as the module's
 * own functions the engine calls, so a rename there fails the type check here instead of
 * failing the bench at run time ("run is not a function").
 */
const floorProgram: Pick<typeof ProgramModule, "loadInputs" | "run"> = {
    // The floor reads no config: the engine hands these inputs back to run, which ignores them.
    loadInputs: () => ({}) as ProgramModule.ProgramInputs,
    run: async () => floorDeploy() as ProgramModule.ProgramOutputs,
};

let floorPlan: typeof PlanModule | undefined;

/** runPlan with the floor program in place of the real one. */
export function floorRunPlan(resources: readonly FloorResource[], source: PlanModule.PlanSource): Promise<Plan> {
    spec = resources;
    if (!floorPlan) floorPlan = loadFloorPlanModule();
    return floorPlan.runPlan(source);
}

function loadFloorPlanModule(): typeof PlanModule {
    const planPath = require.resolve("../../plan/engine");
    const programPath = require.resolve("../../components/program");
    // The real instances first, so they are the ones restored afterwards.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the floor swaps modules in the require cache
    require(planPath);
    const savedPlan = require.cache[planPath];
    const savedProgram = require.cache[programPath];
    const stub = new Module(programPath);
    stub.filename = programPath;
    stub.loaded = true;
    stub.exports = floorProgram;
    require.cache[programPath] = stub;
    delete require.cache[planPath];
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second instance, loaded after the swap
        return require(planPath) as typeof PlanModule;
    } finally {
        require.cache[planPath] = savedPlan;
        if (savedProgram) require.cache[programPath] = savedProgram;
        else delete require.cache[programPath];
    }
}

/** Checks that a floor plan registered what the real plan did, type by type. */
export function sameTypeCounts(real: Plan, floor: Plan): boolean {
    const key = (p: Plan) => JSON.stringify(typeCounts(p).map((t) => [t.type, t.custom, t.count]));
    return key(real) === key(floor);
}
