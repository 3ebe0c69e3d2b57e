import { expect } from "chai";
import { PlannedStack } from "../../stacks/plan/plan";
import { doc, ofType, stackOf, hubSideOf } from "../support/plans";

const SEARCH = "410987654321";
const REGION = "eu-west-1";
const DLQ = `arn:aws:sqs:${REGION}:${SEARCH}:alarm-forwarder-dlq-dev`;
const alarmArn = (name: string) => `arn:aws:cloudwatch:${REGION}:${SEARCH}:alarm:${name}`;

describe("alert pipeline, workload side (dev-search plan)", () => {
  let hub: PlannedStack;
  let stack: PlannedStack;
  before(async () => {
    hub = await hubSideOf("dev");
    stack = await stackOf("dev", "dev-search");
  });

  it("deploys the alarms, the forwarding rule and its role into the search account through its own provider", () => {
    const [provider] = ofType(stack, "pulumi:providers:aws");
    const [component] = ofType(stack, "observability:index:AlarmForwarder");
    const children = stack.resources.filter((r) => r.parent === component.urn);
    expect(children.map((r) => r.type).sort()).to.deep.equal([
      "aws:cloudwatch/eventRule:EventRule",
      "aws:cloudwatch/eventTarget:EventTarget",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:sqs/queue:Queue",
      "aws:sqs/queuePolicy:QueuePolicy",
    ]);
    for (const r of children) expect([r.provider, r.accountId], r.name).to.deep.equal([provider.urn, SEARCH]);
  });

  it("creates the declared preset alarms, with the config threshold and the account's team for routing", () => {
    const alarms = Object.fromEntries(ofType(stack, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.name !== "alarm-forwarder-dlq-dev-not-empty").map((a) => [a.inputs.name as string, a.inputs]));
    expect(Object.keys(alarms).sort()).to.deep.equal([
      "dev-search-alb-5xx-app-search-api-dev-3f9c2a7b1d4e5f60",
      "dev-search-dynamodb-write-throttles-search-documents-dev",
      "dev-search-lambda-errors-search-indexer-dev",
      "dev-search-sqs-oldest-message-age-search-reindex-dev",
    ]);
    const queue = alarms["dev-search-sqs-oldest-message-age-search-reindex-dev"];
    expect(queue).to.deep.include({ namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", statistic: "Maximum", threshold: 600 });
    expect(queue.dimensions).to.deep.equal({ QueueName: "search-reindex-dev" });
    expect(queue.alarmDescription).to.match(/severity=warning team=search$/);
    const alb = alarms["dev-search-alb-5xx-app-search-api-dev-3f9c2a7b1d4e5f60"];
    expect(alb.dimensions).to.deep.equal({ LoadBalancer: "app/search-api-dev/3f9c2a7b1d4e5f60" });
    expect(alb).to.deep.include({ metricName: "HTTPCode_ELB_5XX_Count", threshold: 10 });
  });

  it("forwards exactly these alarms' state changes to the hub bus taken from the hub record", () => {
    const hubBus = (hub.outputs.workloads as any).search.eventBusArn;
    expect(hubBus).to.equal(hub.outputs.eventBusArn);
    const [rule] = ofType(stack, "aws:cloudwatch/eventRule:EventRule");
    expect(rule.inputs.eventBusName ?? "default").to.equal("default");
    expect(JSON.parse(rule.inputs.eventPattern as string)).to.deep.equal({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      resources: [
        "dev-search-alb-5xx-app-search-api-dev-3f9c2a7b1d4e5f60",
        "dev-search-dynamodb-write-throttles-search-documents-dev",
        "dev-search-lambda-errors-search-indexer-dev",
        "dev-search-sqs-oldest-message-age-search-reindex-dev",
      ].map(alarmArn),
    });
    const [target] = ofType(stack, "aws:cloudwatch/eventTarget:EventTarget");
    expect(target.inputs).to.deep.equal({
      rule: "forward-alarms-dev",
      arn: hubBus,
      roleArn: `arn:aws:iam::${SEARCH}:role/alarm-forwarder-dev`,
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      deadLetterConfig: { arn: DLQ },
    });
  });

  it("dead-letters what it cannot forward into an encrypted queue only that rule's EventBridge may write to", () => {
    const [queue] = ofType(stack, "aws:sqs/queue:Queue");
    expect(queue.inputs).to.deep.include({ name: "alarm-forwarder-dlq-dev", sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 });
    const [policy] = ofType(stack, "aws:sqs/queuePolicy:QueuePolicy");
    expect(doc(policy.inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{
        Sid: "ForwardingRuleDeliveryFailures",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: DLQ,
        Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:events:${REGION}:${SEARCH}:rule/forward-alarms-dev` } },
      }],
    });
  });

  it("alarms on the DLQ's depth straight to the hub's pipeline-health topic, not through the forwarding path", () => {
    const alarm = ofType(stack, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === "alarm-forwarder-dlq-dev-not-empty")!;
    expect(alarm.inputs).to.deep.include({
      namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold", threshold: 0, period: 60, evaluationPeriods: 1, treatMissingData: "notBreaching",
    });
    expect(alarm.inputs.dimensions).to.deep.equal({ QueueName: "alarm-forwarder-dlq-dev" });
    expect(alarm.inputs.alarmActions).to.deep.equal([hub.outputs.pipelineHealthTopicArn]);
    expect(alarm.inputs.okActions).to.deep.equal([hub.outputs.pipelineHealthTopicArn]);
    // Not matched by the forwarding rule: its state change must not take the path it reports on.
    const [rule] = ofType(stack, "aws:cloudwatch/eventRule:EventRule");
    expect(JSON.parse(rule.inputs.eventPattern as string).resources).not.to.include(alarmArn("alarm-forwarder-dlq-dev-not-empty"));
  });

  it("forwards through a role EventBridge of this account may assume, allowed only events:PutEvents on the hub bus", () => {
    const role = ofType(stack, "aws:iam/role:Role").find((r) => r.inputs.name === "alarm-forwarder-dev")!;
    expect(role.inputs.managedPolicyArns ?? []).to.deep.equal([]);
    expect(doc(role.inputs.assumeRolePolicy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{
        Sid: "TrustServiceForThisAccount",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": SEARCH },
          ArnLike: { "aws:SourceArn": `arn:aws:events:${REGION}:${SEARCH}:rule/forward-alarms-dev` },
        },
      }],
    });
    const policies = ofType(stack, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === "alarm-forwarder-dev");
    expect(policies).to.have.length(1);
    expect(doc(policies[0].inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{ Sid: "PutEventsOnHubBus", Effect: "Allow", Action: "events:PutEvents", Resource: hub.outputs.eventBusArn }],
    });
    expect(stack.outputs.alarmForwarderRoleArn).to.equal(`arn:aws:iam::${SEARCH}:role/alarm-forwarder-dev`);
  });

  it("declares no forwarder in an account without alarms (dev-payments)", async () => {
    const payments = await stackOf("dev", "dev-payments");
    expect(ofType(payments, "observability:index:AlarmForwarder")).to.deep.equal([]);
    expect(payments.outputs.forwardedAlarmArns).to.deep.equal([]);
  });
});

describe("alert pipeline, workload side (prod plan)", () => {
  it("every prod account's forwarder targets the prod hub bus, and the bus admits the organisation's accounts", async () => {
    const hub = await hubSideOf("prod");
    const busStatement = doc(ofType(hub, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")[0].inputs.policy).Statement[0];
    expect(busStatement).to.deep.include({ Principal: "*", Action: "events:PutEvents", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } });
    for (const [stackName, accountId, count] of [["prod-payments", "320987654321", 7], ["prod-search", "420987654321", 3], ["prod-data", "520987654321", 2]] as const) {
      const stack = await stackOf("prod", stackName);
      expect(ofType(stack, "aws:cloudwatch/metricAlarm:MetricAlarm"), stackName).to.have.length(count);
      const [target] = ofType(stack, "aws:cloudwatch/eventTarget:EventTarget");
      expect(target.inputs.arn).to.equal("arn:aws:events:eu-west-1:220987654321:event-bus/observability-alerts-prod");
      expect(target.accountId, `${stackName} forwards from its own account`).to.equal(accountId);
    }
  });
});
