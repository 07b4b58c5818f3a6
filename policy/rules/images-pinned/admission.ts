// images-pinned at admission: every container's image names a tag other than
// `latest`, or a digest; with requireDigests (params), a digest. A colon after the
// last slash is a tag; one before it belongs to a registry port, as in rule.ts. With
// no digest the image is the whole reference, so "a tag, not empty, not latest" is
// "a colon after the last slash, and no trailing `:` or `:latest`".
import { type AdmissionTwin, everyContainer, podTemplatesPolicy, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "images-pinned";
const tagged = "c.image.lastIndexOf(':') > c.image.lastIndexOf('/') && !c.image.endsWith(':') && !c.image.endsWith(':latest')";

export function imagesPinnedTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            everyContainer(
                rule,
                `c.image.contains('@') || (params.data.requireDigests != 'true' && ${tagged})`,
                "image is not pinned: it needs a tag other than latest, or a digest (only a digest when requireDigests is on)",
            ),
        ],
        previewOnly: "",
    };
}
