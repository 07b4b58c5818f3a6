// served-apis: the API server serves the admission and network APIs the stack relies on.
import type { PreflightCheck } from "../check";

export const servedApis: PreflightCheck = {
    name: "served-apis",
    why: "An object of an API the server does not serve fails the deployment half-way, and a guard that silently does not exist protects nothing.",
    passes: "the server serves every API the stack relies on",
    run(expect, cluster) {
        return expect.apis
            .filter((api) => !(cluster.apiResources[api.groupVersion] ?? []).includes(api.resource))
            .map((api) => ({
                check: this.name,
                severity: api.required ? ("error" as const) : ("warning" as const),
                message: `the server does not serve ${api.resource} in ${api.groupVersion}: ${api.why}`,
                fix: api.fix ?? `use Kubernetes 1.${api.minMinor}+ with ${api.groupVersion} enabled`,
            }));
    },
};
