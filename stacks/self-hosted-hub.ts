/**
 * The shared hub stack of an environment whose `hub.backend` is `self-hosted`: the same alert
 * pipeline (topic, notifier, alert bus) as the managed backend, and the SelfHostedHub in
 * place of AMP workspaces and Amazon Managed Grafana. Each account's own pieces (ingest
 * secret, rule files, Grafana folder, data source, dashboards) are its hub stack's
 * (`self-hosted-hub-part.ts`), which reads `selfHostedSettings` and the two tokens from here.
 */
import * as pulumi from "@pulumi/pulumi";
import { hubAlertBusArn } from "../components/alert-pipeline";
import { resolveAlertmanagerSettings } from "../components/alert-pipeline/alertmanager";
import { ruleTeams } from "../components/alert-pipeline/hub/workspace-alerting";
import { alertTopicName } from "../components/alert-pipeline/hub/names";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { SIZING } from "../components/self-hosted-hub";
import { SelfHostedHub } from "../components/self-hosted-hub/self-hosted-hub";
import { snsTopicArn } from "../components/shared/arns";
import { cloudWatchReadRoleName } from "../components/shared/naming";
import { HubStackConfig } from "./config/schema";
import { accountRuleSettings } from "./account-rules";
import { deployProvider } from "./providers";
import { sharedAlertPipeline } from "./shared-alert-pipeline";
import { GRAFANA_TOKEN_OUTPUT } from "./contract";
import { QUERY_TOKEN_OUTPUT, SELF_HOSTED_SETTINGS_OUTPUT, SelfHostedHubSettings } from "./self-hosted-contract";

/** Scrape and rule evaluation interval of the central servers (also each account data source's step). */
export const SELF_HOSTED_SCRAPE_INTERVAL = "30s";

export async function selfHostedHubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, alerting } = config;
  const selfHosted = hubConfig.selfHosted;
  if (!selfHosted) throw new Error(`hub stack ${environment}: hub.backend is self-hosted but hub.selfHosted is not set`);
  const organizationId = hubConfig.organizationId;
  if (!organizationId) throw new Error(`hub stack ${environment}: hub.backend is self-hosted but hub.organizationId is not set`);
  const { accountId, region } = hubConfig;
  const provider = deployProvider(`hub-${environment}`, { ...hubConfig, environment });

  const alerts = sharedAlertPipeline(config, provider, (await bundleNotifier()).code, "self-hosted");

  // One Alertmanager for every account: it routes every team any account's rules label alerts with
  // (a new team, not a new account, changes its config).
  const rulesByAccount = Object.fromEntries(config.workloads.map((w) =>
    [w.name, accountRuleSettings(w, `workloads.${w.name}.rules`)]));
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
    automationCidrs: selfHosted.automationCidrs,
    certificateArn: selfHosted.certificateArn,
    ingestHostName: selfHosted.ingestHostName,
    grafanaHostName: selfHosted.grafanaHostName,
    login: selfHosted.login,
    organizationId,
    cloudWatchReadRoleName: cloudWatchReadRoleName(environment),
    alertmanager,
    alertTopicKeyArn: alerts.keyArn,
    scrapeInterval: SELF_HOSTED_SCRAPE_INTERVAL,
    evaluationInterval: SELF_HOSTED_SCRAPE_INTERVAL,
    logRetentionDays: selfHosted.logRetentionDays,
    awsProvider: provider,
    tags: { "observability:environment": environment },
  }, { providers: { aws: provider } });

  const settings: pulumi.Output<SelfHostedHubSettings> = hub.ingestSecretKeyArn.apply((ingestSecretKeyArn) => ({
    environment,
    region,
    hubAccountId: accountId,
    deployRoleArn: hubConfig.deployRoleArn,
    accountNames: config.workloads.map((w) => w.name),
    configBucketName: hub.configBucketName,
    ingestSecretKeyArn,
    grafanaProxyUrl: hub.grafanaProxyUrl,
    grafanaApiUrl: hub.grafanaApiUrl,
    remoteWriteUrls: hub.remoteWriteUrls,
    cloudWatchExporterRoleArn: hub.cloudWatchExporterRoleArn,
    eventBusArn: hubAlertBusArn(environment, accountId, region),
    scrapeInterval: SELF_HOSTED_SCRAPE_INTERVAL,
  }));

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
    [SELF_HOSTED_SETTINGS_OUTPUT]: settings,
    // Secret: every account's hub stack signs in to Grafana with the first, and its data source presents the second.
    [GRAFANA_TOKEN_OUTPUT]: hub.grafanaApiToken,
    [QUERY_TOKEN_OUTPUT]: hub.queryToken,
  };
}
