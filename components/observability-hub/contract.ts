/**
 * What the hub publishes for each workload account (the `workloads` stack output), and
 * everything a workload stack needs to deploy its side.
 */
export interface WorkloadHubRecord {
  accountName: string;
  accountId: string;
  environment: string;
  region: string;
  workspaceId: string;
  workspaceArn: string;
  remoteWriteUrl: string;
  queryUrl: string;
  /** Hub role the account's collector assumes to remote-write. */
  ingestRoleArn: string;
  /** Workload role name the ingest role trusts; the workload stack creates it with this name. */
  collectorRoleName: string;
  /** Hub Grafana role the workload's CloudWatch read role must trust. */
  grafanaRoleArn: string;
  /** Workload role name the Grafana role may assume. */
  cloudWatchReadRoleName: string;
}

export type WorkloadHubRecords = Record<string, WorkloadHubRecord>;
