// The live facts source preview uses: a kubeconfig's text, read-only client, facts.
import * as fs from "fs";
import type { FactsSource } from "./atPreview";
import { readOnlyClient } from "./client";
import { gatherFacts } from "./facts";
import { credentialsFrom, KubeconfigError } from "../cloud/kubeconfigReader";

/** A kubeconfig file; `describe` says where its path came from. */
export function kubeconfigFileSource(file: string, context: string | undefined, describe: string): FactsSource {
    return {
        describe,
        gather: () => {
            if (!fs.existsSync(file)) return Promise.reject(new KubeconfigError(`kubeconfig ${file} does not exist`));
            return gatherFacts(readOnlyClient(credentialsFrom(fs.readFileSync(file, "utf8"), file, context)));
        },
    };
}

/** A kubeconfig's contents (the secret config value); relative file references resolve against `cwd`. */
export function kubeconfigTextSource(text: string, cwd: string, context: string | undefined, describe: string): FactsSource {
    return {
        describe,
        gather: async () => {
            const creds = credentialsFrom(text, `${cwd}/kubeconfig`, context);
            try {
                return await gatherFacts(readOnlyClient(creds));
            } catch (err) {
                // The server is part of the secret: errors name it generically, by URL, host:port or host.
                const url = new URL(creds.server);
                let message = String((err as Error).message);
                for (const s of [creds.server, url.host, url.hostname]) message = message.split(s).join("the secret kubeconfig's server");
                // No `cause`: the original error names the secret server.
                // eslint-disable-next-line preserve-caught-error
                throw new Error(message);
            }
        },
    };
}
