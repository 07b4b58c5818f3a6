// storage-dynamic-only at admission: claims (PVCs, StatefulSet claim templates, pod
// ephemeral volumes) on the deployment's storage classes, and static
// PersistentVolumes only when params allowlist them and their name carries a Domino
// namespace. A claim without a class gets the cluster default from the
// DefaultStorageClass admission plugin before this runs, and is judged by that name.
// PersistentVolumes are cluster-scoped: judged when Domino's service accounts create
// them (dynamic provisioners write theirs under their own identities).
import { type AdmissionTwin, lit, paramList, podVariables, podWrapperRules, rules, type Validation } from "../../admission/twin";

const rule = "storage-dynamic-only";
const classes = paramList("storageClasses");
const classOk = (spec: string) => `(has(${spec}.storageClassName) && ${spec}.storageClassName in ${classes})`;
const check = (expression: string, says: string, what: string): Validation => ({
    expression,
    messageExpression: `${lit(`${rule}: `)} + ${what} + ${lit(` ${says}; allowed: `)} + params.data.storageClasses`,
    message: `${rule}: ${says}`,
});

export function storageDynamicOnlyTwin(): AdmissionTwin {
    return {
        rule,
        reach: "both",
        resourceRules: [...podWrapperRules, rules("", ["persistentvolumeclaims"]), rules("", ["persistentvolumes"])],
        variables: podVariables,
        validations: [
            check(
                `object.kind != 'PersistentVolumeClaim' || ${classOk("object.spec")}`,
                "uses a storage class that is not the deployment's",
                "'PersistentVolumeClaim ' + variables.workload",
            ),
            check(
                `object.kind != 'StatefulSet' || !has(object.spec.volumeClaimTemplates) || object.spec.volumeClaimTemplates.all(t, has(t.spec) && ${classOk("t.spec")})`,
                "has a claim template on a storage class that is not the deployment's",
                "'StatefulSet ' + variables.workload",
            ),
            check(
                `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.ephemeral) || (has(v.ephemeral.volumeClaimTemplate) && has(v.ephemeral.volumeClaimTemplate.spec) && ${classOk("v.ephemeral.volumeClaimTemplate.spec")}))`,
                "has an ephemeral volume on a storage class that is not the deployment's",
                "object.kind + ' ' + variables.workload",
            ),
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
