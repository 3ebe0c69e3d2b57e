/**
 * The delivery ledger against a real local DynamoDB (dynalite on 127.0.0.1) through the
 * real AWS SDK client: retried events reach only the destinations that do not have them.
 */
import { expect } from "chai";
import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { readLambdaEvent } from "../../components/alert-pipeline/notifier/inbound";
import { DeliveryLedger, dynamoDbLedger, ledgerPartitionKey, occurrenceOf } from "../../components/alert-pipeline/notifier/ledger";
import { LEDGER_PARTITION_KEY, LEDGER_SORT_KEY } from "../../components/alert-pipeline/notifier/ledger-schema";
import { silentLogger } from "../../components/alert-pipeline/notifier/logger";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { routeAlert } from "../../components/alert-pipeline/notifier/routing";
import { jiraFingerprintLabel } from "../../components/alert-pipeline/notifier/destinations/jira";
import { Sinks, startSinks } from "../support/sinks";
import { LocalDynamo, createLedgerTable, startLocalDynamo } from "../support/local-dynamo";
import { ofType, stackOf } from "../support/plans";
import { BatchEvent, mixedAlertBatch } from "./alert-batch";
import { allDestinationsConfig, memorySecretSource, sinkSecrets } from "./harness";

const CONCURRENT_INVOCATIONS = 64;
/** Retries until every event succeeds: the ledger must hold across any number of them. */
const MAX_ATTEMPTS = 25;

/** Gives each event its own notification id, as SNS and EventBridge do. */
function withNotificationIds(batch: BatchEvent[]): BatchEvent[] {
  return batch.map((entry, i) => {
    const event = JSON.parse(JSON.stringify(entry.event));
    if (Array.isArray(event.Records)) event.Records.forEach((record: any, r: number) => (record.Sns.MessageId = `msg-${i}-${r}`));
    else event.id = `evt-${i}`;
    return { ...entry, event };
  });
}

interface RunResult {
  deliveredEvents: number;
  invocations: number;
  /** Per alert fingerprint and destination name: how many times the destination accepted it. */
  accepted: Map<string, number>;
  routed: Array<{ fingerprint: string; destination: string; type: string; status: string }>;
}

async function runBatch(sinks: Sinks, batch: BatchEvent[], ledger: DeliveryLedger | undefined): Promise<RunResult> {
  const config = allDestinationsConfig();
  const notifier = createNotifier({
    config,
    secrets: memorySecretSource(sinkSecrets(sinks)),
    logger: silentLogger,
    ledger,
    // Two HTTP attempts per request: about one request in eleven still fails the invocation, so Lambda's retries do real work.
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 2_000, budgetMs: 30_000 },
    sleep: async () => {},
  });
  let invocations = 0;
  let deliveredEvents = 0;
  const queue = [...batch];
  await Promise.all(Array.from({ length: CONCURRENT_INVOCATIONS }, async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        invocations++;
        const result = await notifier.handle(entry.event);
        if (result.ok) {
          deliveredEvents++;
          break;
        }
      }
    }
  }));

  const routed = batch.flatMap((entry) => readLambdaEvent(entry.event).alerts.flatMap(({ alert }) =>
    routeAlert(config.destinations, alert).map((d) => ({ fingerprint: alert.fingerprint, destination: d.name, type: d.type, status: alert.status }))));
  const accepted = new Map<string, number>();
  const count = (fingerprint: string, destination: string) => accepted.set(`${fingerprint} ${destination}`, (accepted.get(`${fingerprint} ${destination}`) ?? 0) + 1);
  const byType = Object.fromEntries(config.destinations.map((d) => [d.type, d.name]));
  for (const request of sinks.accepted("slack")) {
    for (const match of request.body.matchAll(/fingerprint ([0-9a-f]{16})/g)) count(match[1], byType.slack);
  }
  for (const request of sinks.accepted("pagerduty")) count((request.json as { dedup_key: string }).dedup_key, byType.pagerduty);
  for (const request of sinks.accepted("webhook")) count((request.json as { fingerprint: string }).fingerprint, byType.webhook);
  for (const issue of sinks.jiraIssues) {
    for (const { fingerprint } of routed.filter((r) => r.type === "jira" && issue.labels.includes(jiraFingerprintLabel(r.fingerprint)))) count(fingerprint, byType.jira);
  }
  return { deliveredEvents, invocations, accepted, routed };
}

describe("notifier delivery ledger (dynalite, real AWS SDK client)", function () {
  this.timeout(60_000);
  let dynamo: LocalDynamo;

  before(async () => {
    dynamo = await startLocalDynamo();
  });
  after(() => dynamo.close());

  it("claims, acknowledges and releases with conditional writes; another owner's live claim is busy", async () => {
    await createLedgerTable(dynamo.client, "ledger-unit");
    let now = 1_000_000;
    const ledger = dynamoDbLedger({ client: dynamo.client, tableName: "ledger-unit", now: () => now });
    const key = { fingerprint: "00000000000000aa", status: "firing", occurrence: "msg-1@2024-05-01T10:00:00.000Z", destination: "slack-alerts" };
    expect(await ledger.claim(key, "a", now + 10_000)).to.deep.equal({ kind: "claimed" });
    expect(await ledger.claim(key, "b", now + 10_000)).to.deep.equal({ kind: "busy", owner: "a" });
    await ledger.release(key, "a", "503");
    expect(await ledger.claim(key, "b", now + 10_000)).to.deep.equal({ kind: "claimed" });
    // a's late release does not undo b's claim.
    await ledger.release(key, "a", "late");
    expect(await ledger.claim(key, "c", now + 10_000)).to.deep.equal({ kind: "busy", owner: "b" });
    // b died holding it: once the lease is over, c may take over.
    now += 20_000;
    expect(await ledger.claim(key, "c", now + 10_000)).to.deep.equal({ kind: "claimed" });
    await ledger.acknowledge(key, "c", "posted");
    expect(await ledger.claim(key, "d", now + 10_000)).to.deep.equal({ kind: "acknowledged", action: "posted" });
    await ledger.release(key, "c", "never after delivered");
    expect(await ledger.claim({ ...key, destination: "audit-webhook" }, "d", now + 10_000)).to.deep.equal({ kind: "claimed" });
    const item = await dynamo.client.send(new GetItemCommand({
      TableName: "ledger-unit", Key: { [LEDGER_PARTITION_KEY]: { S: ledgerPartitionKey(key) }, [LEDGER_SORT_KEY]: { S: key.destination } },
    }));
    expect(item.Item?.state?.S).to.equal("delivered");
    expect(Number(item.Item?.expiresAt?.N)).to.be.greaterThan(now / 1000 + 14 * 24 * 3600);
  });

  it("works against the table exactly as the hub plans it (keys, attribute types, billing mode)", async () => {
    // DynamoDB refuses a key schema whose attributes are not defined, or definitions no key uses;
    // a conditional write naming the wrong key attribute would claim every time.
    const [table] = ofType(await stackOf("dev", "dev"), "aws:dynamodb/table:Table");
    const inputs = table.inputs as { name: string; billingMode: "PAY_PER_REQUEST"; hashKey: string; rangeKey: string; attributes: Array<{ name: string; type: "S" }> };
    await dynamo.client.send(new CreateTableCommand({
      TableName: inputs.name,
      BillingMode: inputs.billingMode,
      AttributeDefinitions: inputs.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [{ AttributeName: inputs.hashKey, KeyType: "HASH" }, { AttributeName: inputs.rangeKey, KeyType: "RANGE" }],
    }));
    const ledger = dynamoDbLedger({ client: dynamo.client, tableName: inputs.name });
    const key = { fingerprint: "00000000000000bb", status: "firing", occurrence: "msg-1@-", destination: "slack-alerts" };
    expect(await ledger.claim(key, "a", Date.now() + 60_000)).to.deep.equal({ kind: "claimed" });
    expect(await ledger.claim(key, "b", Date.now() + 60_000)).to.deep.equal({ kind: "busy", owner: "a" });
    await ledger.acknowledge(key, "a", "posted");
    expect(await ledger.claim(key, "b", Date.now() + 60_000)).to.deep.equal({ kind: "acknowledged", action: "posted" });
  });

  it("keys an occurrence by notification and time: retries share it, repeat notifications do not, no id means no ledger", () => {
    const firing = { status: "firing", startsAt: "2024-05-01T10:00:00.000Z" };
    expect(occurrenceOf(firing, "m-1")).to.equal(occurrenceOf(firing, "m-1"));
    expect(occurrenceOf(firing, "m-1")).not.to.equal(occurrenceOf(firing, "m-2"));
    expect(occurrenceOf({ status: "resolved", startsAt: firing.startsAt, endsAt: "2024-05-01T10:30:00.000Z" }, "m-1")).to.equal("m-1@2024-05-01T10:30:00.000Z");
    expect(occurrenceOf(firing, undefined)).to.equal(undefined);
  });

  it("1000 alerts, 30% of sink calls failing, retried until delivered: exactly one delivery per alert and destination", async function () {
    // About 45 s alone on dynalite; a busy machine must not turn that into a failure.
    this.timeout(240_000);
    await createLedgerTable(dynamo.client, "ledger-1000");
    const sinks = await startSinks({ faults: { rate: 0.3, seed: 11, modes: ["5xx", "429"], retryAfterSeconds: 0 } });
    try {
      const batch = withNotificationIds(mixedAlertBatch(1000));
      const result = await runBatch(sinks, batch, dynamoDbLedger({ client: dynamo.client, tableName: "ledger-1000" }));
      expect(result.deliveredEvents, "every event succeeds in the end").to.equal(batch.length);
      expect(result.invocations, "faults forced retries").to.be.greaterThan(batch.length * 1.2);
      const calls = Object.values(sinks.received).flat();
      expect(calls.filter((c) => c.outcome !== "accepted").length / calls.length).to.be.within(0.2, 0.4);

      const checked = result.routed.filter((r) => r.type !== "jira" || r.status === "firing");
      expect(new Set(result.routed.map((r) => r.fingerprint)).size).to.equal(1000);
      const wrong = checked.filter((r) => result.accepted.get(`${r.fingerprint} ${r.destination}`) !== 1)
        .map((r) => `${r.fingerprint} at ${r.destination}: ${result.accepted.get(`${r.fingerprint} ${r.destination}`) ?? 0}`);
      expect(wrong, "alerts not delivered exactly once").to.deep.equal([]);
      expect(checked.length).to.be.greaterThan(2000);
    } finally {
      await sinks.close();
    }
  });

  it("without the ledger, the same faults deliver duplicates (what the ledger prevents)", async () => {
    const sinks = await startSinks({ faults: { rate: 0.3, seed: 11, modes: ["5xx", "429"], retryAfterSeconds: 0 } });
    try {
      const batch = withNotificationIds(mixedAlertBatch(200));
      const result = await runBatch(sinks, batch, undefined);
      expect(result.deliveredEvents).to.equal(batch.length);
      const duplicates = [...result.accepted.values()].filter((n) => n > 1).length;
      expect(duplicates).to.be.greaterThan(0);
    } finally {
      await sinks.close();
    }
  });
});
