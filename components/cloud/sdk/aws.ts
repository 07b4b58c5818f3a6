// The parts of @pulumi/aws the program uses, by service: `import * as aws from ".../sdk/aws"`
// reads like the package's root. Importing the root makes the type check read every AWS
// service's declarations (some 2,700 files, most of the type check's time); these services
// are a fraction of that.

export * as autoscaling from "@pulumi/aws/autoscaling";
export * as ec2 from "@pulumi/aws/ec2";
export * as efs from "@pulumi/aws/efs";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as vpc from "@pulumi/aws/vpc";
export { Provider } from "@pulumi/aws/provider";
export type { Region } from "@pulumi/aws/types/enums";

// At run time the root registers the package with the SDK (to rebuild its resources and provider
// from references); a plain require keeps that without the type check reading the root's types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("@pulumi/aws");
