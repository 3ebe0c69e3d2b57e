/**
 * Grafana's API listener as the load balancer would route it (tests/support/alb-listener.ts
 * models AWS's documented rule evaluation), with the listener and rules the SelfHostedHub
 * declares: only Grafana's own credentials reach Grafana, and a request carrying the login's
 * identity header never does, however it is spelt or whatever else it carries.
 */
import { expect } from "chai";
import { StackRun } from "../../stacks/plan/run-stack";
import { albRuleLimitBreaches, AlbRequest, AlbRule, routeRequest } from "../support/alb-listener";
import { single } from "../support/components-under-plan";
import { selfHostedHubRun } from "./component-fixture";

describe("self-hosted hub: Grafana's API listener, routed as the load balancer does", function () {
  this.timeout(120_000);
  let run: StackRun;
  let rules: AlbRule[];
  let defaults: Array<Record<string, any>>;
  let grafanaTargetGroup: string;
  before(async () => {
    run = await selfHostedHubRun("dev");
    const listener = single(run.resources, "aws:lb/listener:Listener", (r) => r.inputs.port === 8443);
    defaults = listener.inputs.defaultActions as Array<Record<string, any>>;
    rules = run.resources
      .filter((r) => r.type === "aws:lb/listenerRule:ListenerRule" && r.name.startsWith("hub-selfhosted-lb-grafana-api-"))
      .map((r) => ({ priority: r.inputs.priority as number, conditions: r.inputs.conditions as AlbRule["conditions"], actions: r.inputs.actions as AlbRule["actions"] }));
    // The login listener's forward to Grafana: the same target group.
    const login = single(run.resources, "aws:lb/listenerRule:ListenerRule", (r) => r.name === "hub-selfhosted-lb-grafana");
    grafanaTargetGroup = (login.inputs.actions as Array<Record<string, any>>).find((a) => a.type === "forward")!.targetGroupArn;
  });

  const route = (headers: AlbRequest["headers"]) => {
    const action = routeRequest(rules, defaults, { headers });
    return action.type === "forward" && action.targetGroupArn === grafanaTargetGroup ? "grafana" : `${action.type} ${action.fixedResponse?.statusCode ?? ""}`.trim();
  };

  it("forwards a service account token or the admin's basic auth to Grafana", () => {
    expect(route({ Authorization: ["Bearer glsa_0123456789abcdef_cafe"] })).to.equal("grafana");
    expect(route({ authorization: ["basic YWRtaW46cGFzc3dvcmQ="] })).to.equal("grafana");
  });

  it("refuses anything else: no credentials, another kind of bearer token, a cookie", () => {
    expect(route({})).to.equal("fixed-response 403");
    expect(route({ Authorization: ["Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig"] })).to.equal("fixed-response 403");
    expect(route({ Cookie: ["grafana_session=abc"] })).to.equal("fixed-response 403");
  });

  it("refuses a forged login identity, even beside a valid token, in any case and with any value", () => {
    for (const name of ["X-Amzn-Oidc-Identity", "x-amzn-oidc-identity"]) {
      for (const value of ["admin", ""]) {
        expect(route({ Authorization: ["Bearer glsa_0123456789abcdef_cafe"], [name]: [value] }), `${name}: "${value}"`).to.equal("fixed-response 403");
      }
    }
  });

  it("stays within AWS's limits on rules", () => {
    expect(rules).to.have.length(2);
    expect(albRuleLimitBreaches(rules)).to.deep.equal([]);
    // The model sees a breach when there is one.
    expect(albRuleLimitBreaches([{ ...rules[1], conditions: [{ httpHeader: { httpHeaderName: "Authorization", values: ["a*", "b*", "c*", "d*"] } }] }])).to.deep.equal(["rule 2: 4 values in one condition (at most 3)"]);
  });
});
