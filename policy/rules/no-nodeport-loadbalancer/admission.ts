// no-nodeport-loadbalancer at admission: a Service of type NodePort or LoadBalancer
// only when params allow `namespace/name:Type`.
import { type AdmissionTwin, paramList, rules } from "../../admission/twin";

const rule = "no-nodeport-loadbalancer";

export function noNodeportLoadbalancerTwin(): AdmissionTwin {
    return {
        rule,
        policy: rule,
        reach: "namespaced",
        resourceRules: [rules("", ["services"])],
        variables: [],
        validations: [
            {
                expression: `!has(object.spec.type) || !(object.spec.type in ['NodePort', 'LoadBalancer']) || (request.namespace + '/' + object.metadata.name + ':' + object.spec.type) in ${paramList("services")}`,
                messageExpression: `'${rule}: Service ' + request.namespace + '/' + object.metadata.name + ' is of type ' + object.spec.type + '; only the configured ingress may be'`,
                message: `${rule}: only the configured ingress may be a NodePort or LoadBalancer Service`,
            },
        ],
        previewOnly: "",
    };
}
