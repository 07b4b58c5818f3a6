// storage-dynamic-only
import { expand, PersistentVolumeException } from "../../lib/exceptions";
import { k8sKind, metadataOf, objectRef, podTemplateOf } from "../../lib/resources";
import { Finding, schema, stackRule } from "../../lib/rule";

export const storageDynamicOnly = stackRule({
    name: "storage-dynamic-only",
    description:
        "A static PersistentVolume can point at any disk or share, another tenant's included, and a claim can bind to a volume that someone else released with their data still on it. Domino's storage is provisioned on demand through its own storage classes; the only static volumes are allowlisted shared mounts whose names carry the namespace they serve.",
    defaults: { allowedPersistentVolumes: [] as PersistentVolumeException[] },
    configSchema: {
        properties: {
            allowedPersistentVolumes: schema.list(
                { name: schema.string, reason: schema.string },
                ["name", "reason"],
                "static PersistentVolumes allowed (shared mounts)",
            ),
        },
    },
    check(resources, ctx, config) {
        const out: Finding[] = [];
        const classes = [ctx.model.storageClasses.block, ctx.model.storageClasses.shared];
        const namespaces = Object.values(ctx.namespaces);
        const claimClass = (where: string, urn: string, spec: { storageClassName?: unknown } | undefined) => {
            const cls = spec?.storageClassName;
            if (typeof cls !== "string" || !classes.includes(cls)) {
                out.push({
                    urn,
                    message: `${where} uses storage class ${cls === undefined ? "(cluster default)" : `'${String(cls)}'`}; allowed: ${classes.join(", ")}`,
                });
            }
        };
        for (const r of resources) {
            const kind = k8sKind(r.type);
            if (kind === "PersistentVolume") {
                const name = metadataOf(r.props).name ?? "";
                const allowed = config.allowedPersistentVolumes.some((e) => expand(e.name, ctx.name) === name);
                if (!allowed) out.push({ urn: r.urn, message: `PersistentVolume ${name} is static; only allowlisted shared mounts may be` });
                else if (!namespaces.some((ns) => name.includes(ns)))
                    out.push({ urn: r.urn, message: `PersistentVolume ${name} is allowlisted but its name does not include the Domino namespace it serves` });
            } else if (kind === "PersistentVolumeClaim") {
                claimClass(`PersistentVolumeClaim ${objectRef(r)}`, r.urn, r.props.spec as { storageClassName?: unknown });
            } else if (kind === "StatefulSet") {
                const templates = ((r.props.spec as { volumeClaimTemplates?: unknown[] } | undefined)?.volumeClaimTemplates ?? []) as {
                    metadata?: { name?: string };
                    spec?: { storageClassName?: unknown };
                }[];
                for (const t of templates) claimClass(`StatefulSet ${objectRef(r)} claim template '${t.metadata?.name ?? ""}'`, r.urn, t.spec);
            }
            const pod = podTemplateOf(r);
            for (const v of (pod?.spec.volumes ?? []) as { name: string; ephemeral?: { volumeClaimTemplate?: { spec?: { storageClassName?: unknown } } } }[]) {
                if (v.ephemeral) claimClass(`${pod?.kind} ${pod?.workload} ephemeral volume '${v.name}'`, r.urn, v.ephemeral.volumeClaimTemplate?.spec);
            }
        }
        return out;
    },
});
