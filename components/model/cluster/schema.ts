// The cluster Domino runs in, on any cloud: the config. Which field each cloud uses is
// checked in ./aws.ts, ./gcp.ts and ./existing.ts.

import { z } from "zod";
import { dnsLabel } from "../primitives";

/** An IAM role's ARN (access entries name roles, never assumed-role sessions). */
const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, {
    error: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy",
});

// GKE stores maintenance times in UTC and shows any other form as a permanent diff, so only Zulu times are accepted.
const utcTime = z.iso.datetime({ error: "must be an RFC 3339 time in UTC such as 2026-01-03T04:00:00Z (GKE keeps UTC; other forms show a permanent diff)" });
const rrulePattern = /^FREQ=(DAILY|WEEKLY|MONTHLY)(;(BYDAY|BYMONTHDAY|BYMONTH|BYSETPOS|INTERVAL|COUNT|UNTIL|WKST)=[A-Z0-9,+-]+)*$/;

/** GKE's maintenance exclusion scopes: what an exclusion holds back. */
export const gkeExclusionScopes = ["NO_UPGRADES", "NO_MINOR_UPGRADES", "NO_MINOR_OR_NODE_UPGRADES"] as const;

const maintenanceWindow = z.strictObject({
    start: utcTime.describe("Start of the first window (UTC)."),
    end: utcTime.describe("End of the first window (UTC): with start, every window's length (at least 4 hours)."),
    recurrence: z
        .string()
        .regex(rrulePattern, { error: "must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SA,SU (FREQ DAILY, WEEKLY or MONTHLY first)" })
        .describe("When the window recurs, as an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=SA,SU."),
});

const maintenanceExclusion = z.strictObject({
    name: z.string().min(1).max(63).describe("Exclusion name, unique in the list."),
    start: utcTime.describe("Start (UTC)."),
    end: utcTime.describe("End (UTC); NO_UPGRADES lasts at most 30 days."),
    scope: z
        .enum(gkeExclusionScopes)
        .default("NO_UPGRADES")
        .describe("What is held back: NO_UPGRADES (all, at most 30 days), NO_MINOR_UPGRADES, or NO_MINOR_OR_NODE_UPGRADES."),
});

export const clusterConfig = z
    .strictObject({
        /** create a new cluster, or adopt one that exists (aws/gcp by name; existing always adopts). */
        mode: z
            .enum(["create", "adopt"])
            .optional()
            .describe("create a new cluster, or adopt one that exists (aws, gcp: by name). Default: create; existing always adopts."),
        name: dnsLabel
            .max(40, { error: "must be at most 40 characters" })
            .optional()
            .describe("Cluster name; required with aws and gcp. Default: the stack name."),
        region: z.string().min(1).optional().describe("AWS region such as us-west-2; required with aws, aws only."),
        location: z.string().min(1).optional().describe("GCP region such as us-central1, or a zone; required with gcp, gcp only."),
        project: z.string().min(1).optional().describe("GCP project ID (gcp only). Default: the provider's project."),
        kubernetesVersion: z
            .string()
            .regex(/^1\.[0-9]+$/, { error: "must be a minor version such as 1.33" })
            .optional()
            .describe("Kubernetes minor version of a created cluster (aws, gcp). Default: the cloud's."),
        subnetIds: z
            .array(z.string().min(1))
            .optional()
            .describe("Subnets of a created EKS cluster: at least two, in different availability zones (aws only)."),
        access: z
            .strictObject({
                deployRoleArns: z
                    .array(iamRoleArn)
                    .default([])
                    .describe(
                        "IAM roles that deploy the stack (the deploy workflow's OIDC role): each gets an EKS access entry with AmazonEKSClusterAdminPolicy. When set, the creator's implicit admin entry is not made, so list the role that runs `pulumi up` here.",
                    ),
                previewRoleArns: z
                    .array(iamRoleArn)
                    .default([])
                    .describe("IAM roles that only preview (the pull-request and drift workflows' roles): each gets an access entry with AmazonEKSViewPolicy."),
            })
            .optional()
            .describe(
                "aws only, created clusters: who reaches the API, as EKS access entries (authentication mode API). Default: only the identity that creates the cluster.",
            ),
        releaseChannel: z
            .enum(["RAPID", "REGULAR", "STABLE", "EXTENDED"])
            .optional()
            .describe("GKE release channel of a created cluster, which upgrades it from kubernetesVersion on (gcp only). Default: REGULAR."),
        maintenance: z
            .strictObject({
                window: maintenanceWindow
                    .optional()
                    .describe(
                        "When GKE may upgrade and repair: one recurring window, at least 48 hours in any 32 days. Default: weekends, Saturday and Sunday 04:00-12:00 UTC.",
                    ),
                exclusions: z
                    .array(maintenanceExclusion.describe("One period when GKE holds upgrades back."))
                    .max(20, { error: "GKE allows at most 20 maintenance exclusions" })
                    .default([])
                    .describe("Periods when GKE holds upgrades back, such as a release freeze."),
            })
            .optional()
            .describe("Maintenance window and exclusions of a created GKE cluster (gcp only)."),
        systemPool: z
            .strictObject({
                machineType: z.string().min(1).optional().describe("Instance or machine type. Default: m6i.large (aws), e2-standard-4 (gcp)."),
                nodes: z
                    .number()
                    .int({ error: "must be a whole number" })
                    .min(1, { error: "must be at least 1" })
                    .max(20, { error: "must be at most 20" })
                    .optional()
                    .describe("Fixed node count (the autoscaler leaves this pool alone). Default: 2."),
            })
            .optional()
            .describe(
                "The created cluster's own pool (aws, gcp, mode create): untainted, without Domino's labels, for the cluster's system workloads (DNS, the CSI controllers) and other tenants. Created with isolation dedicated, where every Domino pool is tainted; with shared isolation only when set.",
            ),
        network: z.string().min(1).optional().describe("VPC network of a created GKE cluster (gcp only)."),
        subnetwork: z.string().min(1).optional().describe("Subnetwork of a created GKE cluster (gcp only)."),
        /** existing clusters: a kubeconfig file to read; the secret `kubeconfig` key or $KUBECONFIG otherwise. */
        kubeconfigPath: z
            .string()
            .min(1)
            .optional()
            .describe(
                "existing only: a kubeconfig file to read (relative to the project, or ~/). The secret config value `kubeconfig` wins over it; $KUBECONFIG is the fallback.",
            ),
        /** kubeconfig context to use; @default the file's current context. */
        context: z.string().min(1).optional().describe("existing only: the kubeconfig context to use. Default: the file's current context."),
    })
    .default({})
    .describe("The cluster Domino runs in.");

export type ClusterConfig = z.output<typeof clusterConfig>;
