/**
 * The alert pipeline's service-to-service hops, simulated from the plan's documents: AMP
 * alertmanager -> SNS topic (topic policy, topic key policy), SNS -> notifier Lambda (the
 * function policy built from its Permission resources), the notifier's own permissions
 * (secrets, their key, its DLQ), SNS/EventBridge dead letters, the pipeline's health alarms,
 * and the workload alarm forwarders -> hub event bus -> notifier.
 */
import { expect } from "chai";
import { alertPublishPaths, forwarderPaths, hubAlarmPaths, hubWorkspaces, notifierPath, workspaceArn } from "./paths";
import { ENVIRONMENTS, STRANGER_ACCOUNT, STRANGER_ORG, allowed, denied, modelOf, otherThan } from "./expect";
import { PlanIndex, hypotheticalRole, indexOf, roleArn, roleSession, service } from "./simulate";

/** The key a topic is encrypted with (must be declared by the plan). */
function topicKey(index: PlanIndex, topicArn: string): string {
  const key = index.resource(topicArn).record.inputs.kmsMasterKeyId as string | undefined;
  if (!key) throw new Error(`${topicArn} is not encrypted with a customer managed key`);
  index.resource(key);
  return key;
}

const viaSns = (index: PlanIndex) => ({ "kms:ViaService": `sns.${index.region}.amazonaws.com` });

for (const environment of ENVIRONMENTS) {
  const model = modelOf(environment);

  describe(`IAM paths (${environment}): alert pipeline`, () => {
    it("every workspace's alertmanager publishes to a topic the hub declares", async () => {
      const index = await indexOf(environment);
      const paths = alertPublishPaths(index);
      expect([...new Set(paths.map((p) => p.workspaceArn))].sort()).to.deep.equal(hubWorkspaces(index));
      for (const path of paths) index.resource(path.topicArn);
    });

    it("aps.amazonaws.com publishes each workspace's alerts to the topic (sns:Publish, sns:GetTopicAttributes)", async () => {
      const index = await indexOf(environment);
      for (const path of alertPublishPaths(index)) {
        for (const action of ["sns:Publish", "sns:GetTopicAttributes"]) {
          await allowed(index, { caller: service("aps.amazonaws.com", path.workspaceArn, index.hubAccountId), action, resource: path.topicArn });
        }
      }
    });

    // The topic admits every workspace of the hub account (aws:SourceArn workspace/*): one
    // statement at any scale. Workspaces elsewhere, other source accounts and services are out.
    it("publish neighbours: a workspace of another account, another SourceAccount, no source, another service, are denied", async () => {
      const index = await indexOf(environment);
      for (const path of alertPublishPaths(index)) {
        const id = path.workspaceArn.split("/").pop()!;
        const request = { action: "sns:Publish", resource: path.topicArn };
        for (const account of [...index.accounts.filter((a) => a !== index.hubAccountId), STRANGER_ACCOUNT]) {
          await denied(index, { ...request, caller: service("aps.amazonaws.com", workspaceArn(index.region, account, id), account) });
        }
        await denied(index, { ...request, caller: service("aps.amazonaws.com", path.workspaceArn, STRANGER_ACCOUNT) });
        await denied(index, { ...request, caller: service("aps.amazonaws.com") });
        await denied(index, { ...request, caller: service("cloudwatch.amazonaws.com", path.workspaceArn, index.hubAccountId) });
      }
    });

    it("the topic's key lets aps.amazonaws.com encrypt and decrypt for those workspaces only (kms:GenerateDataKey*, kms:Decrypt)", async () => {
      const index = await indexOf(environment);
      for (const path of alertPublishPaths(index)) {
        const key = topicKey(index, path.topicArn);
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          await allowed(index, { caller: service("aps.amazonaws.com", path.workspaceArn, index.hubAccountId), action, resource: key, context: viaSns(index) });
          const id = path.workspaceArn.split("/").pop()!;
          await denied(index, { caller: service("aps.amazonaws.com", workspaceArn(index.region, STRANGER_ACCOUNT, id), STRANGER_ACCOUNT), action, resource: key, context: viaSns(index) }, "resource");
          await denied(index, { caller: service("aps.amazonaws.com", path.workspaceArn, STRANGER_ACCOUNT), action, resource: key, context: viaSns(index) }, "resource");
        }
      }
    });

    it("sns.amazonaws.com invokes the notifier for the subscribed topic; another topic is denied", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      expect(notifier.topics, "lambda subscriptions of the notifier").to.have.length.greaterThan(0);
      for (const topic of notifier.topics) {
        await allowed(index, { caller: service("sns.amazonaws.com", topic, index.hubAccountId), action: "lambda:InvokeFunction", resource: notifier.functionArn });
      }
      const otherTopics = [...index.resources.values()].filter((r) => r.type === "aws:sns/topic:Topic" && !notifier.topics.includes(r.arn)).map((r) => r.arn);
      expect(otherTopics, "the pipeline-health topic is a real neighbour").to.have.length.greaterThan(0);
      for (const topic of [...otherTopics, `arn:aws:sns:${index.region}:${STRANGER_ACCOUNT}:${notifier.topics[0].split(":").pop()}`]) {
        await denied(index, { caller: service("sns.amazonaws.com", topic, accountOf(topic)), action: "lambda:InvokeFunction", resource: notifier.functionArn }, "resource");
      }
      await denied(index, { caller: service("sns.amazonaws.com", notifier.topics[0], STRANGER_ACCOUNT), action: "lambda:InvokeFunction", resource: notifier.functionArn }, "resource");
    });

    it("events.amazonaws.com invokes the notifier from the forwarded-alarms rule; another rule is denied", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      expect(notifier.rules, "rules targeting the notifier").to.have.length.greaterThan(0);
      for (const rule of notifier.rules) {
        await allowed(index, { caller: service("events.amazonaws.com", rule, index.hubAccountId), action: "lambda:InvokeFunction", resource: notifier.functionArn });
        const [prefix] = rule.split("/");
        await denied(index, { caller: service("events.amazonaws.com", `${prefix}/default/${rule.split("/").pop()}`, index.hubAccountId), action: "lambda:InvokeFunction", resource: notifier.functionArn }, "resource");
        await denied(index, { caller: service("events.amazonaws.com", `${prefix}/${rule.split("/")[1]}/another-rule`, index.hubAccountId), action: "lambda:InvokeFunction", resource: notifier.functionArn }, "resource");
      }
    });

    it("lambda.amazonaws.com assumes the notifier's execution role for a function of this account; another account is denied", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      await allowed(index, { caller: service("lambda.amazonaws.com", notifier.functionArn, index.hubAccountId), action: "sts:AssumeRole", resource: notifier.roleArn });
      const foreign = notifier.functionArn.replace(`:${index.hubAccountId}:`, `:${STRANGER_ACCOUNT}:`);
      await denied(index, { caller: service("lambda.amazonaws.com", foreign, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: notifier.roleArn }, "resource");
    });

    it("the notifier role reads each destination secret of its configuration; not another secret", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      const role = index.role(notifier.roleArn);
      expect(notifier.secretArns, "one secret per configured destination").to.have.length(model.alerting?.destinations.length ?? 0);
      for (const secret of notifier.secretArns) {
        index.resource(secret);
        await allowed(index, { caller: roleSession(role, "notifier"), action: "secretsmanager:GetSecretValue", resource: secret });
      }
      const others = [
        ...[...index.resources.values()].filter((r) => r.type === "aws:secretsmanager/secret:Secret" && !notifier.secretArns.includes(r.arn)).map((r) => r.arn),
        `arn:aws:secretsmanager:${index.region}:${index.hubAccountId}:secret:observability/${environment}/alerting-other-AbCdEf`,
        `arn:aws:secretsmanager:${index.region}:${index.hubAccountId}:secret:observability/${environment}/deploy-credentials-AbCdEf`,
      ];
      for (const secret of others) await denied(index, { caller: roleSession(role, "notifier"), action: "secretsmanager:GetSecretValue", resource: secret }, "identity");
    });

    it("the notifier role decrypts its secrets' key through Secrets Manager only (key policy and identity policy)", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      const role = index.role(notifier.roleArn);
      const keys = new Set(notifier.secretArns.map((s) => String(index.resource(s).record.inputs.kmsKeyId)));
      for (const key of keys) {
        const decision = await allowed(index, {
          caller: roleSession(role, "notifier"), action: "kms:Decrypt", resource: key,
          context: { "kms:ViaService": `secretsmanager.${index.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
        });
        expect(decision.identity).to.equal("Allowed");
        await denied(index, { caller: roleSession(role, "notifier"), action: "kms:Decrypt", resource: key, context: { "aws:ViaAWSService": "false" } }, "identity", "resource");
        await denied(index, { caller: roleSession(role, "notifier"), action: "kms:Encrypt", resource: key, context: { "kms:ViaService": `secretsmanager.${index.region}.amazonaws.com`, "aws:ViaAWSService": "true" } }, "identity");
      }
    });

    it("the notifier role reads and conditionally writes items of its delivery ledger table only; nothing table-wide, no other table", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      const role = index.role(notifier.roleArn);
      const [fn] = index.hub.resources.filter((r) => r.type === "aws:lambda/function:Function");
      const tableName = String((fn.inputs.environment as any).variables.DELIVERY_LEDGER_TABLE);
      const tables = index.hub.resources.filter((r) => r.type === "aws:dynamodb/table:Table").map((t) => String(t.inputs.name));
      expect(tables, "the table the notifier is given is the one the hub declares").to.deep.equal([tableName]);
      const table = `arn:aws:dynamodb:${index.region}:${index.hubAccountId}:table/${tableName}`;
      const caller = roleSession(role, "notifier");
      for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]) {
        const decision = await allowed(index, { caller, action, resource: table, resourcePolicy: null });
        expect(decision.identity).to.equal("Allowed");
        await denied(index, { caller, action, resource: `${table}-other`, resourcePolicy: null }, "identity");
        await denied(index, { caller, action, resource: `arn:aws:dynamodb:${index.region}:${STRANGER_ACCOUNT}:table/${tableName}`, resourcePolicy: null }, "identity");
      }
      for (const action of ["dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteTable", "dynamodb:UpdateTable"]) {
        await denied(index, { caller, action, resource: table, resourcePolicy: null }, "identity");
      }
      // Its key, only when DynamoDB asks on the notifier's behalf.
      const key = String((index.hub.resources.find((r) => r.type === "aws:dynamodb/table:Table")!.inputs.serverSideEncryption as any).kmsKeyArn);
      const viaDynamo = { "kms:ViaService": `dynamodb.${index.region}.amazonaws.com`, "aws:ViaAWSService": "true" };
      expect((await allowed(index, { caller, action: "kms:Decrypt", resource: key, context: viaDynamo })).identity).to.equal("Allowed");
      await denied(index, { caller, action: "kms:Decrypt", resource: key, context: { "aws:ViaAWSService": "false" } }, "identity", "resource");
    });

    it("the notifier role sends failed invocations to its own DLQ; not to another queue", async () => {
      const index = await indexOf(environment);
      const notifier = notifierPath(index);
      const role = index.role(notifier.roleArn);
      index.resource(notifier.deadLetterQueueArn);
      await allowed(index, { caller: roleSession(role, "notifier"), action: "sqs:SendMessage", resource: notifier.deadLetterQueueArn });
      const other = `${notifier.deadLetterQueueArn}-other`;
      await denied(index, { caller: roleSession(role, "notifier"), action: "sqs:SendMessage", resource: other }, "identity");
      await denied(index, { caller: roleSession(role, "notifier"), action: "sqs:PurgeQueue", resource: notifier.deadLetterQueueArn }, "identity");
    });

    it("SNS and EventBridge dead-letter undeliverable alerts into the DLQ; other sources are denied", async () => {
      const index = await indexOf(environment);
      const hub = index.hub;
      const sources: Array<{ service: string; sourceArn: string; queue: string }> = [];
      for (const subscription of hub.resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.redrivePolicy)) {
        sources.push({ service: "sns.amazonaws.com", sourceArn: String(subscription.inputs.topic), queue: String(JSON.parse(String(subscription.inputs.redrivePolicy)).deadLetterTargetArn) });
      }
      for (const target of hub.resources.filter((r) => r.type === "aws:cloudwatch/eventTarget:EventTarget" && (r.inputs.deadLetterConfig as any)?.arn)) {
        const rule = notifierPath(index).rules.find((arn) => arn.endsWith(`/${target.inputs.rule}`));
        if (!rule) throw new Error(`event target ${target.name}: rule ${target.inputs.rule} not found`);
        sources.push({ service: "events.amazonaws.com", sourceArn: rule, queue: String((target.inputs.deadLetterConfig as any).arn) });
      }
      expect(sources.map((s) => s.service).sort()).to.deep.equal(["events.amazonaws.com", "sns.amazonaws.com"]);
      for (const source of sources) {
        await allowed(index, { caller: service(source.service, source.sourceArn, index.hubAccountId), action: "sqs:SendMessage", resource: source.queue });
        await denied(index, { caller: service(source.service, `${source.sourceArn}-other`, index.hubAccountId), action: "sqs:SendMessage", resource: source.queue }, "resource");
      }
    });

    it("the pipeline's health alarms publish to the health topic through its key; other alarms are denied", async () => {
      const index = await indexOf(environment);
      const alarms = hubAlarmPaths(index);
      expect(alarms).to.have.length.greaterThan(0);
      for (const alarm of alarms) {
        const caller = service("cloudwatch.amazonaws.com", alarm.alarmArn, index.hubAccountId);
        await allowed(index, { caller, action: "sns:Publish", resource: alarm.topicArn });
        const key = topicKey(index, alarm.topicArn);
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) await allowed(index, { caller, action, resource: key, context: viaSns(index) });
        const stranger = service("cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${index.region}:${index.hubAccountId}:alarm:some-other-alarm`, index.hubAccountId);
        await denied(index, { caller: stranger, action: "sns:Publish", resource: alarm.topicArn }, "resource");
      }
    });

    for (const workload of model.workloads.filter((w) => w.alarms?.length)) {
      describe(`forwarded CloudWatch alarms of ${workload.name}`, () => {
        const forwarderOf = async () => {
          const found = forwarderPaths(await indexOf(environment)).filter((p) => p.accountName === workload.name);
          if (found.length !== 1) throw new Error(`${workload.name}: expected one alarm forwarder target, found ${found.length}`);
          return found[0];
        };

        it("events.amazonaws.com assumes the forwarder role for this account's rule; another account's rule is denied", async () => {
          const index = await indexOf(environment);
          const path = await forwarderOf();
          await allowed(index, { caller: service("events.amazonaws.com", path.ruleArn, path.accountId), action: "sts:AssumeRole", resource: path.roleArn });
          const foreignRule = path.ruleArn.replace(`:${path.accountId}:`, `:${STRANGER_ACCOUNT}:`);
          await denied(index, { caller: service("events.amazonaws.com", foreignRule, STRANGER_ACCOUNT), action: "sts:AssumeRole", resource: path.roleArn }, "resource");
          await denied(index, { caller: service("events.amazonaws.com", `${path.ruleArn}-other`, path.accountId), action: "sts:AssumeRole", resource: path.roleArn }, "resource");
        });

        it("the forwarder role puts events on the hub bus: its identity policy and the bus policy (aws:PrincipalOrgID) allow it", async () => {
          const index = await indexOf(environment);
          const path = await forwarderOf();
          expect(path.busArn).to.equal(index.hub.outputs.eventBusArn);
          const decision = await allowed(index, { caller: roleSession(index.role(path.roleArn), "forwarder"), action: "events:PutEvents", resource: path.busArn });
          expect(decision.identity).to.equal("Allowed");
          expect(decision.resource).to.be.oneOf(["Allowed", "AllowedForAccount"]);
        });

        it("EventBridge dead-letters failed forwards into the account's DLQ for the forwarding rule only", async () => {
          const index = await indexOf(environment);
          const path = await forwarderOf();
          expect(path.deadLetterQueueArn, "forwarder target without a dead-letter queue").to.be.a("string");
          const queue = path.deadLetterQueueArn!;
          expect(accountOf(queue)).to.equal(path.accountId);
          await allowed(index, { caller: service("events.amazonaws.com", path.ruleArn, path.accountId), action: "sqs:SendMessage", resource: queue });
          await denied(index, { caller: service("events.amazonaws.com", `${path.ruleArn}-other`, path.accountId), action: "sqs:SendMessage", resource: queue }, "resource");
          await denied(index, { caller: service("sns.amazonaws.com", path.ruleArn, path.accountId), action: "sqs:SendMessage", resource: queue }, "resource");
        });

        it("the DLQ depth alarm publishes across accounts to the hub health topic through its key; strangers and other alarms are denied", async () => {
          const index = await indexOf(environment);
          const path = await forwarderOf();
          const healthTopic = String(index.hub.outputs.pipelineHealthTopicArn);
          expect(path.deadLetterAlarm, "no alarm on the forwarder DLQ").to.not.equal(undefined);
          const alarm = path.deadLetterAlarm!;
          expect(alarm.topics).to.deep.equal([healthTopic]);
          const key = topicKey(index, healthTopic);
          const caller = service("cloudwatch.amazonaws.com", alarm.alarmArn, path.accountId);
          await allowed(index, { caller, action: "sns:Publish", resource: healthTopic });
          for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) await allowed(index, { caller, action, resource: key, context: viaSns(index) });
          const strangerAlarm = alarm.alarmArn.replace(`:${path.accountId}:`, `:${STRANGER_ACCOUNT}:`);
          const stranger = service("cloudwatch.amazonaws.com", strangerAlarm, STRANGER_ACCOUNT);
          // A stranger account in another organisation (or, without one, simply unlisted).
          const strangerContext: Record<string, string> = index.organizationId ? { "aws:SourceOrgID": STRANGER_ORG } : {};
          await denied(index, { caller: stranger, action: "sns:Publish", resource: healthTopic, context: strangerContext }, "resource");
          for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            await denied(index, { caller: stranger, action, resource: key, context: { ...viaSns(index), ...strangerContext } }, "resource");
          }
          const otherAlarm = service("cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${index.region}:${path.accountId}:alarm:some-other-alarm`, path.accountId);
          await denied(index, { caller: otherAlarm, action: "sns:Publish", resource: healthTopic }, "resource");
          // The alert topic (to the notifier) stays closed to workload alarms.
          await denied(index, { caller, action: "sns:Publish", resource: String(index.hub.outputs.alertTopicArn) }, "resource");
        });

        // With an organisation id the bus admits any account of the organisation (one statement
        // at any scale); without one, exactly the registered accounts.
        it("bus neighbours: the same role outside the organisation (or, without one, in an unregistered account) is refused by the bus policy", async () => {
          const index = await indexOf(environment);
          const path = await forwarderOf();
          const role = index.role(path.roleArn);
          const stranger = hypotheticalRole(roleArn(STRANGER_ACCOUNT, role.name), role.policies.map((p) => p.policy));
          if (index.organizationId) {
            await denied(index, { caller: roleSession(stranger, "forwarder", STRANGER_ORG), action: "events:PutEvents", resource: path.busArn }, "resource");
            await denied(index, { caller: roleSession(role, "forwarder", STRANGER_ORG), action: "events:PutEvents", resource: path.busArn }, "resource");
          } else {
            await denied(index, { caller: roleSession(stranger, "forwarder"), action: "events:PutEvents", resource: path.busArn }, "resource");
          }
          const other = otherThan(index.plan.stacks.filter((s) => s.kind === "workload"), path.accountId);
          // The forwarder may put events on the hub bus only, not on another account's bus.
          await denied(index, { caller: roleSession(role, "forwarder"), action: "events:PutEvents", resource: `arn:aws:events:${index.region}:${other.accountId}:event-bus/default` }, "identity");
        });
      });
    }
  });
}

function accountOf(arn: string): string {
  return arn.split(":")[4];
}
