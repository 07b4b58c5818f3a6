// The pure core: everything the program and the policy pack must agree on. No module
// here imports a Pulumi runtime package (test/architecture enforces it), so the pack
// can bundle it and tests can call it without mocks.

export * from "./vocabulary";
export * from "./names";
export * from "./namespaceLabels";
export * from "./nodePools";
export * from "./scheduling";
export * from "./tenancyModel";
export * from "./nodeWorkloads";
export * from "./podSpecs";
export * from "./nodeFunctions";
export * from "./clusterFunctions";
export * from "./platformOperator";
export * from "./placementMutation";
