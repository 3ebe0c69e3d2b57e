/**
 * The hub's per-account and query stacks (`<env>-hub-<account>`, `<env>-query`) when the
 * shared hub is self-hosted. An account's hub stack declares the account's own pieces in the
 * hub account, with the hub's deploy provider, as the managed account stacks do: its ingest
 * secret and secret policy, its rule files and CloudWatch exporter jobs in the hub's config
 * bucket (`SelfHostedHubAccount`), which the shared hub's tasks pick up while they run; and its
 * Grafana folder, data source and dashboards through Grafana's API (`AccountFolder`, as managed). Its `workloads`
 * output is the account's record for its workload stack. The query stack has nothing to build
 * (no Promxy: the self-hosted Grafana's "All accounts" data source is served by the hub's own proxy).
 */
import * as pulumi from "@pulumi/pulumi";
import { AccountFolder, grafanaApiProvider } from "../components/observability-hub";
import { accountProxyDataSource } from "../components/self-hosted-hub/grafana-datasources";
import { SelfHostedHubAccount } from "../components/self-hosted-hub/self-hosted-hub-account";
import { iamRoleArn, partitionOf } from "../components/shared/arns";
import { ENVIRONMENT_TAG, cloudWatchReadRoleName, collectorRoleName } from "../components/shared/naming";
import { accountRuleSettings } from "./account-rules";
import { ConfigError } from "./config/errors";
import { CONFIG_NAMESPACE, WorkloadStackConfig } from "./config/schema";
import { validateHubAccountStackConfig } from "./config/validate";
import { GRAFANA_TOKEN_OUTPUT, WORKLOADS_OUTPUT, hubAccountStackName, hubQueryStackName } from "./contract";
import { accountModelRecord } from "./account-record";
import { deployProvider } from "./providers";
import { QUERY_TOKEN_OUTPUT, SELF_HOSTED_SETTINGS_OUTPUT, SelfHostedHubSettings, SelfHostedWorkloadStackRecord } from "./self-hosted-contract";

/** The shared hub stack's `backend` output (the managed hub has none). */
export const BACKEND_OUTPUT = "backend";

export async function isSelfHostedHub(shared: pulumi.StackReference): Promise<boolean> {
  return (await shared.getOutputDetails(BACKEND_OUTPUT)).value === "self-hosted";
}

export async function selfHostedHubPartProgram(stack: string, config: WorkloadStackConfig, shared: pulumi.StackReference, raw: Record<string, unknown>) {
  const hubStackKey = `${CONFIG_NAMESPACE}:hubStack`;
  const details = await shared.getOutputDetails(SELF_HOSTED_SETTINGS_OUTPUT);
  const settings = (details.value ?? details.secretValue) as SelfHostedHubSettings | undefined;
  if (settings === undefined) {
    throw new ConfigError(stack, hubStackKey, `self-hosted hub stack "${config.hubStack}" has no "${SELF_HOSTED_SETTINGS_OUTPUT}" output`,
      `update the shared hub stack first (pulumi up -s ${config.hubStack}), or point ${hubStackKey} at it`);
  }
  const { environment } = settings;
  const expected = config.hubPart === "query" ? hubQueryStackName(environment) : hubAccountStackName(environment, config.accountName);
  if (stack.split("/").pop() !== expected) {
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:hubPart`, `this ${config.hubPart} stack of environment "${environment}" must be named "${expected}"`,
      `run it as 'pulumi up -s ${expected}', or fix ${CONFIG_NAMESPACE}:accountName / ${hubStackKey}`);
  }
  if (config.hubPart === "query") return { backend: "self-hosted" };
  if (!settings.accountNames.includes(config.accountName)) {
    const known = [...settings.accountNames].sort().join(", ") || "none";
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:accountName`,
      `account "${config.accountName}" is not in the organisation model of self-hosted hub stack "${config.hubStack}" (accounts: ${known})`,
      `add it to the workloads of Pulumi.${environment}.yaml and update the shared hub stack first, or remove this stack (pulumi destroy, then pulumi stack rm)`);
  }
  const { account } = validateHubAccountStackConfig(stack, raw);
  const { region } = settings;
  const provider = deployProvider(`hub-${environment}-${account.name}`, { environment, region, accountId: settings.hubAccountId, deployRoleArn: settings.deployRoleArn });

  const collectorRole = collectorRoleName(environment, account.name);
  const hubAccount = new SelfHostedHubAccount(`hub-${environment}-${account.name}`, {
    environment,
    account: account.name,
    collectorRoleArn: iamRoleArn(account.accountId, collectorRole, partitionOf(region)),
    keyArn: settings.ingestSecretKeyArn,
    configBucketName: settings.configBucketName,
    rules: accountRuleSettings(account, `${CONFIG_NAMESPACE}:account.rules`),
    region,
    cloudWatchReadRoleArn: iamRoleArn(account.accountId, cloudWatchReadRoleName(environment), partitionOf(region)),
    alarms: account.alarms.map((alarm) => ({ preset: alarm.preset, resource: alarm.resource })),
    awsProvider: provider,
    tags: { [ENVIRONMENT_TAG]: environment },
  }, { providers: { aws: provider } });

  // The account's Grafana folder, data source (confined by the proxy to the account) and
  // dashboards: the managed backend's AccountFolder, through the self-hosted Grafana's API.
  const grafanaToken = shared.requireOutput(GRAFANA_TOKEN_OUTPUT) as pulumi.Output<string>;
  const queryToken = shared.requireOutput(QUERY_TOKEN_OUTPUT) as pulumi.Output<string>;
  new AccountFolder(`hub-${environment}-${account.name}-grafana`, {
    environment,
    accountName: account.name,
    prometheus: accountProxyDataSource(settings.grafanaProxyUrl, account.name, settings.scrapeInterval, queryToken),
    collectorMode: account.collector.mode,
    provider: grafanaApiProvider(`hub-${environment}-${account.name}-grafana-api`, settings.grafanaApiUrl, grafanaToken),
  });

  const record: pulumi.Output<SelfHostedWorkloadStackRecord> = hubAccount.ingestSecretArn.apply((ingestSecretArn) => ({
    backend: "self-hosted" as const,
    accountName: account.name,
    accountId: account.accountId,
    environment,
    region,
    ...accountModelRecord(environment, account, settings.eventBusArn),
    remoteWriteUrls: settings.remoteWriteUrls,
    ingestSecretArn,
    ingestSecretKeyArn: settings.ingestSecretKeyArn,
    collectorRoleName: collectorRole,
    cloudWatchExporterRoleArn: settings.cloudWatchExporterRoleArn,
    cloudWatchReadRoleName: cloudWatchReadRoleName(environment),
  }));
  return { backend: "self-hosted", accountName: account.name, ingestSecretArn: hubAccount.ingestSecretArn, [WORKLOADS_OUTPUT]: record.apply((r) => ({ [account.name]: r })) };
}
