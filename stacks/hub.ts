/** The hub stack of an environment: the organisation model in, the ObservabilityHub out. */
import * as pulumi from "@pulumi/pulumi";
import { AlertPipeline, hubAlertBusArn } from "../components/alert-pipeline";
import { Severity } from "../components/alert-pipeline/notifier/alert";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { DestinationType } from "../components/alert-pipeline/notifier/config";
import { ObservabilityHub } from "../components/observability-hub";
import { HubStackConfig } from "./config/schema";
import { WorkloadStackRecords } from "./contract";
import { deployProvider } from "./providers";

function alertPipeline(config: HubStackConfig, hub: ObservabilityHub, provider: pulumi.ProviderResource, notifierCode: string): AlertPipeline {
  const { environment, hub: hubConfig, alerting } = config;
  return new AlertPipeline(`alerts-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    organizationId: hubConfig.organizationId,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, team: w.team, ruleOverrides: w.rules })),
    workspaces: Object.fromEntries(Object.entries(hub.workspaces).map(([name, ws]) => [name, { workspaceId: ws.workspaceId, workspaceArn: ws.workspaceArn }])),
    destinations: alerting.destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
    routes: alerting.routes.map((r) => ({ ...r, severities: r.severities as Severity[] | undefined, sources: r.sources as ("amp" | "cloudwatch")[] | undefined })),
    notifier: { ...alerting.notifier, code: notifierCode },
    alertmanager: alerting.alertmanager,
    pipelineHealthEmails: alerting.pipelineHealthEmails,
  }, { providers: { aws: provider } });
}

export async function hubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, grafana } = config;
  const provider = deployProvider(`hub-${environment}`, { ...hubConfig, environment });

  const hub = new ObservabilityHub(`hub-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId })),
    amp: hubConfig.amp,
    grafana: { version: grafana.version, sso: grafana.sso, tokenTtlDays: grafana.tokenTtlDays },
  }, { providers: { aws: provider } });

  const alerts = alertPipeline(config, hub, provider, (await bundleNotifier()).code);
  const eventBusArn = hubAlertBusArn(environment, hubConfig.accountId, hubConfig.region);

  const workloads: pulumi.Output<WorkloadStackRecords> = hub.workloads.apply((records) =>
    Object.fromEntries(config.workloads.map((w) => [w.name, {
      ...records[w.name],
      deployRoleArn: w.deployRoleArn,
      team: w.team,
      clusters: w.clusters,
      collector: w.collector,
      eventBusArn,
      alarms: w.alarms,
    }])));

  return {
    environment,
    hubAccountId: hubConfig.accountId,
    region: hubConfig.region,
    grafanaUrl: hub.grafana.url,
    grafanaWorkspaceId: hub.grafana.workspaceId,
    alertTopicArn: alerts.topicArn,
    eventBusArn: alerts.eventBusArn,
    alertDeadLetterQueueUrl: alerts.deadLetterQueueUrl,
    pipelineHealthTopicArn: alerts.pipelineHealthTopicArn,
    workloads,
  };
}
