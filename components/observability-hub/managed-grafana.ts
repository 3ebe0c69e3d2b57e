/**
 * Amazon Managed Grafana in the hub: an SSO-only workspace running as its own
 * customer-managed role (query exactly the hub's workspaces, assume exactly the workload
 * accounts' CloudWatch read roles, read the hub's own CloudWatch), SSO group role associations, and a service account
 * token that drives an explicit Grafana provider for folders, data sources and dashboards.
 */
import * as aws from "@pulumi/aws";
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../iam/policy-document";
import {
  TaggedWorkspaces,
  allowAssumeRoleNamedInOrganization,
  allowAssumeRoles,
  allowCloudWatchReadForGrafana,
  allowQueryHubWorkspaces,
  trustServiceForAccount,
} from "../iam/statements";
import { iamRoleArn, partitionOf } from "../shared/arns";
import { grafanaRoleName } from "../shared/naming";
import { grafanaApiProvider } from "./grafana-api";
import { tokenRotation } from "./token-rotation";

export interface SsoGroups {
  adminGroupIds: string[];
  editorGroupIds: string[];
  viewerGroupIds: string[];
}

export interface ManagedGrafanaArgs {
  environment: string;
  accountId: string;
  region: string;
  grafanaVersion: string;
  sso: SsoGroups;
  /** The workspaces Grafana may query: the hub account's, carrying the environment's tag. */
  queryScope: TaggedWorkspaces;
  /** Customer managed key of those workspaces, when they use one. */
  workspaceKeyArn?: pulumi.Input<string>;
  /** The roles Grafana may assume: the CloudWatch read role of each workload account. */
  cloudWatchReadRoles: CloudWatchReadRoles;
  tokenTtlDays: number;
  /** The clock that picks the token's rotation window (tests and plans pass a fixed one). */
  now?: Date;
  /** Network interfaces in a VPC, so Grafana reaches private endpoints there (an internal Promxy). */
  vpc?: GrafanaVpcAccess;
  tags: Record<string, string>;
}

/**
 * With an organisation id: the role of that name in any account of the organisation (one
 * statement at any scale). Without: each account's role ARN, which grows with the list.
 */
export interface CloudWatchReadRoles {
  roleName: string;
  accountIds: string[];
  organizationId?: string;
}

export function assumeCloudWatchReadRoles(roles: CloudWatchReadRoles, partition: string): PolicyStatement {
  const sid = "AssumeWorkloadCloudWatchReadRoles";
  return roles.organizationId
    ? allowAssumeRoleNamedInOrganization(roles.roleName, roles.organizationId, partition, sid)
    : allowAssumeRoles(roles.accountIds.map((id) => iamRoleArn(id, roles.roleName, partition)), sid);
}

/**
 * Everything Grafana's own role may do: query the environment's workspaces (and use their
 * key through AMP), assume the workload accounts' CloudWatch read roles, and read the hub's
 * own CloudWatch, where AMP publishes its usage against quotas.
 */
export function grafanaRolePolicy(args: Pick<ManagedGrafanaArgs, "accountId" | "region" | "queryScope" | "cloudWatchReadRoles"> & { workspaceKeyArn?: string }): PolicyDocument {
  return policyDocument(
    ...allowQueryHubWorkspaces(args.queryScope, args.region, args.workspaceKeyArn),
    assumeCloudWatchReadRoles(args.cloudWatchReadRoles, partitionOf(args.region)),
    ...allowCloudWatchReadForGrafana(args.accountId),
  );
}

export interface GrafanaVpcAccess {
  vpcId: string;
  /** Private subnets in two or more availability zones. */
  subnetIds: string[];
  /** TCP ports Grafana may open from the VPC (443 for HTTPS data sources and AWS endpoints). */
  egressPorts: number[];
}

export class ManagedGrafana extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly workspaceId: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  /** When the next run replaces the automation token (ISO 8601). */
  readonly tokenRotatesAt: string;
  /** The automation token (secret): what other stacks build their Grafana provider from. */
  readonly apiToken: pulumi.Output<string>;
  /** Explicit provider for the Grafana API, authenticated by the service account token. */
  readonly provider: grafana.Provider;

  constructor(name: string, args: ManagedGrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:hub:ManagedGrafana", name, {}, opts);
    const child = { parent: this };
    const partition = partitionOf(args.region);

    const role = new aws.iam.Role(`${name}-role`, {
      name: grafanaRoleName(args.environment),
      description: "Amazon Managed Grafana workspace role: query the hub's AMP workspaces, read workload CloudWatch",
      assumeRolePolicy: policyJson(policyDocument(trustServiceForAccount(
        "grafana.amazonaws.com", args.accountId, `arn:${partition}:grafana:${args.region}:${args.accountId}:/workspaces/*`,
      ))),
      tags: args.tags,
    }, child);

    new aws.iam.RolePolicy(`${name}-role-access`, {
      role: role.name,
      policy: pulumi.output(args.workspaceKeyArn).apply((workspaceKeyArn) => policyJson(grafanaRolePolicy({ ...args, workspaceKeyArn }))),
    }, child);

    const vpcSecurityGroup = args.vpc ? this.vpcSecurityGroup(name, args.vpc, args.tags) : undefined;
    const workspace = new aws.grafana.Workspace(`${name}-workspace`, {
      name: `observability-${args.environment}`,
      description: `Observability hub (${args.environment})`,
      accountAccessType: "CURRENT_ACCOUNT",
      authenticationProviders: ["AWS_SSO"],
      permissionType: "CUSTOMER_MANAGED",
      roleArn: role.arn,
      grafanaVersion: args.grafanaVersion,
      dataSources: ["PROMETHEUS", "CLOUDWATCH"],
      configuration: JSON.stringify({ plugins: { pluginAdminEnabled: false }, unifiedAlerting: { enabled: true } }),
      vpcConfiguration: args.vpc && vpcSecurityGroup
        ? { subnetIds: args.vpc.subnetIds, securityGroupIds: [vpcSecurityGroup.id] }
        : undefined,
      tags: args.tags,
    }, child);

    const roles: Array<[keyof SsoGroups, string]> = [
      ["adminGroupIds", "ADMIN"],
      ["editorGroupIds", "EDITOR"],
      ["viewerGroupIds", "VIEWER"],
    ];
    for (const [key, grafanaRole] of roles) {
      if (args.sso[key].length === 0) continue;
      new aws.grafana.RoleAssociation(`${name}-sso-${grafanaRole.toLowerCase()}`, {
        workspaceId: workspace.id,
        role: grafanaRole,
        groupIds: args.sso[key],
      }, child);
    }

    const serviceAccount = new aws.grafana.WorkspaceServiceAccount(`${name}-automation`, {
      workspaceId: workspace.id,
      name: "pulumi-automation",
      grafanaRole: "ADMIN",
    }, child);
    // A new name each rotation window replaces the token (created before the old one is deleted).
    const rotation = tokenRotation(args.now ?? new Date(), args.tokenTtlDays);
    const token = new aws.grafana.WorkspaceServiceAccountToken(`${name}-automation-token`, {
      workspaceId: workspace.id,
      serviceAccountId: serviceAccount.serviceAccountId,
      name: rotation.tokenName,
      secondsToLive: rotation.secondsToLive,
    }, { ...child, additionalSecretOutputs: ["key"] });
    this.tokenRotatesAt = rotation.nextRotation.toISOString();

    this.roleArn = role.arn;
    this.workspaceId = workspace.id;
    this.url = pulumi.interpolate`https://${workspace.endpoint}`;
    this.apiToken = pulumi.secret(token.key);
    this.provider = grafanaApiProvider(`${name}-api`, this.url, this.apiToken, child);
    this.registerOutputs({ roleArn: this.roleArn, workspaceId: this.workspaceId, url: this.url });
  }

  /** Grafana's interfaces in the VPC: no inbound, outbound only on the data-source ports. */
  private vpcSecurityGroup(name: string, vpc: GrafanaVpcAccess, tags: Record<string, string>): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(`${name}-vpc`, {
      vpcId: vpc.vpcId,
      description: "Amazon Managed Grafana network interfaces: outbound to data sources only",
      tags,
    }, { parent: this });
    for (const port of vpc.egressPorts) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-vpc-egress-${port}`, {
        securityGroupId: group.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp", fromPort: port, toPort: port,
        description: port === 443 ? "HTTPS data sources and AWS endpoints" : `data sources on port ${port}`,
      }, { parent: this });
    }
    return group;
  }
}
