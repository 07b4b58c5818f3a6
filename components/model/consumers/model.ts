// Consuming teams: each one's namespace (prefixed, none of Domino's own), its ServiceAccount and its token lifetime.

import type { Issues } from "../issues";
import type { ConsumerConfig } from "./schema";

/** A consuming team: its own namespace, and a ServiceAccount whose token it receives. */
export interface ConsumerModel {
    readonly name: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly tokenLifetimeSeconds: number;
    readonly quota: ConsumerConfig["quota"];
}

/** Consumers' namespaces are cluster-scoped objects the program creates: prefixed, and none of Domino's own (`taken`). */
export function resolveConsumers(given: readonly ConsumerConfig[], name: string, taken: Map<string, string>, issues: Issues): ConsumerModel[] {
    return given.map((c, i) => {
        const namespace = c.namespace ?? `${name}-${c.name}`;
        if (!namespace.startsWith(`${name}-`))
            issues.add(["consumers", i, "namespace"], `'${namespace}' does not start with '${name}-'; allowed: a name prefixed with the deployment name`);
        if (taken.has(namespace))
            issues.add(["consumers", i, "namespace"], `'${namespace}' is already the ${taken.get(namespace)} namespace; each namespace must be distinct`);
        taken.set(namespace, `consumer ${c.name}`);
        if (given.findIndex((o) => o.name === c.name) !== i)
            issues.add(["consumers", i, "name"], `'${c.name}' is listed twice; each consumer name must be distinct`);
        return { name: c.name, namespace, serviceAccount: `${c.name}-deployer`, tokenLifetimeSeconds: c.tokenLifetimeHours * 3600, quota: c.quota };
    });
}
