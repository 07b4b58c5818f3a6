// storage-dynamic-only at admission: claims (PVCs, StatefulSet claim templates, pod
// ephemeral volumes) on the deployment's storage classes, and static
// PersistentVolumes only when params allowlist them and their name carries a Domino
// namespace. A claim without a class gets the cluster default from the
// DefaultStorageClass admission plugin before this runs, and is judged by that name.
// PersistentVolumes are cluster-scoped: judged when Domino's service accounts create
// them (dynamic provisioners write theirs under their own identities).
// Two twins, one rule: the pod-template checks join the pod-template policy, the
// claims and volumes have a policy of their own.
import { type AdmissionTwin, onWorkload, paramList, podTemplatesPolicy, podVariables, podWrapperRules, rules } from "../../admission/twin";

const rule = "storage-dynamic-only";
const classes = paramList("storageClasses");
const classOk = (spec: string) => `(has(${spec}.storageClassName) && ${spec}.storageClassName in ${classes})`;

/** Claim templates of StatefulSets and ephemeral volumes of every pod template. */
export function storageDynamicOnlyTemplatesTwin(): AdmissionTwin {
    return {
        rule,
        policy: podTemplatesPolicy,
        reach: "namespaced",
        resourceRules: podWrapperRules,
        variables: podVariables,
        validations: [
            onWorkload(
                rule,
                `(object.kind != 'StatefulSet' || !has(object.spec.volumeClaimTemplates) || object.spec.volumeClaimTemplates.all(t, has(t.spec) && ${classOk("t.spec")})) && ` +
                    `variables.volumes.all(v, !has(v.ephemeral) || (has(v.ephemeral.volumeClaimTemplate) && has(v.ephemeral.volumeClaimTemplate.spec) && ${classOk("v.ephemeral.volumeClaimTemplate.spec")}))`,
                "has a claim template or an ephemeral volume on a storage class that is not the deployment's",
            ),
        ],
        previewOnly: "",
    };
}

/** PersistentVolumeClaims in Domino's namespaces, and PersistentVolumes Domino's service accounts write. */
export function storageDynamicOnlyTwin(): AdmissionTwin {
    return {
        rule,
        policy: rule,
        reach: "both",
        resourceRules: [rules("", ["persistentvolumeclaims"]), rules("", ["persistentvolumes"])],
        variables: [],
        validations: [
            {
                expression: `object.kind != 'PersistentVolumeClaim' || ${classOk("object.spec")}`,
                messageExpression: `'${rule}: PersistentVolumeClaim ' + request.namespace + '/' + object.metadata.name + ' uses a storage class that is not the deployment\\'s; allowed: ' + params.data.storageClasses`,
                message: `${rule}: the claim uses a storage class that is not the deployment's`,
            },
            {
                expression: `object.kind != 'PersistentVolume' || object.metadata.name in ${paramList("persistentVolumes")}`,
                messageExpression: `'${rule}: PersistentVolume ' + object.metadata.name + ' is static; only allowlisted shared mounts may be'`,
                message: `${rule}: a static PersistentVolume is not allowlisted`,
            },
            {
                expression: `object.kind != 'PersistentVolume' || ${paramList("namespaces")}.exists(n, object.metadata.name.contains(n))`,
                messageExpression: `'${rule}: PersistentVolume ' + object.metadata.name + ' does not include the Domino namespace it serves'`,
                message: `${rule}: a static PersistentVolume's name does not include the Domino namespace it serves`,
            },
        ],
        previewOnly: "",
    };
}
