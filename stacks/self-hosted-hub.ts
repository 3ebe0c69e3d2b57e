/**
 * The hub stack of an environment whose `hub.backend` is `self-hosted`: the same alert
 * pipeline (topic, notifier, alert bus) as the managed backend, and the SelfHostedHub in
 * place of AMP workspaces and Amazon Managed Grafana.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertPipeline, hubAlertBusArn } from "../components/alert-pipeline";
import { resolveAlertmanagerSettings } from "../components/alert-pipeline/alertmanager";
import { ruleTeams } from "../components/alert-pipeline/hub/workspace-alerting";
import { alertTopicName } from "../components/alert-pipeline/hub/names";
import { Severity } from "../components/alert-pipeline/notifier/alert";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { DestinationType } from "../components/alert-pipeline/notifier/config";
import { resolveRuleSettings } from "../components/alert-pipeline/rules";
import { SIZING } from "../components/self-hosted-hub";
import { SelfHostedHub } from "../components/self-hosted-hub/self-hosted-hub";
import { iamRoleArn, snsTopicArn } from "../components/shared/arns";
import { cloudWatchReadRoleName, collectorRoleName } from "../components/shared/naming";
import { HubStackConfig } from "./config/schema";
import { collectorAwareRules } from "./account-rules";
import { deployProvider } from "./providers";
import { SelfHostedWorkloadStackRecord } from "./self-hosted-contract";

export async function selfHostedHubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, alerting } = config;
  const selfHosted = hubConfig.selfHosted;
  if (!selfHosted) throw new Error(`hub stack ${environment}: hub.backend is self-hosted but hub.selfHosted is not set`);
  const { accountId, region } = hubConfig;
  const provider = deployProvider(`hub-${environment}`, { ...hubConfig, environment });

  const alerts = new AlertPipeline(`alerts-${environment}`, {
    environment,
    accountId,
    region,
    organizationId: hubConfig.organizationId,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, team: w.team, ruleOverrides: collectorAwareRules(w) })),
    alertSource: "self-hosted",
    destinations: alerting.destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
    routes: alerting.routes.map((r) => ({ ...r, severities: r.severities as Severity[] | undefined, sources: r.sources as ("amp" | "cloudwatch")[] | undefined })),
    notifier: { ...alerting.notifier, code: (await bundleNotifier()).code },
    alertmanager: alerting.alertmanager,
    pipelineHealthEmails: alerting.pipelineHealthEmails,
  }, { providers: { aws: provider } });

  // One Alertmanager for every account: it routes every team any account's rules label alerts with.
  const rulesByAccount = Object.fromEntries(config.workloads.map((w) =>
    [w.name, resolveRuleSettings({ ...collectorAwareRules(w), team: w.rules.team ?? w.team }, `workloads.${w.name}.rules`)]));
  const teams = [...new Set(Object.values(rulesByAccount).flatMap(ruleTeams))].sort();
  // The topic's name is derived, so its ARN is known before it exists.
  const topicArn = snsTopicArn(region, accountId, alertTopicName(environment));
  const alertmanager = resolveAlertmanagerSettings(
    { region, topicArn },
    { ...alerting.alertmanager, teams: alerting.alertmanager?.teams ?? Object.fromEntries(teams.map((team) => [team, {}])) },
    "alerting.alertmanager",
  );
  const sizing = { ...SIZING[selfHosted.sizing], ...(selfHosted.retentionTime ? { retentionTime: selfHosted.retentionTime } : {}), ...(selfHosted.retentionSize ? { retentionSize: selfHosted.retentionSize } : {}) };

  const hub = new SelfHostedHub(`hub-${environment}`, {
    environment,
    accountId,
    region,
    sizing,
    vpcId: selfHosted.vpcId,
    privateSubnetIds: selfHosted.privateSubnetIds,
    collectorCidrs: selfHosted.collectorCidrs,
    certificateArn: selfHosted.certificateArn,
    ingestHostName: selfHosted.ingestHostName,
    grafanaHostName: selfHosted.grafanaHostName,
    login: selfHosted.login,
    accounts: config.workloads.map((w) => ({
      name: w.name,
      accountId: w.accountId,
      cloudWatchReadRoleArn: iamRoleArn(w.accountId, cloudWatchReadRoleName(environment)),
      collectorMode: w.collector.mode,
      alarms: w.alarms.map((alarm) => ({ preset: alarm.preset, resource: alarm.resource })),
    })),
    rulesByAccount,
    alertmanager,
    alertTopicKeyArn: alerts.keyArn,
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    logRetentionDays: selfHosted.logRetentionDays,
    awsProvider: provider,
    tags: { "observability:environment": environment },
  }, { providers: { aws: provider } });

  const eventBusArn = hubAlertBusArn(environment, accountId, region);
  const workloads: pulumi.Output<Record<string, SelfHostedWorkloadStackRecord>> = pulumi.all([hub.ingestSecretArns, hub.ingestSecretKeyArn]).apply(([secretArns, ingestSecretKeyArn]) =>
    Object.fromEntries(config.workloads.map((w) => [w.name, {
      backend: "self-hosted" as const,
      accountName: w.name,
      accountId: w.accountId,
      environment,
      region,
      deployRoleArn: w.deployRoleArn,
      team: w.team,
      clusters: w.clusters,
      collector: w.collector,
      eventBusArn,
      alarms: w.alarms,
      remoteWriteUrls: hub.remoteWriteUrls,
      ingestSecretArn: secretArns[w.name],
      ingestSecretKeyArn,
      collectorRoleName: collectorRoleName(environment, w.name),
      cloudWatchExporterRoleArn: hub.cloudWatchExporterRoleArn,
      cloudWatchReadRoleName: cloudWatchReadRoleName(environment),
    }])));

  return {
    environment,
    backend: "self-hosted",
    hubAccountId: accountId,
    region,
    grafanaUrl: hub.grafanaUrl,
    remoteWriteUrls: hub.remoteWriteUrls,
    loadBalancerDnsName: hub.loadBalancerDnsName,
    grafanaAdminSecretArn: hub.grafanaAdminSecretArn,
    alertTopicArn: alerts.topicArn,
    eventBusArn: alerts.eventBusArn,
    alertDeadLetterQueueUrl: alerts.deadLetterQueueUrl,
    pipelineHealthTopicArn: alerts.pipelineHealthTopicArn,
    workloads,
  };
}
