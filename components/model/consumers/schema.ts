// Consuming teams: the config of each team's namespace, token and quota.

import { z } from "zod";
import { dnsLabel, quantity } from "../primitives";

export const consumersConfig = z
    .array(
        z.strictObject({
            name: dnsLabel
                .refine((v) => v.length <= 40, { error: "must be at most 40 characters, so that the derived names stay within 63" })
                .describe("The consuming team's name: names its ServiceAccount and, by default, its namespace."),
            namespace: dnsLabel
                .optional()
                .describe("The namespace the team deploys into, created by the program. Default: `<domino.name>-<name>`; must start with `<domino.name>-`."),
            tokenLifetimeHours: z
                .number()
                .int()
                .min(24)
                .max(2160)
                .default(720)
                .describe(
                    "Lifetime asked of the TokenRequest API for the team's token (24h to 90 days; the API server may shorten it). `pulumi up` renews it once less than a third is left.",
                ),
            quota: z
                .strictObject({
                    cpu: quantity.default("4").describe("CPU requests and limits, each in total."),
                    memory: quantity.default("16Gi").describe("Memory requests and limits, each in total."),
                    pods: z.number().int().min(1).default(20).describe("Pods."),
                })
                .prefault({})
                .describe("ResourceQuota of the team's namespace: its pods land on Domino's compute nodes, so it is bounded."),
        }),
    )
    .default([])
    .describe("Consuming teams: each gets its own namespace and a kubeconfig scoped to deploying there and reading the exports, from a ServiceAccount token.");

export type ConsumerConfig = z.output<typeof consumersConfig>[number];
