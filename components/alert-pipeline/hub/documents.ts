/**
 * The alert pipeline's resource and identity policies as pure functions of ARNs, so the
 * component deploys them and tests and reviewers read them without a Pulumi runtime.
 */
import { PolicyDocument, policyDocument } from "../../iam/policy-document";
import {
  allowAlarmsPublishToTopic,
  allowAmpPublishToTopic,
  allowDecryptSecretsWithKey,
  allowReadSecrets,
  allowSendToQueue,
  allowServiceSendToQueue,
  allowWriteLogGroup,
  busAcceptsEventsFromAccounts,
  busAcceptsEventsFromOrganization,
  logsUseKeyForLogGroups,
  serviceKeyPolicyStatements,
  serviceUsesKeyFor,
  allowWorkloadAlarmsPublishToTopic,
  accountUsesKeyThroughService,
  allowDecryptTableWithKey,
  allowLedgerTable,
  workloadAlarmsUseKey,
  WorkloadSources,
} from "../../iam/statements";
import { partitionOf } from "../../shared/arns";

/**
 * The alert key: the account administers it through IAM and uses it only via Secrets
 * Manager (destination credentials); AMP may use it only for the hub's workspaces
 * (publishing to the encrypted topic), CloudWatch only for the pipeline's own alarms, and
 * CloudWatch Logs only for the notifier's log group.
 */
export function alertKeyPolicy(accountId: string, region: string, workspaceArns: string[], pipelineAlarmArns: string[], notifierLogGroupArn: string, forwarders?: WorkloadForwarderAlarms, selfHostedAlertmanager = false): PolicyDocument {
  return policyDocument(
    ...serviceKeyPolicyStatements(accountId, `secretsmanager.${region}.amazonaws.com`),
    accountUsesKeyThroughService("UseThroughDynamoDbForTheDeliveryLedger", accountId, `dynamodb.${region}.amazonaws.com`),
    // The self-hosted Alertmanager's task role publishes to the encrypted topic with its own IAM policy.
    ...(selfHostedAlertmanager ? [accountUsesKeyThroughService("UseThroughSnsForTheSelfHostedAlertmanager", accountId, `sns.${region}.amazonaws.com`)] : []),
    serviceUsesKeyFor("AmpWorkspacesPublishToEncryptedTopic", "aps.amazonaws.com", accountId, workspaceArns),
    serviceUsesKeyFor("PipelineAlarmsPublishToEncryptedTopic", "cloudwatch.amazonaws.com", accountId, pipelineAlarmArns),
    ...(forwarders ? [workloadAlarmsUseKey("WorkloadForwarderDeadLetterAlarmsPublishToEncryptedTopic", forwarders.alarmArnPattern, forwarders.sources)] : []),
    // The notifier's logs carry alert content: its log group is encrypted with this key too.
    logsUseKeyForLogGroups(region, [notifierLogGroupArn]),
  );
}

/**
 * The workload accounts' alarm on their forwarder dead-letter queue: one alarm name in every
 * account, so one ARN pattern (`*` for the account) plus the accounts (or the organisation).
 */
export interface WorkloadForwarderAlarms {
  alarmArnPattern: string;
  sources: WorkloadSources;
}

export function alertTopicPolicy(topicArn: string, accountId: string, workspaceArns: string[]): PolicyDocument {
  return policyDocument(allowAmpPublishToTopic(topicArn, accountId, workspaceArns));
}

/**
 * The hub's own pipeline alarms, and (cross-account alarm actions) the workload accounts'
 * forwarder dead-letter alarms: a forwarding path that is failing must not report itself
 * through that same path.
 */
export function pipelineHealthTopicPolicy(topicArn: string, accountId: string, pipelineAlarmArns: string[], forwarders?: WorkloadForwarderAlarms): PolicyDocument {
  return policyDocument(
    allowAlarmsPublishToTopic(topicArn, accountId, pipelineAlarmArns),
    ...(forwarders ? [allowWorkloadAlarmsPublishToTopic("WorkloadForwarderDeadLetterAlarmsPublish", topicArn, forwarders.alarmArnPattern, forwarders.sources)] : []),
  );
}

/** Workload forwarder DLQ: EventBridge may dead-letter into it for the forwarding rule only. */
export function forwarderDeadLetterQueuePolicy(queueArn: string, forwardingRuleArn: string): PolicyDocument {
  return policyDocument(allowServiceSendToQueue("ForwardingRuleDeliveryFailures", "events.amazonaws.com", queueArn, forwardingRuleArn));
}

/** The dead-letter queue also receives what SNS and EventBridge could not hand to the notifier at all. */
export function deadLetterQueuePolicy(queueArn: string, topicArn: string, busRuleArn: string): PolicyDocument {
  return policyDocument(
    allowServiceSendToQueue("TopicDeliveryFailures", "sns.amazonaws.com", queueArn, topicArn),
    allowServiceSendToQueue("EventRuleDeliveryFailures", "events.amazonaws.com", queueArn, busRuleArn),
  );
}

export interface NotifierPermissions {
  region: string;
  secretArns: string[];
  keyArn: string;
  logGroupArn: string;
  deadLetterQueueArn: string;
  /** The delivery ledger table (DynamoDB), encrypted with `keyArn`. */
  ledgerTableArn: string;
}

/**
 * Everything the notifier may do: read its secrets, record deliveries in its ledger table,
 * write its logs, dead-letter. Nothing else.
 */
export function notifierExecutionPolicy(p: NotifierPermissions): PolicyDocument {
  return policyDocument(
    allowReadSecrets(p.secretArns),
    allowDecryptSecretsWithKey(p.keyArn, p.region),
    allowLedgerTable(p.ledgerTableArn),
    allowDecryptTableWithKey(p.keyArn, p.region),
    allowWriteLogGroup(p.logGroupArn),
    allowSendToQueue(p.deadLetterQueueArn, "SendFailuresToOwnDeadLetterQueue"),
  );
}

/** With an organisation: every account of it, in one statement; without: the listed accounts. */
export function alertBusPolicy(busArn: string, region: string, workloadAccountIds: string[], organizationId?: string): PolicyDocument {
  return policyDocument(organizationId
    ? busAcceptsEventsFromOrganization(busArn, organizationId)
    : busAcceptsEventsFromAccounts(busArn, workloadAccountIds, undefined, partitionOf(region)));
}

/**
 * Alarm state changes forwarded to the bus, and nothing else. The bus policy decides who
 * may put events; listing accounts here too would grow the pattern with the organisation.
 */
export function forwardedAlarmPattern(): Record<string, string[]> {
  return {
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
  };
}
