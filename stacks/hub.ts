/** The hub stack of an environment: the organisation model in, the ObservabilityHub out. */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { AlertPipeline, hubAlertBusArn } from "../components/alert-pipeline";
import { durationSeconds } from "../components/alert-pipeline/alertmanager";
import { Severity } from "../components/alert-pipeline/notifier/alert";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { DestinationType } from "../components/alert-pipeline/notifier/config";
import { ObservabilityHub, ObservabilityHubArgs } from "../components/observability-hub";
import { GrafanaVpcAccess } from "../components/observability-hub/managed-grafana";
import { listenerScheme } from "../components/unified-query/exposure";
import { grafanaSubnetIdsOf } from "./config/validate";
import { HubStackConfig, UnifiedQueryConfig } from "./config/schema";
import { WorkloadStackRecords } from "./contract";
import { existingClusterProvider } from "./kubernetes";
import { DeployTarget, deployProvider } from "./providers";

function alertPipeline(config: HubStackConfig, hub: ObservabilityHub, provider: pulumi.ProviderResource, notifierCode: string): AlertPipeline {
  const { environment, hub: hubConfig, alerting } = config;
  return new AlertPipeline(`alerts-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    organizationId: hubConfig.organizationId,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, team: w.team, ruleOverrides: collectorAwareRules(w) })),
    workspaces: Object.fromEntries(Object.entries(hub.workspaces).map(([name, ws]) => [name, { workspaceId: ws.workspaceId, workspaceArn: ws.workspaceArn }])),
    destinations: alerting.destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
    routes: alerting.routes.map((r) => ({ ...r, severities: r.severities as Severity[] | undefined, sources: r.sources as ("amp" | "cloudwatch")[] | undefined })),
    notifier: { ...alerting.notifier, code: notifierCode },
    alertmanager: alerting.alertmanager,
    pipelineHealthEmails: alerting.pipelineHealthEmails,
  }, { providers: { aws: provider } });
}

/** Grafana's interfaces in Promxy's VPC when Promxy is internal: the only way AMG reaches a private endpoint. */
function grafanaVpcAccess(settings: UnifiedQueryConfig | undefined): GrafanaVpcAccess | undefined {
  if (!settings?.exposure.internal) return undefined;
  const subnetIds = grafanaSubnetIdsOf(settings);
  if (!subnetIds) return undefined;
  const promxyPort = listenerScheme(settings.exposure) === "https" ? 443 : 80;
  return { vpcId: settings.cluster.vpcId, subnetIds, egressPorts: [...new Set([443, promxyPort])] };
}

/**
 * Rule settings that follow the account's collector:
 * - the AMP quota rules estimate active series as shipped samples/s times the scrape
 *   interval, so they take the collector's interval unless the account sets its own;
 * - the collector-health rules read the Prometheus collector's own metrics
 *   (`up{job="prometheus"}`, `prometheus_remote_storage_*`): an AMP managed scraper exports
 *   none, so for its accounts the group would page forever (CollectorAbsent). It is off there.
 */
function collectorAwareRules(workload: HubStackConfig["workloads"][number]): HubStackConfig["workloads"][number]["rules"] {
  const rules = {
    ...workload.rules,
    collectorScrapeIntervalSeconds: workload.rules.collectorScrapeIntervalSeconds ?? durationSeconds(workload.collector.scrapeInterval),
  };
  if (workload.collector.mode !== "managed-scraper") return rules;
  return { ...rules, disabledGroups: [...new Set([...(workload.rules.disabledGroups ?? []), "collector-health" as const])] };
}

/** Promxy's cluster: an existing hub cluster reached through the deploy role, or a new one. */
function unifiedQueryArgs(settings: UnifiedQueryConfig, target: DeployTarget, provider: aws.Provider): ObservabilityHubArgs["unifiedQuery"] {
  const { cluster } = settings;
  return {
    awsProvider: provider,
    prodLike: settings.highAvailability,
    replicas: settings.replicas,
    sigv4Mode: settings.sigv4Mode,
    exposure: settings.exposure,
    cluster: cluster.kind === "existing"
      ? {
          kind: "existing",
          clusterName: cluster.name,
          vpcId: cluster.vpcId,
          oidcProviderArn: cluster.oidcProviderArn,
          oidcProviderUrl: cluster.oidcIssuerUrl,
          k8sProvider: existingClusterProvider(`hub-${target.environment}-${cluster.name}-k8s`,
            { clusterName: cluster.name, region: target.region, deployRoleArn: target.deployRoleArn }, provider).provider(),
        }
      : {
          kind: "create",
          clusterName: cluster.name,
          vpcId: cluster.vpcId,
          privateSubnetIds: cluster.privateSubnetIds,
          instanceType: cluster.instanceType,
          nodeCount: cluster.nodeCount,
          apiEndpoint: cluster.apiEndpoint,
          deployRoleArn: target.deployRoleArn,
          eksProvider: new eks.Provider(`hub-${target.environment}-eks`),
        },
  };
}

export async function hubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, grafana } = config;
  const target = { ...hubConfig, environment };
  const provider = deployProvider(`hub-${environment}`, target);

  const hub = new ObservabilityHub(`hub-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    organizationId: hubConfig.organizationId,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, collectorMode: w.collector.mode })),
    amp: hubConfig.amp,
    grafana: { version: grafana.version, sso: grafana.sso, tokenTtlDays: grafana.tokenTtlDays, vpc: grafanaVpcAccess(config.unifiedQuery) },
    unifiedQuery: config.unifiedQuery && unifiedQueryArgs(config.unifiedQuery, target, provider),
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
    grafanaTokenRotatesAt: hub.grafana.tokenRotatesAt,
    // Only when Promxy runs: an undefined output is dropped with a warning on every run.
    ...(hub.unifiedQuery ? { unifiedQueryUrl: hub.unifiedQuery.queryUrl } : {}),
    alertTopicArn: alerts.topicArn,
    eventBusArn: alerts.eventBusArn,
    alertDeadLetterQueueUrl: alerts.deadLetterQueueUrl,
    pipelineHealthTopicArn: alerts.pipelineHealthTopicArn,
    workloads,
  };
}
