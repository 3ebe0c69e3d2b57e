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
