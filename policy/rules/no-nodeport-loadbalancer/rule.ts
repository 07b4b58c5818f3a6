// no-nodeport-loadbalancer
import { matchesWorkload, ServiceException } from "../../lib/exceptions";
import { k8sKind, objectRef } from "../../lib/resources";
import { deploymentRule, schema } from "../../lib/rule";

export const noNodeportLoadbalancer = deploymentRule({
    name: "no-nodeport-loadbalancer",
    description:
        "A NodePort opens the same port on every node of the cluster, other tenants' included, and a LoadBalancer exposes a service outside the cluster's ingress and its controls. Domino is reached through the ingress controller; only the configured ingress service may use either type.",
    defaults: { allowedServices: [] as ServiceException[] },
    configSchema: {
        properties: {
            allowedServices: schema.list(
                { service: schema.string, types: { type: "array", items: { type: "string", enum: ["NodePort", "LoadBalancer"] } }, reason: schema.string },
                ["service", "types", "reason"],
                "the ingress service(s) allowed to be NodePort or LoadBalancer (<namespace>/<name>)",
            ),
        },
    },
    check(r, ctx, config) {
        if (k8sKind(r.type) !== "Service") return [];
        const type = String((r.props.spec as { type?: unknown } | undefined)?.type ?? "ClusterIP");
        if (type !== "NodePort" && type !== "LoadBalancer") return [];
        const ref = objectRef(r);
        const allowed = config.allowedServices.some((e) => matchesWorkload(e.service, ctx.name, ref) && e.types.includes(type));
        return allowed ? [] : [`Service ${ref} is of type ${type}; only the configured ingress may be`];
    },
});
