/**
 * AlarmForwarder (workload account): the account's CloudWatch alarms from presets, and an
 * EventBridge rule on the default bus that forwards their state changes to the hub's alert
 * bus through a role allowed only `events:PutEvents` on that bus. What EventBridge cannot
 * forward after its retries lands in an encrypted dead-letter queue whose depth alarm
 * notifies the hub's pipeline-health topic directly (a cross-account alarm action), not
 * through the forwarding path that just failed. Children inherit the AWS provider given in
 * `opts.providers`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../../iam/policy-document";
import { allowPutEventsOnBus, trustServiceForAccount } from "../../iam/statements";
import { accountOfArn, partitionOf } from "../../shared/arns";
import { forwarderDeadLetterQueuePolicy } from "../hub/documents";
import {
  alarmForwarderRoleName,
  cloudWatchAlarmArn,
  forwarderDeadLetterAlarmName,
  forwarderDeadLetterQueueName,
  hubPipelineHealthTopicArn,
} from "../hub/names";
import { AlarmDeclaration, alarmSpecs } from "./presets";

export interface AlarmForwarderArgs {
  environment: string;
  accountName: string;
  accountId: string;
  region: string;
  /** Routing team written into every alarm (the notifier routes on it). */
  team: string;
  /** The hub's alert bus; deterministic, see `hubAlertBusArn(environment, hubAccountId, region)`. */
  hubEventBusArn: string;
  alarms: AlarmDeclaration[];
  /**
   * The hub's pipeline-health topic the DLQ alarm notifies; default derived from the hub
   * account of `hubEventBusArn`, see `hubPipelineHealthTopicArn`.
   */
  hubPipelineHealthTopicArn?: string;
  tags?: Record<string, string>;
}

/** DLQ messages are kept 14 days (the SQS maximum), like the hub's notifier DLQ. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;
/**
 * EventBridge's retries of a forward that fails (hub bus throttled or briefly refusing): a
 * bounded day of retries, then the DLQ; an alarm state that old is still worth reading.
 */
export const FORWARD_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 24 * 3600 } as const;

export class AlarmForwarder extends pulumi.ComponentResource {
  readonly alarmArns: string[];
  readonly hubEventBusArn: string;
  readonly forwarderRoleArn: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;

  constructor(name: string, args: AlarmForwarderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:AlarmForwarder", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, "observability:environment": args.environment, "observability:account": args.accountName };
    const partition = partitionOf(args.region);

    if (args.alarms.length === 0) throw new Error(`AlarmForwarder "${name}": no alarms to forward; declare at least one or leave the component out`);
    const specs = alarmSpecs(args.environment, args.accountName, args.team, args.alarms);
    for (const spec of specs) {
      new aws.cloudwatch.MetricAlarm(`${name}-${spec.alarmName}`, {
        name: spec.alarmName,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: spec.dimensions,
        statistic: spec.statistic,
        period: spec.periodSeconds,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        comparisonOperator: spec.comparison,
        threshold: spec.threshold,
        treatMissingData: spec.treatMissingData,
        tags,
      }, child);
    }
    this.alarmArns = specs.map((s) => cloudWatchAlarmArn(args.region, args.accountId, s.alarmName, partition));
    this.hubEventBusArn = args.hubEventBusArn;

    const ruleName = `forward-alarms-${args.environment}`;
    const role = new aws.iam.Role(`${name}-forwarder`, {
      name: alarmForwarderRoleName(args.environment),
      description: "EventBridge forwards this account's alarm state changes to the hub alert bus",
      assumeRolePolicy: policyJson(policyDocument(trustServiceForAccount(
        "events.amazonaws.com", args.accountId, `arn:${partition}:events:${args.region}:${args.accountId}:rule/${ruleName}`))),
      tags,
    }, child);
    new aws.iam.RolePolicy(`${name}-forwarder`, {
      role: role.name,
      name: "put-events-on-hub-bus",
      policy: policyJson(policyDocument(allowPutEventsOnBus(this.hubEventBusArn))),
    }, child);
    this.forwarderRoleArn = role.arn;

    // Only this account's own preset alarms: other alarms in the account stay local.
    const rule = new aws.cloudwatch.EventRule(`${name}-forward-alarms`, {
      name: ruleName,
      description: "Forward state changes of the observability alarms to the hub alert bus",
      eventPattern: JSON.stringify({
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        resources: [...this.alarmArns].sort(),
      }),
      tags,
    }, child);

    const deadLetterQueueName = forwarderDeadLetterQueueName(args.environment);
    const deadLetterQueue = new aws.sqs.Queue(`${name}-forward-dlq`, {
      name: deadLetterQueueName,
      // SSE-SQS: EventBridge can write to it without a key policy of its own.
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      tags,
    }, child);
    this.deadLetterQueueArn = deadLetterQueue.arn;
    const queuePolicy = new aws.sqs.QueuePolicy(`${name}-forward-dlq`, {
      queueUrl: deadLetterQueue.url,
      policy: pulumi.all([deadLetterQueue.arn, rule.arn]).apply(([queueArn, ruleArn]) => policyJson(forwarderDeadLetterQueuePolicy(queueArn, ruleArn))),
    }, child);
    new aws.cloudwatch.EventTarget(`${name}-forward-alarms`, {
      rule: rule.name,
      arn: this.hubEventBusArn,
      roleArn: role.arn,
      retryPolicy: { ...FORWARD_RETRY_POLICY },
      deadLetterConfig: { arn: deadLetterQueue.arn },
    }, { ...child, dependsOn: [queuePolicy] });

    // A cross-account alarm action: the hub topic's policy and its key admit
    // cloudwatch.amazonaws.com for this alarm name from the workload accounts / organisation.
    const healthTopicArn = args.hubPipelineHealthTopicArn ?? hubPipelineHealthTopicArn(args.environment, accountOfArn(this.hubEventBusArn)!, args.region);
    new aws.cloudwatch.MetricAlarm(`${name}-forward-dlq-not-empty`, {
      name: forwarderDeadLetterAlarmName(args.environment),
      alarmDescription: `Alarm changes of ${args.accountName} could not be forwarded to the hub bus and wait in ${deadLetterQueueName} (account ${args.accountId}): fix the cause (hub bus policy, forwarder role), then read and replay them.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetterQueueName },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: [healthTopicArn],
      okActions: [healthTopicArn],
      tags,
    }, child);

    this.registerOutputs({
      alarmArns: this.alarmArns,
      hubEventBusArn: this.hubEventBusArn,
      forwarderRoleArn: this.forwarderRoleArn,
      deadLetterQueueArn: this.deadLetterQueueArn,
    });
  }
}
