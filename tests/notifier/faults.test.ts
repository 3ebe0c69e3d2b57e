import { expect } from "chai";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { readLambdaEvent } from "../../components/alert-pipeline/notifier/inbound";
import { jiraFingerprintLabel } from "../../components/alert-pipeline/notifier/destinations/jira";
import { routeAlert } from "../../components/alert-pipeline/notifier/routing";
import { Sinks, startSinks } from "../support/sinks";
import { BatchEvent, mixedAlertBatch } from "./alert-batch";
import { silentLogger } from "../../components/alert-pipeline/notifier/logger";
import { allDestinationsConfig, memorySecretSource, sinkSecrets } from "./harness";

/** Lambda's asynchronous invocation: the first attempt and two retries, then the on-failure destination. */
const LAMBDA_ASYNC_ATTEMPTS = 3;
/** Concurrent invocations, as Lambda would run them. */
const CONCURRENT_INVOCATIONS = 32;

describe("notifier under destination faults", function () {
  this.timeout(60_000);
  let sinks: Sinks;

  before(async () => {
    sinks = await startSinks({ faults: { rate: 0.3, seed: 3, modes: ["5xx", "429", "timeout"], retryAfterSeconds: 1, holdMs: 10_000 } });
  });
  after(() => sinks.close());

  it("1000 alerts, 30% of calls failing: every alert is delivered or dead-lettered, and the counts add up", async () => {
    const config = allDestinationsConfig();
    const waits: number[] = [];
    const notifier = createNotifier({
      config,
      secrets: memorySecretSource(sinkSecrets(sinks)),
      logger: silentLogger,
      retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 8, requestTimeoutMs: 200, budgetMs: 30_000 },
      // Waits are recorded at full length but slept a thousandth of it, to keep the test short.
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms / 1000));
      },
    });

    const batch = mixedAlertBatch(1000);
    const allFingerprints = batch.flatMap((entry) => entry.fingerprints);
    expect(allFingerprints).to.have.length(1000);
    expect(new Set(allFingerprints).size).to.equal(1000);

    const delivered = new Set<string>();
    const deadLetterQueue: BatchEvent[] = [];
    let invocations = 0;

    async function invokeLikeLambda(entry: BatchEvent): Promise<void> {
      for (let attempt = 1; attempt <= LAMBDA_ASYNC_ATTEMPTS; attempt++) {
        invocations++;
        const result = await notifier.handle(entry.event);
        // Within one invocation, every alert is either delivered or counted as failed.
        expect(result.alerts.map((alert) => alert.fingerprint)).to.deep.equal(entry.fingerprints);
        expect(result.delivered + result.failed).to.equal(entry.fingerprints.length);
        expect(result.malformed).to.deep.equal([]);
        if (result.ok) {
          entry.fingerprints.forEach((fingerprint) => delivered.add(fingerprint));
          return;
        }
      }
      deadLetterQueue.push(entry);
    }

    const queue = [...batch];
    await Promise.all(
      Array.from({ length: CONCURRENT_INVOCATIONS }, async () => {
        for (let entry = queue.shift(); entry; entry = queue.shift()) await invokeLikeLambda(entry);
      }),
    );

    const deadLettered = deadLetterQueue.flatMap((entry) => entry.fingerprints);
    expect(delivered.size + deadLettered.length).to.equal(1000);
    expect(new Set([...delivered, ...deadLettered]).size).to.equal(1000);
    // Loose on purpose: on a loaded machine slow answers also time out; the sum above is the invariant.
    expect(delivered.size, "retries get most alerts through").to.be.greaterThan(700);

    // The faults really happened, of every kind, and Retry-After was honoured.
    const calls = Object.values(sinks.received).flat();
    const failedCalls = calls.filter((call) => call.outcome !== "accepted");
    expect(failedCalls.length / calls.length).to.be.within(0.25, 0.35);
    for (const mode of ["5xx", "429", "timeout"]) expect(failedCalls.some((call) => call.outcome === mode), mode).to.equal(true);
    expect(calls.some((call) => call.outcome === "rejected"), "no request was malformed").to.equal(false);
    expect(waits.filter((ms) => ms === 1000).length).to.be.greaterThan(0);
    expect(invocations).to.be.greaterThan(batch.length);

    // Delivered means delivered: each destination the alert was routed to accepted it.
    const slackText = sinks.accepted("slack").map((request) => request.body).join("\n");
    const pagerDutyKeys = new Set(sinks.accepted("pagerduty").map((request) => (request.json as { dedup_key: string }).dedup_key));
    const webhookFingerprints = new Set(sinks.accepted("webhook").map((request) => (request.json as { fingerprint: string }).fingerprint));
    const jiraLabels = new Set(sinks.jiraIssues.flatMap((issue) => issue.labels));
    const jiraSearches = sinks.accepted("jira").filter((request) => request.path.endsWith("/search/jql")).map((request) => request.body).join("\n");
    for (const entry of batch) {
      for (const { alert } of readLambdaEvent(entry.event).alerts) {
        if (!delivered.has(alert.fingerprint)) continue;
        for (const destination of routeAlert(config.destinations, alert)) {
          const proof = {
            slack: () => slackText.includes(`fingerprint ${alert.fingerprint}`),
            pagerduty: () => pagerDutyKeys.has(alert.fingerprint),
            webhook: () => webhookFingerprints.has(alert.fingerprint),
            jira: () =>
              alert.status === "firing" ? jiraLabels.has(jiraFingerprintLabel(alert.fingerprint)) : jiraSearches.includes(jiraFingerprintLabel(alert.fingerprint)),
          }[destination.type];
          expect(proof(), `${alert.fingerprint} at ${destination.name}`).to.equal(true);
        }
      }
    }
  });
});
