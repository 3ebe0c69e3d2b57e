/**
 * ObservabilityHub: the hub (observability) account side. Per workload account an AMP
 * workspace, an ingest role only that account's collector may assume, and a Grafana
 * folder with its data sources and dashboards; one Amazon Managed Grafana workspace for
 * all of them, a cross-account folder, and optionally Promxy as one "All accounts" source.
 * Children inherit the AWS provider given in `opts.providers`.
 */
import * as pulumi from "@pulumi/pulumi";
import { iamRoleArn } from "../shared/arns";
import { ENVIRONMENT_TAG, cloudWatchReadRoleName, collectorRoleName } from "../shared/naming";
import { UnifiedQuery, UnifiedQueryArgs } from "../unified-query";
import { AccountFolder } from "./account-folder";
import { ampDataSource } from "./datasources";
import { ampWorkspaceKey } from "./amp-key";
import { AccountWorkspace } from "./account-workspace";
import { WorkloadHubRecords } from "./contract";
import { CrossAccountViews } from "./cross-account-views";
import { GrafanaVpcAccess, ManagedGrafana, SsoGroups } from "./managed-grafana";

export { WorkloadHubRecord, WorkloadHubRecords } from "./contract";
export { AccountFolder, AccountFolderArgs } from "./account-folder";
export { AccountWorkspace, AccountWorkspaceArgs } from "./account-workspace";
export { AmpWorkspaceKeyArgs, ampWorkspaceKey } from "./amp-key";
export { CrossAccountViews, CrossAccountViewsArgs } from "./cross-account-views";
export { PrometheusDataSource, ampDataSource } from "./datasources";
export { grafanaApiProvider } from "./grafana-api";
export { GrafanaVpcAccess, ManagedGrafana, ManagedGrafanaArgs, SsoGroups } from "./managed-grafana";

export interface HubWorkloadAccount {
  name: string;
  accountId: string;
  /** The account's collector (default prometheus): decides which dashboards have data. */
  collectorMode?: "prometheus" | "managed-scraper";
}

export interface ObservabilityHubArgs {
  environment: string;
  accountId: string;
  region: string;
  /** AWS Organizations id: cross-account permissions then scope by organisation instead of listing accounts. */
  organizationId?: string;
  workloads: HubWorkloadAccount[];
  amp: { retentionDays: number; customerManagedKey: boolean; logging: boolean };
  grafana: { version: string; sso: SsoGroups; tokenTtlDays: number; vpc?: GrafanaVpcAccess };
  /** Promxy across all workspaces, with an "All accounts" data source; off when absent. */
  unifiedQuery?: Omit<UnifiedQueryArgs, "environment" | "region" | "hubAccountId" | "workspaces" | "workspaceKeyArn" | "queryScope">;
  tags?: Record<string, string>;
}

export class ObservabilityHub extends pulumi.ComponentResource {
  /** Per account name: everything its workload stack needs. */
  readonly workloads: pulumi.Output<WorkloadHubRecords>;
  readonly workspaces: Record<string, AccountWorkspace>;
  readonly folders: Record<string, AccountFolder>;
  readonly grafana: ManagedGrafana;
  readonly unifiedQuery?: UnifiedQuery;

  constructor(name: string, args: ObservabilityHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:ObservabilityHub", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, [ENVIRONMENT_TAG]: args.environment };

    const ampKey = args.amp.customerManagedKey
      ? ampWorkspaceKey(`${name}-amp-key`, { environment: args.environment, accountId: args.accountId, region: args.region, tags }, child)
      : undefined;

    this.workspaces = {};
    for (const workload of args.workloads) {
      this.workspaces[workload.name] = new AccountWorkspace(`${name}-${workload.name}`, {
        environment: args.environment,
        accountName: workload.name,
        accountId: workload.accountId,
        region: args.region,
        retentionDays: args.amp.retentionDays,
        kmsKeyArn: ampKey?.arn,
        logging: args.amp.logging,
        tags,
      }, child);
    }

    const cloudWatchReadRoleArn = (accountId: string) => iamRoleArn(accountId, cloudWatchReadRoleName(args.environment));
    const queryScope = { region: args.region, accountId: args.accountId, tagKey: ENVIRONMENT_TAG, tagValue: args.environment };
    this.grafana = new ManagedGrafana(`${name}-grafana`, {
      environment: args.environment,
      accountId: args.accountId,
      region: args.region,
      grafanaVersion: args.grafana.version,
      sso: args.grafana.sso,
      queryScope,
      workspaceKeyArn: ampKey?.arn,
      cloudWatchReadRoles: {
        roleName: cloudWatchReadRoleName(args.environment),
        accountIds: args.workloads.map((w) => w.accountId),
        organizationId: args.organizationId,
      },
      tokenTtlDays: args.grafana.tokenTtlDays,
      vpc: args.grafana.vpc,
      tags,
    }, child);

    this.folders = {};
    for (const workload of args.workloads) {
      this.folders[workload.name] = new AccountFolder(`${name}-${workload.name}-grafana`, {
        environment: args.environment,
        accountName: workload.name,
        prometheus: ampDataSource(args.environment, workload.name, args.region, this.workspaces[workload.name].queryUrl),
        cloudWatch: { region: args.region, readRoleArn: cloudWatchReadRoleArn(workload.accountId) },
        collectorMode: workload.collectorMode,
        provider: this.grafana.provider,
      }, child);
    }

    if (args.unifiedQuery) {
      this.unifiedQuery = new UnifiedQuery(`${name}-unified-query`, {
        ...args.unifiedQuery,
        environment: args.environment,
        region: args.region,
        hubAccountId: args.accountId,
        workspaceKeyArn: ampKey?.arn,
        queryScope,
        workspaces: args.workloads.map((w) => ({
          accountName: w.name,
          workspaceId: this.workspaces[w.name].workspaceId,
          workspaceArn: this.workspaces[w.name].workspaceArn,
        })),
      }, child);
    }
    new CrossAccountViews(`${name}-all-accounts`, {
      environment: args.environment,
      region: args.region,
      workspaces: args.workloads.map((w) => ({ accountName: w.name, workspaceId: this.workspaces[w.name].workspaceId })),
      provider: this.grafana.provider,
      unified: this.unifiedQuery,
    }, child);

    this.workloads = pulumi.all(
      args.workloads.map((workload) => {
        const ws = this.workspaces[workload.name];
        return pulumi
          .all([ws.workspaceId, ws.workspaceArn, ws.remoteWriteUrl, ws.queryUrl, ws.ingestRoleArn, this.grafana.roleArn])
          .apply(([workspaceId, workspaceArn, remoteWriteUrl, queryUrl, ingestRoleArn, grafanaRoleArn]) => ({
            accountName: workload.name,
            accountId: workload.accountId,
            environment: args.environment,
            region: args.region,
            workspaceId,
            workspaceArn,
            remoteWriteUrl,
            queryUrl,
            ingestRoleArn,
            collectorRoleName: collectorRoleName(args.environment, workload.name),
            grafanaRoleArn,
            cloudWatchReadRoleName: cloudWatchReadRoleName(args.environment),
          }));
      }),
    ).apply((records) => Object.fromEntries(records.map((r) => [r.accountName, r])));

    this.registerOutputs({ workloads: this.workloads, grafanaUrl: this.grafana.url, unifiedQueryUrl: this.unifiedQuery?.queryUrl });
  }
}
