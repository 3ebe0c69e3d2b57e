/**
 * The shared hub stack of an environment (`<env>`): what every account shares and nothing
 * per account, so it keeps its size as the organisation grows. The AMP key, Amazon Managed
 * Grafana with its automation token, and the alert pipeline's topic, notifier and bus.
 * Per-account hub resources live in `<env>-hub-<account>` (hub-account.ts), Promxy and the
 * cross-account views in `<env>-query` (hub-query.ts); both read `hubSettings`.
 */
import * as pulumi from "@pulumi/pulumi";
import { bundleNotifier } from "../components/alert-pipeline/notifier/bundle";
import { GrafanaVpcAccess, ManagedGrafana, ampWorkspaceKey } from "../components/observability-hub";
import { ENVIRONMENT_TAG, cloudWatchReadRoleName } from "../components/shared/naming";
import { listenerScheme } from "../components/unified-query/exposure";
import { grafanaSubnetIdsOf } from "./config/validate";
import { HubStackConfig, UnifiedQueryConfig } from "./config/schema";
import { GRAFANA_TOKEN_OUTPUT, HUB_SETTINGS_OUTPUT, HubSettings } from "./contract";
import { deployProvider } from "./providers";
import { sharedAlertPipeline } from "./shared-alert-pipeline";

/** Grafana's interfaces in Promxy's VPC when Promxy is internal: the only way AMG reaches a private endpoint. */
function grafanaVpcAccess(settings: UnifiedQueryConfig | undefined): GrafanaVpcAccess | undefined {
  if (!settings?.exposure.internal) return undefined;
  const subnetIds = grafanaSubnetIdsOf(settings);
  if (!subnetIds) return undefined;
  const promxyPort = listenerScheme(settings.exposure) === "https" ? 443 : 80;
  return { vpcId: settings.cluster.vpcId, subnetIds, egressPorts: [...new Set([443, promxyPort])] };
}

export async function hubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, grafana } = config;
  const target = { ...hubConfig, environment };
  const provider = deployProvider(`hub-${environment}`, target);
  const tags = { [ENVIRONMENT_TAG]: environment };

  const ampKey = hubConfig.amp.customerManagedKey
    ? ampWorkspaceKey(`hub-${environment}-amp-key`, { environment, accountId: hubConfig.accountId, region: hubConfig.region, tags }, { provider })
    : undefined;
  const managedGrafana = new ManagedGrafana(`hub-${environment}-grafana`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    grafanaVersion: grafana.version,
    sso: grafana.sso,
    queryScope: { region: hubConfig.region, accountId: hubConfig.accountId, tagKey: ENVIRONMENT_TAG, tagValue: environment },
    workspaceKeyArn: ampKey?.arn,
    cloudWatchReadRoles: {
      roleName: cloudWatchReadRoleName(environment),
      accountIds: config.workloads.map((w) => w.accountId),
      organizationId: hubConfig.organizationId,
    },
    tokenTtlDays: grafana.tokenTtlDays,
    vpc: grafanaVpcAccess(config.unifiedQuery),
    tags,
  }, { providers: { aws: provider } });

  const alerts = sharedAlertPipeline(config, provider, (await bundleNotifier()).code, "managed");

  const hubSettings: pulumi.Output<HubSettings> = pulumi
    .all([managedGrafana.url, managedGrafana.roleArn, alerts.topicArn, alerts.eventBusArn, ampKey?.arn])
    .apply(([grafanaUrl, grafanaRoleArn, alertTopicArn, eventBusArn, ampKeyArn]) => ({
      environment,
      accountId: hubConfig.accountId,
      region: hubConfig.region,
      deployRoleArn: hubConfig.deployRoleArn,
      ...(hubConfig.organizationId ? { organizationId: hubConfig.organizationId } : {}),
      amp: hubConfig.amp,
      ...(ampKeyArn ? { ampKeyArn } : {}),
      grafanaUrl,
      grafanaRoleArn,
      alertTopicArn,
      eventBusArn,
      alertmanager: config.alerting.alertmanager,
      accountNames: config.workloads.map((w) => w.name),
      ...(config.unifiedQuery ? { unifiedQuery: config.unifiedQuery } : {}),
    }));

  return {
    environment,
    hubAccountId: hubConfig.accountId,
    region: hubConfig.region,
    grafanaUrl: managedGrafana.url,
    grafanaWorkspaceId: managedGrafana.workspaceId,
    grafanaTokenRotatesAt: managedGrafana.tokenRotatesAt,
    alertTopicArn: alerts.topicArn,
    eventBusArn: alerts.eventBusArn,
    alertDeadLetterQueueUrl: alerts.deadLetterQueueUrl,
    pipelineHealthTopicArn: alerts.pipelineHealthTopicArn,
    [HUB_SETTINGS_OUTPUT]: hubSettings,
    [GRAFANA_TOKEN_OUTPUT]: managedGrafana.apiToken,
  };
}
