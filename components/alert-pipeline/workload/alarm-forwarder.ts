/**
 * AlarmForwarder (workload account): the account's CloudWatch alarms from presets, and an
 * EventBridge rule on the default bus that forwards their state changes to the hub's alert
 * bus through a role allowed only `events:PutEvents` on that bus. Children inherit the AWS
 * provider given in `opts.providers`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../../iam/policy-document";
import { allowPutEventsOnBus, trustServiceForAccount } from "../../iam/statements";
import { partitionOf } from "../../shared/arns";
import { alarmForwarderRoleName, cloudWatchAlarmArn } from "../hub/names";
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
  tags?: Record<string, string>;
}

export class AlarmForwarder extends pulumi.ComponentResource {
  readonly alarmArns: string[];
  readonly hubEventBusArn: string;
  readonly forwarderRoleArn: pulumi.Output<string>;

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
    new aws.cloudwatch.EventTarget(`${name}-forward-alarms`, {
      rule: rule.name,
      arn: this.hubEventBusArn,
      roleArn: role.arn,
    }, child);

    this.registerOutputs({ alarmArns: this.alarmArns, hubEventBusArn: this.hubEventBusArn, forwarderRoleArn: this.forwarderRoleArn });
  }
}
