/**
 * The hub-side stack of one workload account (`<env>-hub-<account>`), in the hub account:
 * the account's AMP workspace, ingest role, logging and retention, its rule namespaces and
 * alertmanager definition, and its Grafana folder, data sources and dashboards. Everything
 * shared comes from the shared hub stack's `hubSettings`, the account's entry of the
 * organisation model from this stack's own config; the account's workload stack reads
 * this stack's `workloads` output. Adding or removing an account adds or removes stacks
 * like this one; the shared stack stays the same size.
 */
import * as pulumi from "@pulumi/pulumi";
import { WorkspaceAlerting } from "../components/alert-pipeline";
import { AccountFolder, AccountWorkspace, ampDataSource, grafanaApiProvider } from "../components/observability-hub";
import { iamRoleArn } from "../components/shared/arns";
import { ENVIRONMENT_TAG, cloudWatchReadRoleName, collectorRoleName } from "../components/shared/naming";
import { readHubSettings } from "./hub-settings";
import { collectorAwareRules } from "./account-rules";
import { HubAccountStackConfig } from "./config/schema";
import { WORKLOADS_OUTPUT, WorkloadStackRecord } from "./contract";
import { accountModelRecord } from "./account-record";
import { deployProvider } from "./providers";

export async function hubAccountProgram(stack: string, config: HubAccountStackConfig, shared?: pulumi.StackReference) {
  const { settings, grafanaToken } = await readHubSettings(stack, config, shared);
  const { environment, region } = settings;
  const { account } = config;
  const name = `hub-${environment}`;
  const provider = deployProvider(`${name}-${account.name}`, settings);
  const tags = { [ENVIRONMENT_TAG]: environment };

  const workspace = new AccountWorkspace(`${name}-${account.name}`, {
    environment,
    accountName: account.name,
    accountId: account.accountId,
    region,
    retentionDays: settings.amp.retentionDays,
    kmsKeyArn: settings.ampKeyArn,
    logging: settings.amp.logging,
    tags,
  }, { providers: { aws: provider } });

  new WorkspaceAlerting(`alerts-${environment}-${account.name}`, {
    environment,
    region,
    accountName: account.name,
    team: account.team,
    ruleOverrides: collectorAwareRules(account),
    workspaceId: workspace.workspaceId,
    topicArn: settings.alertTopicArn,
    alertmanager: settings.alertmanager,
    tags,
  }, { providers: { aws: provider } });

  const grafana = grafanaApiProvider(`${name}-${account.name}-grafana-api`, settings.grafanaUrl, grafanaToken);
  new AccountFolder(`${name}-${account.name}-grafana`, {
    environment,
    accountName: account.name,
    prometheus: ampDataSource(environment, account.name, region, workspace.queryUrl),
    cloudWatch: { region, readRoleArn: iamRoleArn(account.accountId, cloudWatchReadRoleName(environment)) },
    collectorMode: account.collector.mode,
    provider: grafana,
  });

  const record: pulumi.Output<WorkloadStackRecord> = pulumi
    .all([workspace.workspaceId, workspace.workspaceArn, workspace.remoteWriteUrl, workspace.queryUrl, workspace.ingestRoleArn])
    .apply(([workspaceId, workspaceArn, remoteWriteUrl, queryUrl, ingestRoleArn]) => ({
      accountName: account.name,
      accountId: account.accountId,
      environment,
      region,
      workspaceId,
      workspaceArn,
      remoteWriteUrl,
      queryUrl,
      ingestRoleArn,
      collectorRoleName: collectorRoleName(environment, account.name),
      grafanaRoleArn: settings.grafanaRoleArn,
      cloudWatchReadRoleName: cloudWatchReadRoleName(environment),
      ...accountModelRecord(environment, account, settings.eventBusArn),
    }));

  return {
    accountName: account.name,
    workspaceId: workspace.workspaceId,
    [WORKLOADS_OUTPUT]: record.apply((r) => ({ [account.name]: r })),
  };
}
