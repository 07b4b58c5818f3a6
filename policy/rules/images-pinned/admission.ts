// images-pinned at admission: every container's image names a tag other than
// `latest`, or a digest; with requireDigests (params), a digest. A colon after the
// last slash is a tag; one before it belongs to a registry port, as in rule.ts.
import { type AdmissionTwin, everyContainer, podVariables, podWrapperRules } from "../../admission/twin";

const rule = "images-pinned";
const tag =
    "(c.image.split('@')[0].lastIndexOf(':') > c.image.split('@')[0].lastIndexOf('/') ? c.image.split('@')[0].substring(c.image.split('@')[0].lastIndexOf(':') + 1) : '')";
const digest = "c.image.contains('@')";

export function imagesPinnedTwin(): AdmissionTwin {
    return {
        rule,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            everyContainer(rule, `${digest} || (${tag} != '' && ${tag} != 'latest')`, "not pinned to a version (no tag, or latest)"),
            everyContainer(rule, `params.data.requireDigests != 'true' || ${digest}`, "have no digest (requireDigests is on)"),
        ],
        previewOnly: "",
    };
}
