// Entry point for `pulumi up` in examples/consumer: the producer stack to read comes
// from config (`pulumi config set producerStack org/domino-tenancy/dev-aws`), this team's
// name in its tenancy.consumers too (`pulumi config set consumer feature-store`).
import * as pulumi from "@pulumi/pulumi";
import { deployConsumer } from "./program";

const config = new pulumi.Config();

export = deployConsumer({ producerStack: config.require("producerStack"), consumer: config.require("consumer"), image: config.get("image") });
