/**
 * The `workloads` output of a self-hosted hub: per account, where its collectors write and
 * which secret holds their credential, plus the account's entry of the organisation model.
 * `backend` tells the workload program which side to deploy.
 */
import { AccountModelRecord } from "./contract";

export interface SelfHostedWorkloadStackRecord extends AccountModelRecord {
  backend: "self-hosted";
  accountName: string;
  accountId: string;
  environment: string;
  region: string;
  /** One URL per independent Prometheus server: a collector writes to each. */
  remoteWriteUrls: string[];
  /** Secret (in the hub) holding the account's ingest token; its collector role may read it. */
  ingestSecretArn: string;
  /** The hub key the ingest secret is encrypted with; the collector decrypts through Secrets Manager. */
  ingestSecretKeyArn: string;
  /** Workload role name the hub's ingest secret admits (the collector's). */
  collectorRoleName: string;
  /** The hub's CloudWatch exporter role, which the account's CloudWatch read role must trust. */
  cloudWatchExporterRoleArn: string;
  /** Workload role name the exporter assumes. */
  cloudWatchReadRoleName: string;
}

export function isSelfHostedRecord(record: unknown): record is SelfHostedWorkloadStackRecord {
  return typeof record === "object" && record !== null && (record as { backend?: unknown }).backend === "self-hosted";
}

/** The shared self-hosted hub stack's output the accounts' hub stacks (and the query stack) read. */
export const SELF_HOSTED_SETTINGS_OUTPUT = "selfHostedSettings";

/**
 * What an account's hub stack needs from the shared self-hosted hub: nothing per account but
 * the account names (an output, checked by each account stack; no resource lists them).
 */
export interface SelfHostedHubSettings {
  environment: string;
  region: string;
  hubAccountId: string;
  deployRoleArn: string;
  accountNames: string[];
  /** Where an account's hub stack writes its files (rule files, CloudWatch exporter jobs). */
  configBucketName: string;
  /** The key an account's ingest secret is encrypted with. */
  ingestSecretKeyArn: string;
  /** The first server's proxy as Grafana reaches it: an account's data source reads under it. */
  grafanaProxyUrl: string;
  /** Grafana's API listener, where an account's hub stack declares its folder, data source and dashboards. */
  grafanaApiUrl: string;
  remoteWriteUrls: string[];
  cloudWatchExporterRoleArn: string;
  eventBusArn: string;
  scrapeInterval: string;
}

/** The shared self-hosted hub's secret output: the token the accounts' Grafana data sources present to the proxy. */
export const QUERY_TOKEN_OUTPUT = "grafanaQueryToken";
