// Domino's promise: API Priority and Fairness classifies Domino's service accounts'
// requests into Domino's own FlowSchema, so a burst of Domino's queues behind Domino's
// priority level, not every tenant's. The API server says which FlowSchema classified a
// request (response header X-Kubernetes-PF-FlowSchema-UID): each Domino service account
// makes one read, as itself, and the header must be Domino's FlowSchema's uid.

import type { Check, Probe } from "../probe";
import { dominoWorkload, serviceAccount } from "../target";
import { platformServiceAccount } from "../../kubernetes/dominoTenancy";

interface Named {
    metadata: { name: string; uid: string };
    spec?: { matchingPrecedence?: number; priorityLevelConfiguration?: { name: string } };
}
interface List {
    items?: Named[];
}

export const flowSchemaName = (deploymentName: string) => `${deploymentName}-service-accounts`;

export const flowSchema: Probe = {
    id: "domino-flow-schema",
    title: "API Priority and Fairness puts Domino's service accounts' requests in Domino's FlowSchema",
    remediation:
        "restore the <deployment>-service-accounts FlowSchema and PriorityLevelConfiguration (`pulumi up`); a FlowSchema with a lower matchingPrecedence matching the same accounts takes them first",
    async run(ctx) {
        const t = ctx.target;
        const r = await ctx.client.get<List>("/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas");
        if (r.status >= 300) throw new Error(`listing FlowSchemas answered ${r.status}: ${r.message}`);
        const byUid = new Map((r.body.items ?? []).map((f) => [f.metadata.uid, f]));
        const ours = (r.body.items ?? []).find((f) => f.metadata.name === flowSchemaName(t.deploymentName));
        const checks: Check[] = [];
        for (const as of [dominoWorkload(t), serviceAccount(t.namespaces.platform, platformServiceAccount)]) {
            const ns = as.user.split(":")[2];
            const a = await ctx.client.get(`/api/v1/namespaces/${ns}/configmaps?limit=1`, as);
            const uid = String(a.headers["x-kubernetes-pf-flowschema-uid"] ?? "");
            const got = byUid.get(uid);
            checks.push({
                identity: as.label,
                request: `GET configmaps in ${ns}: which FlowSchema classified it (X-Kubernetes-PF-FlowSchema-UID)`,
                expected: ours ? `${ours.metadata.name} (uid ${ours.metadata.uid})` : `${flowSchemaName(t.deploymentName)}, which does not exist`,
                actual: uid
                    ? got
                        ? `${got.metadata.name} (precedence ${got.spec?.matchingPrecedence ?? "?"})`
                        : `uid ${uid}, not a FlowSchema listed`
                    : "no classification header",
                holds: ours !== undefined && uid === ours.metadata.uid,
            });
        }
        return { checks };
    },
};
