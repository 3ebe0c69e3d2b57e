/**
 * The internal Application Load Balancer in front of the hub: one TLS listener; each
 * Prometheus server's ingest proxy under its own path prefix (`/prometheus-a/*`), which the
 * proxy also serves under; Grafana under its host name, behind the listener's Cognito login.
 * Anything else gets 404.
 *
 * A second TLS listener (port 8443, reachable from the deployments' networks only) is
 * Grafana's API for the stacks that manage its folders, data sources and dashboards with the
 * Grafana provider, which cannot pass a browser login. It forwards only requests that carry
 * Grafana's own credentials (a service account token, or the admin's basic auth that creates
 * it), and refuses any request carrying the identity header Grafana trusts from the login
 * listener: here no login put it there, so it could only be forged.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "./security-groups";

export interface CognitoLogin {
  userPoolArn: string;
  userPoolClientId: string;
  userPoolDomain: string;
}

export interface HubLoadBalancerArgs {
  vpcId: string;
  subnetIds: string[];
  securityGroupId: pulumi.Input<string>;
  certificateArn: string;
  /** Base paths of the Prometheus servers' proxies, e.g. ["/prometheus-a", "/prometheus-b"]. */
  proxyBasePaths: string[];
  grafanaHostName: string;
  login: CognitoLogin;
  /** The header Grafana takes the signed-in user from (its auth proxy). */
  identityHeader: string;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

/** TLS 1.3 with 1.2 fallback, AWS's recommended policy for new listeners. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export class HubLoadBalancer extends pulumi.ComponentResource {
  public readonly dnsName: pulumi.Output<string>;
  public readonly proxyTargetGroupArns: pulumi.Output<string>[];
  public readonly grafanaTargetGroupArn: pulumi.Output<string>;
  public readonly listenerArn: pulumi.Output<string>;

  constructor(name: string, args: HubLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:HubLoadBalancer", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    const loadBalancer = new aws.lb.LoadBalancer(name, {
      name,
      internal: true,
      loadBalancerType: "application",
      subnets: args.subnetIds,
      securityGroups: [args.securityGroupId],
      dropInvalidHeaderFields: true,
      tags: args.tags,
    }, child);
    const listener = new aws.lb.Listener(name, {
      loadBalancerArn: loadBalancer.arn,
      port: PORTS.https,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: args.certificateArn,
      defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "not found" } }],
      tags: args.tags,
    }, child);

    this.proxyTargetGroupArns = args.proxyBasePaths.map((basePath, index) => {
      const suffix = basePath.replace(/^\//, "");
      const targetGroup = new aws.lb.TargetGroup(`${name}-${suffix}`, {
        name: `${name}-${suffix}`.slice(0, 32),
        vpcId: args.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: PORTS.ingestProxy,
        healthCheck: { path: `${basePath}/-/healthy`, matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
        deregistrationDelay: 30,
        tags: args.tags,
      }, child);
      new aws.lb.ListenerRule(`${name}-${suffix}`, {
        listenerArn: listener.arn,
        priority: 10 + index,
        conditions: [{ pathPattern: { values: [`${basePath}/*`] } }],
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: args.tags,
      }, child);
      return targetGroup.arn;
    });

    const grafana = new aws.lb.TargetGroup(`${name}-grafana`, {
      name: `${name}-grafana`.slice(0, 32),
      vpcId: args.vpcId,
      targetType: "ip",
      protocol: "HTTP",
      port: PORTS.grafana,
      healthCheck: { path: "/api/health", matcher: "200", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
      tags: args.tags,
    }, child);
    new aws.lb.ListenerRule(`${name}-grafana`, {
      listenerArn: listener.arn,
      priority: 1,
      conditions: [{ hostHeader: { values: [args.grafanaHostName] } }],
      actions: [
        {
          type: "authenticate-cognito",
          order: 1,
          authenticateCognito: { ...args.login, onUnauthenticatedRequest: "authenticate", sessionTimeout: 43_200 },
        },
        { type: "forward", order: 2, targetGroupArn: grafana.arn },
      ],
      tags: args.tags,
    }, child);

    const api = new aws.lb.Listener(`${name}-grafana-api`, {
      loadBalancerArn: loadBalancer.arn,
      port: PORTS.grafanaApi,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: args.certificateArn,
      defaultActions: [FORBIDDEN],
      tags: args.tags,
    }, child);
    for (const [rule, priority, conditions, action] of grafanaApiRules(args.identityHeader, grafana.arn)) {
      new aws.lb.ListenerRule(`${name}-grafana-api-${rule}`, { listenerArn: api.arn, priority, conditions, actions: [action], tags: args.tags }, child);
    }

    this.dnsName = loadBalancer.dnsName;
    this.grafanaTargetGroupArn = grafana.arn;
    this.listenerArn = listener.arn;
    this.registerOutputs({ dnsName: this.dnsName });
  }
}

const FORBIDDEN = { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "forbidden" } };

/** Grafana's service account tokens start with `glsa_`; the admin's basic auth only creates the first one. */
export const GRAFANA_API_CREDENTIALS = ["Bearer glsa_*", "Basic *"];

/**
 * The API listener's rules, in priority order: a request with the login identity header is
 * refused whatever else it carries; one with Grafana's own credentials is forwarded; the
 * listener's default refuses the rest.
 */
export function grafanaApiRules(identityHeader: string, grafanaTargetGroupArn: pulumi.Input<string>): Array<[string, number, aws.types.input.lb.ListenerRuleCondition[], aws.types.input.lb.ListenerRuleAction]> {
  return [
    ["forged-identity", 1, [{ httpHeader: { httpHeaderName: identityHeader, values: ["*"] } }], FORBIDDEN],
    ["credentials", 2, [{ httpHeader: { httpHeaderName: "Authorization", values: GRAFANA_API_CREDENTIALS } }], { type: "forward", targetGroupArn: grafanaTargetGroupArn }],
  ];
}
