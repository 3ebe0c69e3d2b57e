/**
 * AlertPipeline (hub account): per workspace (when given) the rule group namespaces and the
 * alertmanager definition (WorkspaceAlerting); the encrypted SNS topic AMP publishes to; the notifier Lambda with its
 * secrets, log group, least-privilege role and dead-letter queue; the alert bus that
 * accepts forwarded CloudWatch alarm changes from the registered workload accounts; and
 * alarms on the pipeline itself that reach people without passing through the notifier.
 * Children inherit the AWS provider given in `opts.providers`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../../iam/policy-document";
import { trustServiceForAccount, workspacesOfAccount } from "../../iam/statements";
import { logGroupArn, partitionOf } from "../../shared/arns";
import { AlertmanagerOverride } from "../alertmanager";
import { RuleSettingsOverride } from "../rules";
import {
  alertBusPolicy,
  alertKeyPolicy,
  alertTopicPolicy,
  deadLetterQueuePolicy,
  forwardedAlarmPattern,
  notifierExecutionPolicy,
  pipelineHealthTopicPolicy,
} from "./documents";
import {
  alertBusName,
  alertTopicName,
  cloudWatchAlarmArn,
  deliveryLedgerTableName,
  destinationSecretName,
  dynamoDbTableArn,
  forwarderDeadLetterAlarmName,
  notifierDeadLetterQueueName,
  notifierFunctionName,
  pipelineHealthTopicName,
} from "./names";
import { NOTIFIER_RUNTIME, notifierLoggingConfig } from "./lambda-settings";
import { LEDGER_PARTITION_KEY, LEDGER_SORT_KEY, LEDGER_TTL_ATTRIBUTE } from "../notifier/ledger-schema";
import { AlertDestination, AlertRoute, notifierConfig } from "./notifier-config";
import { WorkspaceAlerting } from "./workspace-alerting";

export interface AlertWorkloadAccount {
  name: string;
  accountId: string;
  /** Routing team of the account's alerts (the rules' `team` label). */
  team: string;
  /** Per-account rule settings (disabled groups, thresholds...), merged over the defaults. */
  ruleOverrides?: RuleSettingsOverride;
}

export interface AlertWorkspace {
  workspaceId: pulumi.Input<string>;
  workspaceArn: pulumi.Input<string>;
}

export interface NotifierSettings {
  /** The bundled handler (index.js): `(await bundleNotifier()).code`. */
  code: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Lambda's own retries of a failed asynchronous invocation (0-2) before dead-lettering. */
  maximumRetryAttempts?: number;
  logRetentionDays?: number;
  logLevel?: "debug" | "info" | "warn" | "error";
}

export interface AlertPipelineArgs {
  environment: string;
  accountId: string;
  region: string;
  organizationId?: string;
  workloads: AlertWorkloadAccount[];
  /**
   * Per account name: its AMP workspace in the hub, whose rules and alertmanager this
   * pipeline declares. Omit it when each account's own hub stack declares them
   * (WorkspaceAlerting): the pipeline then holds only what all accounts share.
   */
  workspaces?: Record<string, AlertWorkspace>;
  /**
   * Where alerts come from: AMP workspaces (the default) or the self-hosted hub's own
   * Alertmanager, whose task role publishes to the topic (the key then admits the account's
   * principals through SNS). The self-hosted hub gives no workspaces.
   */
  alertSource?: "amp" | "self-hosted";
  destinations: AlertDestination[];
  routes: AlertRoute[];
  notifier: NotifierSettings;
  /**
   * Routing and timing of every workspace's alertmanager. Without `teams`, each workspace
   * routes the teams its rules label alerts with (the account's team and the rules' teams).
   */
  alertmanager?: AlertmanagerOverride;
  /** People told about the pipeline's own failures (email, confirmed once by each recipient). */
  pipelineHealthEmails: string[];
  tags?: Record<string, string>;
}

const DEFAULTS = { memoryMb: 256, timeoutSeconds: 60, maximumRetryAttempts: 2, logRetentionDays: 30, logLevel: "info" } as const;
/** DLQ messages are kept for the longest time SQS allows, 14 days, so none expires unnoticed over a long weekend. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export class AlertPipeline extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly eventBusArn: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly pipelineHealthTopicArn: pulumi.Output<string>;
  readonly notifierFunctionArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly ledgerTableName: pulumi.Output<string>;

  constructor(name: string, args: AlertPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:AlertPipeline", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, "observability:environment": args.environment };
    const { accountId, region, environment } = args;
    const partition = partitionOf(region);
    const settings = { ...DEFAULTS, ...args.notifier };

    const fromAmp = (args.alertSource ?? "amp") === "amp";
    for (const workload of args.workloads) {
      if (args.workspaces && !args.workspaces[workload.name]) throw new Error(`AlertPipeline: no workspace given for account "${workload.name}"`);
    }
    // Checked here, not first inside an apply: there a failure surfaces only when the notifier is declared.
    if (args.destinations.length === 0) throw new Error("AlertPipeline: no alert destinations: give at least one, or no alert reaches anybody");
    // Every workspace of the hub account may publish: the topic and key policies keep one
    // size for any number of accounts (AMP publishes with the workspace as aws:SourceArn).
    const hubWorkspaces = workspacesOfAccount(region, accountId);

    const functionName = notifierFunctionName(environment);
    const notifierLogGroupName = `/aws/lambda/${functionName}`;
    const deadLetterQueueName = notifierDeadLetterQueueName(environment);
    const errorsAlarmName = `${functionName}-errors`;
    const deadLettersAlarmName = `${deadLetterQueueName}-not-empty`;
    const pipelineAlarmArns = [errorsAlarmName, deadLettersAlarmName].map((n) => cloudWatchAlarmArn(region, accountId, n, partition));
    // Each workload's forwarder DLQ alarm notifies the health topic across accounts.
    const forwarders = args.workloads.length === 0 ? undefined : {
      alarmArnPattern: cloudWatchAlarmArn(region, "*", forwarderDeadLetterAlarmName(environment), partition),
      sources: { accountIds: args.workloads.map((w) => w.accountId), organizationId: args.organizationId },
    };

    const key = new aws.kms.Key(`${name}-key`, {
      description: `Encrypts the ${environment} alert topics and alert destination secrets`,
      enableKeyRotation: true,
      policy: policyJson(alertKeyPolicy(accountId, region, [hubWorkspaces], pipelineAlarmArns, logGroupArn(region, accountId, notifierLogGroupName), forwarders, !fromAmp)),
      tags,
    }, child);
    this.keyArn = key.arn;

    // Standard, not FIFO: AMP publishes only to Standard topics.
    const topic = new aws.sns.Topic(`${name}-topic`, { name: alertTopicName(environment), kmsMasterKeyId: key.arn, tags }, child);
    this.topicArn = topic.arn;
    new aws.sns.TopicPolicy(`${name}-topic`, {
      arn: topic.arn,
      policy: topic.arn.apply((topicArn) => policyJson(alertTopicPolicy(topicArn, accountId, [hubWorkspaces]))),
    }, child);

    for (const workload of args.workloads) {
      const workspace = args.workspaces?.[workload.name];
      if (!workspace) continue;
      new WorkspaceAlerting(`${name}-${workload.name}`, {
        environment,
        region,
        accountName: workload.name,
        team: workload.team,
        ruleOverrides: workload.ruleOverrides,
        workspaceId: workspace.workspaceId,
        topicArn: topic.arn,
        alertmanager: args.alertmanager,
        tags: args.tags,
      }, child);
    }

    // Created empty: operators put each value with `aws secretsmanager put-secret-value`, so
    // credentials never pass through this program, its state or its config.
    const secrets = Object.fromEntries(args.destinations.map((d) => [d.name, new aws.secretsmanager.Secret(`${name}-${d.name}`, {
      name: d.secretName ?? destinationSecretName(environment, d.name),
      description: `Credentials of the ${d.type} alert destination "${d.name}" (set with aws secretsmanager put-secret-value)`,
      kmsKeyId: key.arn,
      tags,
    }, child)]));
    const secretArns = pulumi.all(Object.fromEntries(Object.entries(secrets).map(([n, s]) => [n, s.arn])));

    const deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, {
      name: deadLetterQueueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      tags,
    }, child);
    this.deadLetterQueueUrl = deadLetterQueue.url;

    // Which destination acknowledged which alert notification, so a retried event reaches
    // only the destinations that do not have it (notifier/ledger.ts). Items expire by TTL.
    const ledgerTable = new aws.dynamodb.Table(`${name}-ledger`, {
      name: deliveryLedgerTableName(environment),
      billingMode: "PAY_PER_REQUEST",
      hashKey: LEDGER_PARTITION_KEY,
      rangeKey: LEDGER_SORT_KEY,
      attributes: [{ name: LEDGER_PARTITION_KEY, type: "S" }, { name: LEDGER_SORT_KEY, type: "S" }],
      ttl: { attributeName: LEDGER_TTL_ATTRIBUTE, enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
      tags,
    }, child);
    this.ledgerTableName = ledgerTable.name;

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-notifier`, {
      name: notifierLogGroupName,
      retentionInDays: settings.logRetentionDays,
      kmsKeyId: key.arn,
      tags,
    }, child);

    const role = new aws.iam.Role(`${name}-notifier`, {
      name: functionName,
      description: "Alert notifier: reads its destination secrets, records deliveries in its ledger, writes its logs, dead-letters failures",
      assumeRolePolicy: policyJson(policyDocument(trustServiceForAccount("lambda.amazonaws.com", accountId))),
      tags,
    }, child);
    const rolePolicy = new aws.iam.RolePolicy(`${name}-notifier`, {
      role: role.name,
      name: "notifier",
      // The table ARN derives from its name, so the policy names it exactly before it exists.
      policy: pulumi.all([secretArns, key.arn, logGroup.arn, deadLetterQueue.arn]).apply(([arns, keyArn, logGroupArn, queueArn]) =>
        policyJson(notifierExecutionPolicy({
          region, secretArns: Object.values(arns), keyArn, logGroupArn, deadLetterQueueArn: queueArn,
          ledgerTableArn: dynamoDbTableArn(region, accountId, deliveryLedgerTableName(environment), partition),
        }))),
    }, child);

    const notifier = new aws.lambda.Function(`${name}-notifier`, {
      name: functionName,
      description: "Turns AMP alerts and CloudWatch alarm changes into Slack, PagerDuty, Jira and webhook messages",
      runtime: NOTIFIER_RUNTIME,
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(settings.code) }),
      role: role.arn,
      memorySize: settings.memoryMb,
      timeout: settings.timeoutSeconds,
      environment: {
        variables: {
          NOTIFIER_CONFIG: secretArns.apply((arns) => JSON.stringify(notifierConfig(args.destinations, args.routes, arns))),
          LOG_LEVEL: settings.logLevel,
          DELIVERY_LEDGER_TABLE: ledgerTable.name,
        },
      },
      loggingConfig: notifierLoggingConfig(settings.logLevel, logGroup.name),
      tags,
    }, { ...child, dependsOn: [logGroup, rolePolicy] });
    this.notifierFunctionArn = notifier.arn;

    new aws.lambda.FunctionEventInvokeConfig(`${name}-notifier`, {
      functionName: notifier.name,
      maximumRetryAttempts: settings.maximumRetryAttempts,
      maximumEventAgeInSeconds: 6 * 3600,
      destinationConfig: { onFailure: { destination: deadLetterQueue.arn } },
    }, { ...child, dependsOn: [rolePolicy] });

    new aws.lambda.Permission(`${name}-notifier-from-topic`, {
      function: notifier.name,
      action: "lambda:InvokeFunction",
      principal: "sns.amazonaws.com",
      sourceArn: topic.arn,
      sourceAccount: accountId,
    }, child);
    new aws.sns.TopicSubscription(`${name}-notifier`, {
      topic: topic.arn,
      protocol: "lambda",
      endpoint: notifier.arn,
      redrivePolicy: deadLetterQueue.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn })),
    }, child);

    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: alertBusName(environment), tags }, child);
    this.eventBusArn = bus.arn;
    new aws.cloudwatch.EventBusPolicy(`${name}-bus`, {
      eventBusName: bus.name,
      policy: bus.arn.apply((busArn) => policyJson(alertBusPolicy(busArn, region, args.workloads.map((w) => w.accountId), args.organizationId))),
    }, child);
    const rule = new aws.cloudwatch.EventRule(`${name}-forwarded-alarms`, {
      name: "forwarded-alarm-changes",
      eventBusName: bus.name,
      description: "CloudWatch alarm state changes forwarded by the workload accounts, to the notifier",
      eventPattern: JSON.stringify(forwardedAlarmPattern()),
      tags,
    }, child);
    new aws.lambda.Permission(`${name}-notifier-from-bus`, {
      function: notifier.name,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    }, child);
    new aws.cloudwatch.EventTarget(`${name}-forwarded-alarms`, {
      rule: rule.name,
      eventBusName: bus.name,
      arn: notifier.arn,
      retryPolicy: { maximumRetryAttempts: 20, maximumEventAgeInSeconds: 6 * 3600 },
      deadLetterConfig: { arn: deadLetterQueue.arn },
    }, child);
    new aws.sqs.QueuePolicy(`${name}-dlq`, {
      queueUrl: deadLetterQueue.url,
      policy: pulumi.all([deadLetterQueue.arn, topic.arn, rule.arn]).apply(([queueArn, topicArn, ruleArn]) =>
        policyJson(deadLetterQueuePolicy(queueArn, topicArn, ruleArn))),
    }, child);

    // The pipeline's own alarms go to a separate topic with email subscribers: if the
    // notifier is what is broken, an alarm routed through it would never arrive.
    const healthTopic = new aws.sns.Topic(`${name}-health`, { name: pipelineHealthTopicName(environment), kmsMasterKeyId: key.arn, tags }, child);
    this.pipelineHealthTopicArn = healthTopic.arn;
    new aws.sns.TopicPolicy(`${name}-health`, {
      arn: healthTopic.arn,
      policy: healthTopic.arn.apply((arn) => policyJson(pipelineHealthTopicPolicy(arn, accountId, pipelineAlarmArns, forwarders))),
    }, child);
    args.pipelineHealthEmails.forEach((email, index) => {
      new aws.sns.TopicSubscription(`${name}-health-email-${index}`, { topic: healthTopic.arn, protocol: "email", endpoint: email }, child);
    });

    // Both fire on the first non-zero minute and report to the health topic, not the
    // alert topic: a broken notifier must not be the path that reports itself.
    const pipelineAlarm = (suffix: string, alarm: Pick<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmDescription" | "namespace" | "metricName" | "dimensions" | "statistic">) =>
      new aws.cloudwatch.MetricAlarm(`${name}-${suffix}`, {
        ...alarm,
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [healthTopic.arn],
        okActions: [healthTopic.arn],
        tags,
      }, child);
    pipelineAlarm("notifier-errors", {
      name: errorsAlarmName,
      alarmDescription: "The alert notifier failed invocations: alerts are being retried or dead-lettered. Check its logs.",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: functionName },
      statistic: "Sum",
    });
    pipelineAlarm("dlq-not-empty", {
      name: deadLettersAlarmName,
      alarmDescription: `Undelivered alerts wait in ${deadLetterQueueName}: read them, fix the cause, deliver them by hand.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetterQueueName },
      statistic: "Maximum",
    });

    this.registerOutputs({
      topicArn: this.topicArn,
      eventBusArn: this.eventBusArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      pipelineHealthTopicArn: this.pipelineHealthTopicArn,
      notifierFunctionArn: this.notifierFunctionArn,
    });
  }
}
