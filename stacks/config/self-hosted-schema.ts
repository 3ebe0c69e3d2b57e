/**
 * Config of the self-hosted hub backend (`hub.backend: self-hosted`): where it runs, how it is
 * reached, how big it is. Kept apart from schema.ts so the managed backend's keys stay as they are.
 */
import { z } from "zod";

const subnetIdSchema = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id (subnet-...)");
const dnsNameSchema = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name such as metrics.observability.example.com");
const cidrSchema = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR")
  .refine((cidr) => !cidr.endsWith("/0"), { message: "must name a network, not the whole internet" });

export const selfHostedHubSchema = z
  .object({
    sizing: z.enum(["dev", "prod"])
      .describe("Task sizes, retention and servers: `dev` (one Prometheus server of 1 vCPU / 4 GB, 7 days) or `prod` (two independent servers of 4 vCPU / 16 GB each receiving every write, 90 days)."),
    retentionTime: z.string().regex(/^\d+(d|w|y)$/, "must be a Prometheus retention such as 7d, 13w or 1y").optional()
      .describe("How long Prometheus keeps samples; default the sizing's (dev `7d`, prod `90d`)."),
    retentionSize: z.string().regex(/^\d+(MB|GB|TB)$/, "must be a size such as 50GB").optional()
      .describe("Size at which Prometheus deletes the oldest blocks even within `retentionTime`; default the sizing's (dev `50GB`, prod `900GB`)."),
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id (vpc-...)").describe("VPC of the hub account the tasks, the load balancer and the file system run in."),
    privateSubnetIds: z.array(subnetIdSchema).min(2, "needs private subnets in at least two zones")
      .describe("Private subnets (two or more zones) for the tasks, EFS mount targets and the internal load balancer; they need a NAT gateway or interface endpoints to reach AWS APIs and image registries."),
    collectorCidrs: z.array(cidrSchema).min(1, "needs the networks the collectors write from")
      .describe("Networks the workload collectors reach the internal load balancer from (peered VPCs, transit gateway ranges); only these reach port 443."),
    automationCidrs: z.array(cidrSchema).min(1, "needs the networks the deployments run from").max(50)
      .describe("Networks `pulumi up` runs from (CI runners, the operators' VPN): only these reach Grafana's API listener (port 8443), through which the hub stacks manage its folders, data sources and dashboards with a Grafana service account token."),
    certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN")
      .describe("ACM certificate of the load balancer's TLS listener, valid for `ingestHostName` and `grafanaHostName`."),
    ingestHostName: dnsNameSchema.describe("DNS name collectors write to and Grafana queries through (point it at the load balancer)."),
    grafanaHostName: dnsNameSchema.describe("DNS name of Grafana (point it at the load balancer); requests for it go through the Cognito login."),
    login: z
      .object({
        userPoolArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+$/, "must be a Cognito user pool ARN").describe("Cognito user pool users log in with (federate it with the organisation's IdP)."),
        userPoolClientId: z.string().regex(/^[\w+]{1,128}$/, "must be a Cognito app client id").describe("App client of the pool, with the load balancer's callback URL (`https://<grafanaHostName>/oauth2/idpresponse`)."),
        userPoolDomain: z.string().regex(/^[a-z0-9-]{1,63}$/, "must be the pool's domain prefix").describe("Domain prefix of the pool's hosted login."),
      })
      .strict()
      .describe("The load balancer's login in front of Grafana (its `authenticate-cognito` action); Grafana trusts the identity the load balancer passes."),
    logRetentionDays: z.number().int().min(1).max(3653).default(30).describe("How long the tasks' logs are kept, in days (CloudWatch Logs encrypts them at rest)."),
  })
  .strict();

export type SelfHostedHubConfig = z.infer<typeof selfHostedHubSchema>;
