// The closed sets of words the whole program shares: one list each, so the config
// schema, the model, the exports contract and the policy pack cannot disagree.

/** Where the cluster runs: a cloud whose node pools the program creates, or any adopted cluster. */
export const cloudNames = ["aws", "gcp", "existing"] as const;
export type CloudName = (typeof cloudNames)[number];

/** What runs on a Domino node pool. */
export const poolRoles = ["platform", "compute", "gpu"] as const;
export type PoolRole = (typeof poolRoles)[number];

/** Kubernetes taint effects. */
export const taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
export type TaintEffect = (typeof taintEffects)[number];

/** Pod Security Standards levels, most permissive first. */
export const podSecurityLevels = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof podSecurityLevels)[number];

/** How Domino shares its nodes: shared pools also take other tenants' work; dedicated pools do not. */
export const isolationModes = ["shared", "dedicated"] as const;
export type Isolation = (typeof isolationModes)[number];
