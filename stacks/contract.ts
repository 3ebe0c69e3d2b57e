/**
 * What the stacks of an environment hand each other through StackReferences:
 * - the shared hub stack `<env>` outputs `hubSettings` (the environment's shared pieces and
 *   its account names) and `grafanaApiToken` (secret);
 * - each account's hub stack `<env>-hub-<account>` outputs `workloads`, holding that one
 *   account's record: what the hub built for it plus its entry of the model. Its workload
 *   stack `<env>-<account>` reads only this.
 */
import { AlertmanagerOverride } from "../components/alert-pipeline/alertmanager";
import { WorkloadHubRecord } from "../components/observability-hub";
import { SeriesCut } from "../components/workload-collector/series-cuts";
import { AlarmDeclarationConfig, ClusterConfig, CollectorConfig, HubStackConfig, UnifiedQueryConfig } from "./config/schema";

export const WORKLOADS_OUTPUT = "workloads";
export const HUB_SETTINGS_OUTPUT = "hubSettings";
export const GRAFANA_TOKEN_OUTPUT = "grafanaApiToken";

/** What a workload stack takes from the account's entry of the organisation model, for either backend. */
export interface AccountModelRecord {
  deployRoleArn: string;
  team: string;
  clusters: ClusterConfig[];
  collector: CollectorConfig;
  /** The hub's alert bus, where the account forwards its alarm state changes. */
  eventBusArn: string;
  /** CloudWatch alarms the workload stack creates from the preset catalog. */
  alarms: AlarmDeclarationConfig[];
  /** The series the account's collector drops: none of its rules' or dashboards' selectors reads them (`account-series-cuts.ts`). */
  seriesCuts: SeriesCut[];
}

export interface WorkloadStackRecord extends WorkloadHubRecord, AccountModelRecord {}

export type WorkloadStackRecords = Record<string, WorkloadStackRecord>;

/** What the shared hub stack gives the account hub stacks and the query stack. */
export interface HubSettings {
  environment: string;
  accountId: string;
  region: string;
  deployRoleArn: string;
  organizationId?: string;
  amp: HubStackConfig["hub"]["amp"];
  /** The AMP workspaces' customer managed key, when they use one. */
  ampKeyArn?: string;
  grafanaUrl: string;
  grafanaRoleArn: string;
  alertTopicArn: string;
  eventBusArn: string;
  alertmanager?: AlertmanagerOverride;
  /**
   * The organisation model's account names. Each account's entry goes to its own hub
   * stack's config, not here: every account stack reads these settings, and a setting
   * that grew with the organisation would make each read grow with it.
   */
  accountNames: string[];
  unifiedQuery?: UnifiedQueryConfig;
}

/** The hub-side stack of one account: `<hubStack>-hub-<account>` (the hub's own org/project prefix kept). */
export function hubAccountStackName(hubStack: string, accountName: string): string {
  return `${hubStack}-hub-${accountName}`;
}

/** The stack of Promxy and the cross-account views: `<hubStack>-query`. */
export function hubQueryStackName(hubStack: string): string {
  return `${hubStack}-query`;
}

/** Account names that would give a workload stack the name of a hub-side stack. */
export function reservedAccountNameReason(accountName: string): string | undefined {
  if (accountName === "query") return `"<env>-query" is the stack of Promxy and the cross-account views`;
  if (accountName.startsWith("hub-")) return `"<env>-hub-<account>" names the hub-side stacks of accounts`;
  return undefined;
}
