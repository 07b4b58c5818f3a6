// images-pinned
import { containersOf, describeContainer, podTemplateOf } from "../../lib/resources";
import { resourceRule, schema } from "../../lib/rule";

/** Splits an image reference into its tag and digest (either may be absent). */
export function imageReference(image: string): { tag?: string; digest?: string } {
    const [rest, digest] = image.split("@", 2);
    const lastSlash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    // A colon before the last slash belongs to a registry port, not a tag.
    const tag = colon > lastSlash ? rest.slice(colon + 1) : undefined;
    return { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export const imagesPinned = resourceRule({
    name: "images-pinned",
    description:
        "An untagged or `latest` image changes under a running deployment: nodes pull different code at different times, a preview shows no diff for it, and nobody reviewed what runs next to other tenants. Every image names a version; with requireDigests, an immutable digest.",
    defaults: { requireDigests: false },
    configSchema: { properties: { requireDigests: { ...schema.boolean, description: "require an @sha256 digest on every image" } } },
    check(r, config) {
        const pod = podTemplateOf(r);
        if (!pod) return [];
        const out: string[] = [];
        for (const c of containersOf(pod.spec)) {
            const image = String(c.container.image ?? "");
            const ref = imageReference(image);
            const where = `${pod.kind} ${pod.workload}: ${describeContainer(c)}`;
            if (config.requireDigests && !ref.digest) out.push(`${where} image '${image}' has no digest (requireDigests is on)`);
            else if (!ref.digest && (!ref.tag || ref.tag === "latest")) out.push(`${where} image '${image}' is not pinned to a version`);
        }
        return out;
    },
});
