/**
 * Deterministic names of the alert pipeline's hub resources. The workload side derives the
 * hub bus ARN from these (hub account, region, environment), so no workload stack waits
 * for a hub output to exist and no cycle forms.
 */
import { eventBusArn, snsTopicArn } from "../../shared/arns";

export function alertBusName(environment: string): string {
  return `observability-alerts-${environment}`;
}

export function hubAlertBusArn(environment: string, hubAccountId: string, region: string): string {
  return eventBusArn(region, hubAccountId, alertBusName(environment));
}

export function alertTopicName(environment: string): string {
  return `observability-alerts-${environment}`;
}

/** Topic for the pipeline's own alarms: it reaches people without passing through the notifier. */
export function pipelineHealthTopicName(environment: string): string {
  return `observability-alert-pipeline-health-${environment}`;
}

export function notifierFunctionName(environment: string): string {
  return `alert-notifier-${environment}`;
}

/** DynamoDB table of acknowledged deliveries (notifier/ledger.ts). */
export function deliveryLedgerTableName(environment: string): string {
  return `alert-delivery-ledger-${environment}`;
}

export function notifierDeadLetterQueueName(environment: string): string {
  return `alert-notifier-dlq-${environment}`;
}

/** Where operators put a destination's credentials (`aws secretsmanager put-secret-value`). */
export function destinationSecretName(environment: string, destination: string): string {
  return `observability/${environment}/alerting/${destination}`;
}

/** Workload role EventBridge assumes to forward alarm state changes to the hub bus. */
export function alarmForwarderRoleName(environment: string): string {
  return `alarm-forwarder-${environment}`;
}

/** Workload queue where EventBridge dead-letters alarm changes it could not forward to the hub bus. */
export function forwarderDeadLetterQueueName(environment: string): string {
  return `alarm-forwarder-dlq-${environment}`;
}

/** The workload alarm on that queue's depth; it notifies the hub's pipeline-health topic directly. */
export function forwarderDeadLetterAlarmName(environment: string): string {
  return `${forwarderDeadLetterQueueName(environment)}-not-empty`;
}

/** The hub's pipeline-health topic, derived like the bus ARN so workload stacks need no hub output. */
export function hubPipelineHealthTopicArn(environment: string, hubAccountId: string, region: string): string {
  return snsTopicArn(region, hubAccountId, pipelineHealthTopicName(environment));
}

export function dynamoDbTableArn(region: string, accountId: string, tableName: string, partition = "aws"): string {
  return `arn:${partition}:dynamodb:${region}:${accountId}:table/${tableName}`;
}

export function cloudWatchAlarmArn(region: string, accountId: string, alarmName: string, partition = "aws"): string {
  return `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${alarmName}`;
}
