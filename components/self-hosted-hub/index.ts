/** Self-hosted hub backend: central Prometheus, Alertmanager and Grafana on ECS Fargate with EFS. */
export { SIZING, assertFargateSize } from "./sizing";
export type { SelfHostedSizing, TaskSize } from "./sizing";
export { AMP_ONLY_RULE_GROUPS, accountRuleFiles, centralPrometheusConfig, prometheusServerArgs, renderCentralPrometheusConfig } from "./prometheus-config";
export type { CentralPrometheusSettings, FederatedWorkload, PrometheusServerFlags, RuleFile } from "./prometheus-config";
export { ALERTMANAGER_CONFIG_FILE, alertmanagerServerArgs, selfHostedAlertmanagerFiles } from "./alertmanager-files";
export { ALL_ACCOUNTS_DATA_SOURCE, ALL_ACCOUNTS_DATA_SOURCE_UID, accountDataSourceUid, accountProxyDataSource, allAccountsProxyDataSource, queryTokenHeader } from "./grafana-datasources";
export { GRAFANA_ADMIN_USER, SelfHostedGrafanaApi, grafanaApiUrl } from "./grafana-api";
export { CLOUDWATCH_ACCOUNT_TAG_LABEL, cloudWatchExporterConfig, cloudWatchReadRoles, renderCloudWatchExporterConfig } from "./cloudwatch-exporter-config";
export type { CloudWatchAccount, CloudWatchExporterSettings } from "./cloudwatch-exporter-config";
export { QUERY_TOKEN_ENV, ingestProxyConfig, renderIngestProxyConfig } from "./ingest-proxy/proxy-config";
export type { IngestProxyConfig, IngestProxySettings } from "./ingest-proxy/proxy-config";
export { selfHostedRemoteWriteSection, selfHostedRemoteWriteSections } from "./collector-remote-write";
export type { SelfHostedRemoteWriteTarget } from "./collector-remote-write";
export { ACCOUNT_RULE_FILES_GLOB, ACCOUNTS_PREFIX, accountConfigObjects, ingestSecretNamePrefix } from "./account-files";
export { ACCOUNT_SYNC_SCRIPT, accountSyncEnvironment, prometheusReloadCommand } from "./account-sync";
export { SelfHostedHubAccount } from "./self-hosted-hub-account";
export type { SelfHostedHubAccountArgs } from "./self-hosted-hub-account";
