// Entry point for `pulumi up` in examples/consumer: the producer stack to read comes
// from config (`pulumi config set producerStack org/domino-tenancy/dev-aws`).
import * as pulumi from "@pulumi/pulumi";
import { deployConsumer } from "./program";

const config = new pulumi.Config();

export = deployConsumer({ producerStack: config.require("producerStack"), image: config.get("image") });
