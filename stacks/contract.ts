/**
 * The hub stack's `workloads` output: per account, what the hub built for it plus the
 * account's entry of the organisation model. A workload stack reads only this.
 */
import { WorkloadHubRecord } from "../components/observability-hub";
import { AlarmDeclarationConfig, ClusterConfig, CollectorConfig } from "./config/schema";

export const WORKLOADS_OUTPUT = "workloads";

export interface WorkloadStackRecord extends WorkloadHubRecord {
  deployRoleArn: string;
  team: string;
  clusters: ClusterConfig[];
  collector: CollectorConfig;
  /** The hub's alert bus, where the account forwards its alarm state changes. */
  eventBusArn: string;
  /** CloudWatch alarms the workload stack creates from the preset catalog. */
  alarms: AlarmDeclarationConfig[];
}

export type WorkloadStackRecords = Record<string, WorkloadStackRecord>;
