/** The account's CloudWatch alarms and their forwarding to the hub's alert bus, for either backend. */
import * as aws from "@pulumi/aws";
import { AlarmForwarder } from "../components/alert-pipeline/workload";
import { AccountModelRecord } from "./contract";

/** Declared only when the account lists alarms: a forwarding rule needs alarms to match. */
export function alarmForwarding(
  record: AccountModelRecord & { accountName: string; accountId: string; environment: string; region: string },
  provider: aws.Provider,
): AlarmForwarder | undefined {
  if ((record.alarms ?? []).length === 0) return undefined;
  return new AlarmForwarder(`${record.accountName}-alarms`, {
    environment: record.environment,
    accountName: record.accountName,
    accountId: record.accountId,
    region: record.region,
    team: record.team,
    hubEventBusArn: record.eventBusArn,
    alarms: record.alarms,
  }, { providers: { aws: provider } });
}
