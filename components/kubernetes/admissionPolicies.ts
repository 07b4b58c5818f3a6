// The tenancy rules at admission: the twins the pack defines (policy/rules/<name>/
// admission.ts), grouped into ValidatingAdmissionPolicies as the pack groups them
// (policy/admission/policies.ts: the pod-template checks in one policy, every other
// twin in its own), each with its binding, plus the one params ConfigMap they all
// read. Pure: manifests only. The twins come
// from the pack as a package (`domino-tenancy-policy`, a file: dependency like the
// core), so the rule's module stays the one owner of its CEL and the program never
// reaches into policy/ by path.
//
// failurePolicy Fail, and parameterNotFoundAction Deny: a tenancy guard that fails
// open is no guard. The cost: while the params ConfigMap is missing, or a CEL
// expression errors, Domino's matching requests are refused (other tenants are never
// matched). Recovery: `pulumi up` recreates the ConfigMap; `domino.admission.
// validationActions: Warn` or `enabled: false` lifts the refusals meanwhile.

import { deploymentLabel, operatorUsername, recommendedLabels } from "@domino-tenancy/core";
import type * as k8s from "@pulumi/kubernetes";
import {
    type AdmissionPolicy,
    admissionParams,
    admissionPolicies,
    allTwins,
    operatorAccountsCondition,
    operatorConfinementArgs,
    operatorConfinementPolicy,
    paramsName,
} from "domino-tenancy-policy/admission";
import type { DeploymentModel } from "../model/model";
import { installsOperator, tenancyModelArgsOf, tenancyModelDocument } from "./dominoTenancy";
import type { Manifest } from "./manifest";

type PolicySpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec;
type BindingSpec = k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec;
type ResourceRule = AdmissionPolicy["resourceRules"][number];

const copy = (r: ResourceRule) => ({
    ...r,
    apiGroups: [...r.apiGroups],
    apiVersions: [...r.apiVersions],
    resources: [...r.resources],
    operations: [...r.operations],
});

/** Requests by a service account of one of Domino's namespaces: the only writers of cluster-scoped objects a twin judges. */
export function dominoServiceAccountCondition(namespaces: readonly string[]): string {
    const prefixes = namespaces.map((ns) => `'system:serviceaccount:${ns}:'`).join(", ");
    return `[${prefixes}].exists(p, request.userInfo.username.startsWith(p))`;
}

/** A policy's spec: its twins' CEL, the params it reads, and for cluster-scoped objects the service-account condition. */
export function policySpec(policy: AdmissionPolicy, dominoNamespaces: readonly string[]): PolicySpec {
    const byDomino = dominoServiceAccountCondition(dominoNamespaces);
    // Namespaced objects are scoped by the binding's namespaceSelector; a cluster-scoped
    // object has no namespace to select, so only Domino's service accounts' requests count.
    // A cluster-scoped request carries no `namespace` key at all (reading it is an error,
    // and failurePolicy Fail would then deny every tenant's ClusterRole): test with has().
    const condition =
        policy.reach === "cluster" ? byDomino : policy.reach === "both" ? `(has(request.namespace) && request.namespace != '') || ${byDomino}` : undefined;
    return {
        failurePolicy: "Fail",
        paramKind: { apiVersion: "v1", kind: "ConfigMap" },
        matchConstraints: {
            resourceRules: policy.resourceRules.map(copy),
            ...(policy.excludeResourceRules ? { excludeResourceRules: policy.excludeResourceRules.map(copy) } : {}),
        },
        ...(condition ? { matchConditions: [{ name: "domino-service-accounts", expression: condition }] } : {}),
        variables: policy.variables.map((v) => ({ ...v })),
        validations: policy.validations.map((v) => ({ ...v, reason: "Forbidden" })),
    };
}

/** A policy's binding: Domino's namespaces (by the deployment label every one carries), the params, and the configured actions. */
export function bindingSpec(policy: AdmissionPolicy, model: DeploymentModel): BindingSpec {
    return {
        policyName: `${model.name}-${policy.name}`,
        paramRef: { name: paramsName(model.name), namespace: model.namespaces.system, parameterNotFoundAction: "Deny" },
        validationActions: [model.admission.validationActions],
        ...(policy.reach === "cluster" ? {} : { matchResources: { namespaceSelector: { matchLabels: { [deploymentLabel]: model.name } } } }),
    };
}

/** The params ConfigMap, the policies, then the bindings; nothing when admission is off. */
export function buildAdmissionPolicies(model: DeploymentModel): Manifest[] {
    if (!model.admission.enabled) return [];
    const labels = recommendedLabels(model.name, "admission");
    const dominoNamespaces = [...new Set(Object.values(model.namespaces))];
    const policies = admissionPolicies(allTwins());
    const paramsData = admissionParams(tenancyModelDocument(tenancyModelArgsOf(model)));
    const params: Manifest = {
        kind: "ConfigMap",
        metadata: { name: paramsName(model.name), namespace: model.namespaces.system, labels },
        data: paramsData,
    };
    // The operator's writes, confined (operator-writes-confined): only where this stack installs it, bound to its account
    // (the agent Jobs run as the same one) in every namespace and for cluster-scoped objects alike. No params: see the policy.
    const confinement = installsOperator(model) ? operatorConfinementPolicy(operatorConfinementArgs(paramsData)) : undefined;
    const confinementManifests: Manifest[] = confinement
        ? [
              {
                  kind: "ValidatingAdmissionPolicy",
                  metadata: { name: `${model.name}-${confinement.name}`, labels },
                  spec: {
                      failurePolicy: "Fail",
                      matchConstraints: {
                          resourceRules: confinement.resourceRules.map(copy),
                          excludeResourceRules: (confinement.excludeResourceRules ?? []).map(copy),
                      },
                      matchConditions: [
                          { name: "domino-operator-accounts", expression: operatorAccountsCondition([operatorUsername(model.namespaces.system)]) },
                      ],
                      variables: confinement.variables.map((v) => ({ ...v })),
                      validations: confinement.validations.map((v) => ({ ...v, reason: "Forbidden" })),
                  },
              },
              {
                  kind: "ValidatingAdmissionPolicyBinding",
                  metadata: { name: `${model.name}-${confinement.name}`, labels },
                  spec: { policyName: `${model.name}-${confinement.name}`, validationActions: [model.admission.validationActions] },
              },
          ]
        : [];
    return [
        params,
        ...policies.map((p): Manifest => ({
            kind: "ValidatingAdmissionPolicy",
            metadata: { name: `${model.name}-${p.name}`, labels },
            spec: policySpec(p, dominoNamespaces),
        })),
        ...confinementManifests.filter((m) => m.kind === "ValidatingAdmissionPolicy"),
        ...policies.map((p): Manifest => ({
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name: `${model.name}-${p.name}`, labels },
            spec: bindingSpec(p, model),
        })),
        ...confinementManifests.filter((m) => m.kind === "ValidatingAdmissionPolicyBinding"),
    ];
}
