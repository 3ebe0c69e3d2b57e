/** The account's part of its record, for either backend: its model entry, the hub's alert bus, and its series cuts. */
import { accountSeriesCuts } from "./account-series-cuts";
import { WorkloadAccountConfig } from "./config/schema";
import { AccountModelRecord } from "./contract";

export function accountModelRecord(environment: string, account: WorkloadAccountConfig, eventBusArn: string): AccountModelRecord {
  return {
    deployRoleArn: account.deployRoleArn,
    team: account.team,
    clusters: account.clusters,
    collector: account.collector,
    eventBusArn,
    alarms: account.alarms,
    seriesCuts: accountSeriesCuts(environment, account),
  };
}

