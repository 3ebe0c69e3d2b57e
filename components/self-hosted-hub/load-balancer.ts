/**
 * The internal Application Load Balancer in front of the hub: one TLS listener; each
 * Prometheus server's ingest proxy under its own path prefix (`/prometheus-a/*`), which the
 * proxy also serves under; Grafana under its host name, behind the listener's Cognito login.
 * Anything else gets 404.
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

    this.dnsName = loadBalancer.dnsName;
    this.grafanaTargetGroupArn = grafana.arn;
    this.listenerArn = listener.arn;
    this.registerOutputs({ dnsName: this.dnsName });
  }
}
