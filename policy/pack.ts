// Constructs the policy pack. Constructing a PolicyPack starts its gRPC server and
// keeps the process alive, so this file is imported by the engine's runner only;
// tests and the plan checker import ./rules instead.

import { PolicyPack } from "@pulumi/policy";
import { allRules } from "./rules";

new PolicyPack("domino-tenancy", {
    description:
        "Keeps Domino a well-behaved tenant of a shared Kubernetes cluster: names, node scope, host access, privileges, quotas, network isolation and scheduling.",
    policies: [...allRules],
});
