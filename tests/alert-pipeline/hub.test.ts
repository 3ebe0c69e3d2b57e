import { parse } from "yaml";
import { expect } from "chai";
import { ampAlertmanagerViolations, renderAlertmanagerDefinition, resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { renderRuleNamespaces, resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { PlannedStack } from "../../stacks/plan/plan";
import { doc, named, ofType, hubSideOf, planOf } from "../support/plans";

const HUB = "210987654321";
const REGION = "eu-west-1";
const HUB_WORKSPACES = `arn:aws:aps:${REGION}:${HUB}:workspace/*`;
const TOPIC = `arn:aws:sns:${REGION}:${HUB}:observability-alerts-dev`;
const FORWARDER_DLQ_ALARMS = `arn:aws:cloudwatch:${REGION}:*:alarm:alarm-forwarder-dlq-dev-not-empty`;
const HEALTH_TOPIC = `arn:aws:sns:${REGION}:${HUB}:observability-alert-pipeline-health-dev`;
const KEY = `arn:aws:kms:${REGION}:${HUB}:key/known-at-deploy-alerts-dev-key`;
const DLQ = `arn:aws:sqs:${REGION}:${HUB}:alert-notifier-dlq-dev`;
const LEDGER = `arn:aws:dynamodb:${REGION}:${HUB}:table/alert-delivery-ledger-dev`;
const BUS = `arn:aws:events:${REGION}:${HUB}:event-bus/observability-alerts-dev`;
const BUS_RULE = `arn:aws:events:${REGION}:${HUB}:rule/observability-alerts-dev/forwarded-alarm-changes`;
const LOG_GROUP = `arn:aws:logs:${REGION}:${HUB}:log-group:/aws/lambda/alert-notifier-dev`;
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/dev/alerting/${name}-known-at-deploy`;
const ALARMS = [
  `arn:aws:cloudwatch:${REGION}:${HUB}:alarm:alert-notifier-dev-errors`,
  `arn:aws:cloudwatch:${REGION}:${HUB}:alarm:alert-notifier-dlq-dev-not-empty`,
];

describe("alert pipeline, hub side (dev plan)", () => {
  let hub: PlannedStack;
  before(async () => {
    hub = await hubSideOf("dev");
  });

  it("exports the topic, the alert bus and the dead-letter queue, and gives every account the bus ARN", () => {
    expect(hub.outputs.alertTopicArn).to.equal(TOPIC);
    expect(hub.outputs.eventBusArn).to.equal(BUS);
    expect(hub.outputs.alertDeadLetterQueueUrl).to.equal(`https://sqs.${REGION}.amazonaws.com/${HUB}/alert-notifier-dlq-dev`);
    expect(hub.outputs.pipelineHealthTopicArn).to.equal(HEALTH_TOPIC);
    const records = hub.outputs.workloads as Record<string, { eventBusArn: string }>;
    expect(Object.values(records).map((r) => r.eventBusArn)).to.deep.equal([BUS, BUS]);
  });

  it("deploys every pipeline resource into the hub account through its stack's provider: the shared parts in the shared stack, each workspace's alerting in its account's hub stack", async () => {
    const plan = await planOf("dev");
    const pipelineTypes = ["observability:index:AlertPipeline", "observability:alerts:WorkspaceAlerting"];
    const placed: Record<string, number> = {};
    for (const stack of plan.stacks) {
      const [provider] = ofType(stack, "pulumi:providers:aws");
      const components = stack.resources.filter((r) => pipelineTypes.includes(r.type));
      for (const component of components) {
        const children = stack.resources.filter((r) => r.custom && r.parent === component.urn);
        placed[`${stack.stack} ${component.name}`] = children.length;
        for (const r of children) expect([r.provider, r.accountId], `${stack.stack} ${r.type} ${r.name}`).to.deep.equal([provider.urn, HUB]);
      }
    }
    expect(Object.keys(placed)).to.deep.equal(["dev alerts-dev", "dev-hub-payments alerts-dev-payments", "dev-hub-search alerts-dev-search"]);
    expect(placed["dev alerts-dev"]).to.be.greaterThan(20);
    // Rule namespaces and the alertmanager definition of each workspace.
    expect(placed["dev-hub-payments alerts-dev-payments"]).to.be.greaterThan(1);
  });

  it("lets only AMP, for workspaces of the hub account, publish to a Standard topic encrypted with the alert key", () => {
    const topic = named(hub, "alerts-dev-topic");
    expect(topic.inputs.kmsMasterKeyId).to.equal(KEY);
    expect(topic.inputs.fifoTopic ?? false).to.equal(false);
    const topicPolicy = ofType(hub, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.name === "alerts-dev-topic")!;
    expect(topicPolicy.inputs.arn).to.equal(TOPIC);
    expect(doc(topicPolicy.inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{
        Sid: "AmpWorkspacesPublishAlerts",
        Effect: "Allow",
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["sns:GetTopicAttributes", "sns:Publish"],
        Resource: TOPIC,
        // One pattern for any number of accounts, instead of every workspace ARN.
        Condition: { ArnLike: { "aws:SourceArn": HUB_WORKSPACES }, StringEquals: { "aws:SourceAccount": HUB } },
      }],
    });
  });

  it("key policy: the account administers, uses only via Secrets Manager; AMP only for hub workspaces, CloudWatch only for its exact alarms, Logs only for the notifier's log group", () => {
    const policy = doc(named(hub, "alerts-dev-key").inputs.policy);
    expect(policy.Statement.map((s: any) => s.Sid)).to.deep.equal([
      "AccountAdministersKey", "UseOnlyThroughService", "UseThroughDynamoDbForTheDeliveryLedger",
      "AmpWorkspacesPublishToEncryptedTopic", "PipelineAlarmsPublishToEncryptedTopic",
      "WorkloadForwarderDeadLetterAlarmsPublishToEncryptedTopic", "CloudWatchLogsUsesKeyForOwnLogGroups",
    ]);
    const statement = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    // The notifier's log group is encrypted with this key, and Logs may use it for that group alone.
    const logGroup = hub.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.name === "alerts-dev-notifier")!;
    expect(logGroup.inputs.kmsKeyId).to.equal(KEY);
    expect(statement("CloudWatchLogsUsesKeyForOwnLogGroups").Condition).to.deep.equal({
      ArnEquals: { "kms:EncryptionContext:aws:logs:arn": [`arn:aws:logs:${REGION}:${HUB}:log-group:${logGroup.inputs.name}`] },
    });
    // A service principal may use the key to publish to the encrypted topics, for these sources only.
    const expectServiceUsesKey = (Sid: string, service: string, Condition: unknown) => expect(statement(Sid)).to.deep.equal(
      { Sid, Effect: "Allow", Principal: { Service: service }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*", Condition });
    expect(statement("UseOnlyThroughService").Condition).to.deep.equal({ StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`, "kms:CallerAccount": HUB } });
    // The ledger table is encrypted with this key: the account uses it through DynamoDB only.
    expect(statement("UseThroughDynamoDbForTheDeliveryLedger").Condition).to.deep.equal({
      StringEquals: { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com`, "kms:CallerAccount": HUB },
    });
    expectServiceUsesKey("AmpWorkspacesPublishToEncryptedTopic", "aps.amazonaws.com",
      { ArnLike: { "aws:SourceArn": HUB_WORKSPACES }, StringEquals: { "aws:SourceAccount": HUB } });
    expectServiceUsesKey("PipelineAlarmsPublishToEncryptedTopic", "cloudwatch.amazonaws.com",
      { ArnEquals: { "aws:SourceArn": ALARMS }, StringEquals: { "aws:SourceAccount": HUB } });
    // The workload accounts' forwarder DLQ alarm (one name in every account) publishes to the
    // encrypted health topic: only that alarm name, only from the organisation.
    expectServiceUsesKey("WorkloadForwarderDeadLetterAlarmsPublishToEncryptedTopic", "cloudwatch.amazonaws.com",
      { ArnLike: { "aws:SourceArn": FORWARDER_DLQ_ALARMS }, StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } });
    const services = policy.Statement.flatMap((s: any) => [s.Principal.Service ?? []].flat());
    expect(services).to.have.members(["aps.amazonaws.com", "cloudwatch.amazonaws.com", "cloudwatch.amazonaws.com", `logs.${REGION}.amazonaws.com`]);
  });

  it("gives the notifier exactly its secrets, its key via Secrets Manager, its log group and its DLQ; no managed policies", () => {
    const roles = ofType(hub, "aws:iam/role:Role").filter((r) => r.name === "alerts-dev-notifier");
    expect(roles).to.have.length(1);
    expect(roles[0].inputs.managedPolicyArns ?? []).to.deep.equal([]);
    expect(doc(roles[0].inputs.assumeRolePolicy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{
        Sid: "TrustServiceForThisAccount", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": HUB } },
      }],
    });
    const policies = ofType(hub, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === "alert-notifier-dev");
    expect(policies).to.have.length(1);
    expect(ofType(hub, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.deep.equal([]);
    expect(doc(policies[0].inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("chatops-webhook"), secretArn("slack-dev-alerts")] },
        { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } },
        // The delivery ledger: item reads and conditional writes on exactly that table, nothing table-wide.
        { Sid: "ReadWriteOwnLedgerTable", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: LEDGER },
        { Sid: "DecryptOwnLedgerThroughDynamoDb", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com` } } },
        { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP}:*` },
        { Sid: "SendFailuresToOwnDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: DLQ },
      ],
    });
  });

  it("keeps the delivery ledger in an on-demand DynamoDB table keyed per alert occurrence and destination, with TTL, encrypted with the alert key", () => {
    const tables = ofType(hub, "aws:dynamodb/table:Table");
    expect(tables).to.have.length(1);
    expect(tables[0].inputs).to.deep.include({
      name: "alert-delivery-ledger-dev", billingMode: "PAY_PER_REQUEST", hashKey: "pk", rangeKey: "destination",
    });
    expect(tables[0].inputs.attributes).to.deep.equal([{ name: "pk", type: "S" }, { name: "destination", type: "S" }]);
    expect(tables[0].inputs.ttl).to.deep.equal({ attributeName: "expiresAt", enabled: true });
    expect(tables[0].inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: KEY });
  });

  it("creates each destination secret empty, encrypted with the alert key, and passes only its ARN to the notifier", () => {
    const secrets = ofType(hub, "aws:secretsmanager/secret:Secret").filter((s) => s.name.startsWith("alerts-dev-"));
    expect(secrets.map((s) => s.inputs.name)).to.have.members(["observability/dev/alerting/slack-dev-alerts", "observability/dev/alerting/chatops-webhook"]);
    for (const s of secrets) expect(s.inputs.kmsKeyId).to.equal(KEY);
    expect(ofType(hub, "aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal([]);

    const fn = ofType(hub, "aws:lambda/function:Function").find((f) => f.name === "alerts-dev-notifier")!;
    expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", handler: "index.handler", role: `arn:aws:iam::${HUB}:role/alert-notifier-dev` });
    const variables = (fn.inputs.environment as any).variables;
    expect(Object.keys(variables).sort()).to.deep.equal(["DELIVERY_LEDGER_TABLE", "LOG_LEVEL", "NOTIFIER_CONFIG"]);
    expect(variables.DELIVERY_LEDGER_TABLE).to.equal("alert-delivery-ledger-dev");
    expect(JSON.parse(variables.NOTIFIER_CONFIG)).to.deep.equal({
      destinations: [
        { name: "slack-dev-alerts", type: "slack", secretArn: secretArn("slack-dev-alerts") },
        { name: "chatops-webhook", type: "webhook", secretArn: secretArn("chatops-webhook"), match: { severities: ["critical", "error"] } },
      ],
    });
    expect((fn.inputs.loggingConfig as any).logGroup).to.equal("/aws/lambda/alert-notifier-dev");
  });

  it("lets only the alert topic and the forwarded-alarm rule invoke the notifier", () => {
    const permissions = ofType(hub, "aws:lambda/permission:Permission").filter((p) => p.inputs.function === "alert-notifier-dev");
    expect(permissions.map((p) => [p.inputs.principal, p.inputs.sourceArn]).sort()).to.deep.equal([
      ["events.amazonaws.com", BUS_RULE],
      ["sns.amazonaws.com", TOPIC],
    ]);
    const subscription = ofType(hub, "aws:sns/topicSubscription:TopicSubscription").find((s) => s.inputs.protocol === "lambda")!;
    expect(subscription.inputs).to.deep.include({ topic: TOPIC, endpoint: `arn:aws:lambda:${REGION}:${HUB}:function:alert-notifier-dev` });
    expect(JSON.parse(subscription.inputs.redrivePolicy as string)).to.deep.equal({ deadLetterTargetArn: DLQ });
  });

  it("dead-letters failed invocations to an encrypted queue that only the topic and the rule may also fill", () => {
    const queue = named(hub, "alerts-dev-dlq");
    expect(queue.type).to.equal("aws:sqs/queue:Queue");
    expect(queue.inputs.sqsManagedSseEnabled).to.equal(true);
    expect(queue.inputs.messageRetentionSeconds).to.equal(14 * 24 * 3600);
    const [invoke] = ofType(hub, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(invoke.inputs).to.deep.include({ functionName: "alert-notifier-dev", maximumRetryAttempts: 2 });
    expect(invoke.inputs.destinationConfig).to.deep.equal({ onFailure: { destination: DLQ } });
    const queuePolicy = ofType(hub, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.name === "alerts-dev-dlq")!;
    expect(doc(queuePolicy.inputs.policy).Statement).to.deep.equal([
      { Sid: "TopicDeliveryFailures", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: DLQ, Condition: { ArnEquals: { "aws:SourceArn": TOPIC } } },
      { Sid: "EventRuleDeliveryFailures", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: DLQ, Condition: { ArnEquals: { "aws:SourceArn": BUS_RULE } } },
    ]);
  });

  it("alarms on a non-empty DLQ and on notifier errors, to a health topic with email subscribers that bypasses the notifier", () => {
    const alarms = ofType(hub, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const dlq = alarms.find((a) => a.name === "alerts-dev-dlq-not-empty")!;
    expect(dlq.inputs).to.deep.include({
      namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", comparisonOperator: "GreaterThanThreshold", threshold: 0,
    });
    expect(dlq.inputs.dimensions).to.deep.equal({ QueueName: "alert-notifier-dlq-dev" });
    const errors = alarms.find((a) => a.name === "alerts-dev-notifier-errors")!;
    expect(errors.inputs).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors", comparisonOperator: "GreaterThanThreshold", threshold: 0 });
    expect(errors.inputs.dimensions).to.deep.equal({ FunctionName: "alert-notifier-dev" });
    for (const alarm of [dlq, errors]) {
      expect(alarm.inputs.alarmActions).to.deep.equal([HEALTH_TOPIC]);
      expect(alarm.inputs.alarmActions).not.to.include(TOPIC);
    }
    const emails = ofType(hub, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.topic === HEALTH_TOPIC);
    expect(emails.map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([["email", "observability-dev@example.com"]]);
    const healthPolicy = ofType(hub, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.name === "alerts-dev-health")!;
    expect(doc(healthPolicy.inputs.policy).Statement).to.deep.equal([{
      Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: HEALTH_TOPIC,
      Condition: { ArnEquals: { "aws:SourceArn": ALARMS }, StringEquals: { "aws:SourceAccount": HUB } },
    }, {
      // Cross-account alarm action: each workload's forwarder DLQ alarm, from the organisation only.
      Sid: "WorkloadForwarderDeadLetterAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: HEALTH_TOPIC,
      Condition: { ArnLike: { "aws:SourceArn": FORWARDER_DLQ_ALARMS }, StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } },
    }]);
  });

  it("accepts events on the alert bus from accounts of the organisation, in one statement at any scale", () => {
    const busPolicy = ofType(hub, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")[0];
    expect(busPolicy.inputs.eventBusName).to.equal("observability-alerts-dev");
    expect(doc(busPolicy.inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [{
        Sid: "AcceptEventsFromOrganization",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: BUS,
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }],
    });
    const rule = named(hub, "alerts-dev-forwarded-alarms");
    expect(rule.inputs.eventBusName).to.equal("observability-alerts-dev");
    expect(JSON.parse(rule.inputs.eventPattern as string)).to.deep.equal({
      source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
    });
    const target = ofType(hub, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.name === "alerts-dev-forwarded-alarms")!;
    expect(target.inputs).to.deep.include({ arn: `arn:aws:lambda:${REGION}:${HUB}:function:alert-notifier-dev`, eventBusName: "observability-alerts-dev" });
    expect(target.inputs.deadLetterConfig).to.deep.equal({ arn: DLQ });
  });

  it("deploys per workspace the rendered rule namespaces with the account's team and overrides", () => {
    const namespaces = ofType(hub, "aws:amp/ruleGroupNamespace:RuleGroupNamespace");
    const of = (workspace: string) => namespaces.filter((n) => n.inputs.workspaceId === `ws-known-at-deploy-dev-${workspace}`)
      .map((n) => ({ name: n.inputs.name, data: n.inputs.data }));

    // payments scrapes every 60 s (collector.scrapeInterval), search every 30 s (the default).
    const payments = renderRuleNamespaces(resolveRuleSettings({ team: "payments", thresholds: { serviceLatencyP95Seconds: 0.3 }, collectorScrapeIntervalSeconds: 60 }));
    expect(of("payments")).to.deep.equal(payments.map((n) => ({ name: n.name, data: n.data })));
    const search = renderRuleNamespaces(resolveRuleSettings({ team: "search", disabledGroups: ["amp-quota"], collectorScrapeIntervalSeconds: 30 }));
    expect(of("search")).to.deep.equal(search.map((n) => ({ name: n.name, data: n.data })));

    // The overrides are visible in what is deployed: the threshold, the team, the disabled group.
    const paymentsRed = of("payments").find((n) => n.name === "service-red")!.data as string;
    const searchRed = of("search").find((n) => n.name === "service-red")!.data as string;
    expect(paymentsRed).to.match(/> 0\.3\b/);
    expect(searchRed).not.to.match(/> 0\.3\b/);
    expect(paymentsRed).to.include("team: payments");
    expect(searchRed).to.include("team: search");
    expect(of("payments").map((n) => n.name)).to.include("amp-quota");
    expect(of("search").map((n) => n.name)).not.to.include("amp-quota");
  });
});

describe("alert pipeline, alertmanager definitions (dev plan)", () => {
  let hub: PlannedStack;
  before(async () => {
    hub = await hubSideOf("dev");
  });

  for (const account of ["payments", "search"]) {
    it(`gives the ${account} workspace a definition publishing to the alert topic, routing the teams its rules use`, () => {
      const definitions = ofType(hub, "aws:amp/alertManagerDefinition:AlertManagerDefinition")
        .filter((d) => d.inputs.workspaceId === `ws-known-at-deploy-dev-${account}`);
      expect(definitions).to.have.length(1);
      const definition = definitions[0].inputs.definition as string;
      const expected = renderAlertmanagerDefinition(resolveAlertmanagerSettings(
        { region: REGION, topicArn: TOPIC }, { teams: { [account]: {}, observability: {} } }));
      expect(definition).to.equal(expected);
      expect(definition).to.include(`topic_arn: ${TOPIC}`);
      expect(definition).to.include(`team="${account}"`);
      expect(ampAlertmanagerViolations(definition)).to.deep.equal([]);
    });
  }
});

describe("alert pipeline, hub side (prod plan)", () => {
  let hub: PlannedStack;
  before(async () => {
    hub = await hubSideOf("prod");
  });

  it("routes to Slack per team, PagerDuty for critical and Jira for critical and error", () => {
    const fn = ofType(hub, "aws:lambda/function:Function").find((f) => f.name === "alerts-prod-notifier")!;
    const config = JSON.parse((fn.inputs.environment as any).variables.NOTIFIER_CONFIG);
    const prodSecret = (name: string) => `arn:aws:secretsmanager:${REGION}:220987654321:secret:observability/prod/alerting/${name}-known-at-deploy`;
    expect(config.destinations).to.deep.equal([
      { name: "slack-payments", type: "slack", secretArn: prodSecret("slack-payments"), match: { teams: ["payments"] } },
      { name: "slack-platform", type: "slack", secretArn: prodSecret("slack-platform"), match: { teams: ["platform", "observability", "search", "data"] } },
      { name: "pagerduty-oncall", type: "pagerduty", secretArn: prodSecret("pagerduty-oncall"), match: { severities: ["critical"] } },
      { name: "jira-ops", type: "jira", secretArn: prodSecret("jira-ops"), match: { severities: ["critical", "error"] }, jira: { projectKey: "OPS", issueType: "Incident" } },
    ]);
  });

  it("accepts bus events from the prod organisation and lets every prod hub workspace publish to the topic", () => {
    const busPolicy = doc(ofType(hub, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")[0].inputs.policy);
    expect(busPolicy.Statement[0].Condition).to.deep.equal({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } });
    const topicPolicy = doc(ofType(hub, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.name === "alerts-prod-topic")!.inputs.policy);
    const pattern = topicPolicy.Statement[0].Condition.ArnLike["aws:SourceArn"] as string;
    const workspaces = ofType(hub, "aws:amp/workspace:Workspace").map((w) => `arn:aws:aps:${REGION}:220987654321:workspace/ws-known-at-deploy-${w.inputs.alias}`);
    expect(workspaces).to.have.length(3);
    for (const workspace of workspaces) expect(new RegExp(`^${pattern.replace(/\*/g, ".*")}$`).test(workspace), workspace).to.equal(true);
  });

  it("leaves the service-red namespace out of the data account, whose rules disable it", () => {
    const names = ofType(hub, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
      .filter((n) => n.inputs.workspaceId === "ws-known-at-deploy-prod-data").map((n) => n.inputs.name);
    expect(names).to.deep.equal(["kubernetes-health", "collector-health", "amp-quota"]);
  });

  it("estimates active series with each account's own scrape interval (dev payments scrapes every 60 s)", async () => {
    const dev = await hubSideOf("dev");
    const quota = ofType(dev, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
      .find((n) => n.inputs.workspaceId === "ws-known-at-deploy-dev-payments" && n.inputs.name === "amp-quota")!;
    const records = (parse(quota.inputs.data as string).groups as Array<{ rules: Array<{ record?: string; expr: string }> }>).flatMap((g) => g.rules);
    const activeSeries = records.find((r) => r.record?.includes("active_series"))!;
    expect(activeSeries.expr).to.match(/\* 60$/);
  });

  it("leaves collector-health out of the managed-scraper account: the scraper exports no collector metrics, CollectorAbsent would page forever", () => {
    const names = ofType(hub, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
      .filter((n) => n.inputs.workspaceId === "ws-known-at-deploy-prod-search").map((n) => n.inputs.name);
    expect(names).to.include("kubernetes-health");
    expect(names).not.to.include("collector-health");
  });
});
