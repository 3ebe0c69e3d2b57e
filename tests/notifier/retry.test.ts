import { expect } from "chai";
import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfterMs } from "../../components/alert-pipeline/notifier/retry";
import { NotifierConfig } from "../../components/alert-pipeline/notifier/config";
import { Sinks, startSinks } from "../support/sinks";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import { SECRET_ARNS, captureLogger, memorySecretSource, recordingSleep, sinkSecrets } from "./harness";

const PAGERDUTY_ONLY: NotifierConfig = { destinations: [{ name: "pagerduty-oncall", type: "pagerduty", secretArn: SECRET_ARNS.pagerduty }] };
const EVENT = snsEvent(JSON.stringify(ampMessage([ampAlert()])));

/** Answers with `responses` in order (then 202), recording nothing else. */
function scriptedFetch(responses: Array<() => Response>): typeof fetch & { calls: number } {
  const scripted = Object.assign(
    async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      scripted.calls++;
      const next = responses.shift();
      return next ? next() : fetch(input, init);
    },
    { calls: 0 },
  );
  return scripted;
}

describe("notifier retries", () => {
  let sinks: Sinks;
  beforeEach(async () => {
    sinks = await startSinks();
  });
  afterEach(() => sinks.close());

  it("waits exactly what Retry-After asks (seconds) before trying again", async () => {
    const { sleep, requested } = recordingSleep();
    const fetchImpl = scriptedFetch([() => new Response('{"status":"throttled"}', { status: 429, headers: { "retry-after": "2" } })]);
    const notifier = createNotifier({ config: PAGERDUTY_ONLY, secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl, sleep, random: () => 0, logger: captureLogger() });
    const result = await notifier.handle(EVENT);
    expect(requested).to.deep.equal([2000]);
    expect(result.alerts[0].destinations[0]).to.include({ status: "delivered", attempts: 2 });
    expect(sinks.accepted("pagerduty")).to.have.length(1);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    expect(parseRetryAfterMs("3", now)).to.equal(3000);
    expect(parseRetryAfterMs("Wed, 01 May 2024 10:00:05 GMT", now)).to.equal(5000);
    expect(parseRetryAfterMs("Wed, 01 May 2024 09:00:00 GMT", now)).to.equal(0);
    expect(parseRetryAfterMs("soon", now)).to.equal(undefined);
    expect(parseRetryAfterMs(null, now)).to.equal(undefined);
  });

  it("backs off exponentially with jitter, capped", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(policy, n, () => 0))).to.deep.equal([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(policy, n, () => 0.999999))).to.deep.equal([100, 200, 400, 800, 1000, 1000]);
  });

  it("retries 5xx with backoff and gives up after maxAttempts, reporting the failure", async () => {
    const { sleep, requested } = recordingSleep();
    const fetchImpl = scriptedFetch(Array.from({ length: 3 }, () => () => new Response("down", { status: 503 })));
    const notifier = createNotifier({
      config: PAGERDUTY_ONLY, secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl, sleep, random: () => 0,
      retry: { maxAttempts: 3, baseDelayMs: 100 }, logger: captureLogger(),
    });
    const result = await notifier.handle(EVENT);
    expect(fetchImpl.calls).to.equal(3);
    expect(requested).to.deep.equal([50, 100]);
    expect(result.ok).to.equal(false);
    expect(result.alerts[0].destinations[0]).to.deep.include({ status: "failed", attempts: 3, error: "HTTP 503: down (gave up after 3 attempts)" });
  });

  it("does not retry a 400: the request will not get better", async () => {
    const { sleep, requested } = recordingSleep();
    const fetchImpl = scriptedFetch([() => new Response('{"status":"invalid event"}', { status: 400 })]);
    const notifier = createNotifier({ config: PAGERDUTY_ONLY, secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl, sleep, logger: captureLogger() });
    const result = await notifier.handle(EVENT);
    expect(fetchImpl.calls).to.equal(1);
    expect(requested).to.deep.equal([]);
    expect(result.alerts[0].destinations[0]).to.include({ status: "failed", attempts: 1 });
  });

  it("fails at once when Retry-After is longer than the time budget left", async () => {
    const { sleep, requested } = recordingSleep();
    const fetchImpl = scriptedFetch([() => new Response("", { status: 429, headers: { "retry-after": "3600" } })]);
    const notifier = createNotifier({ config: PAGERDUTY_ONLY, secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl, sleep, logger: captureLogger() });
    const result = await notifier.handle(EVENT, { budgetMs: 10_000 });
    expect(requested).to.deep.equal([]);
    expect(result.alerts[0].destinations[0].error).to.match(/^HTTP 429; next retry in 3600000 ms would pass the time budget$/);
  });

  it("keeps every wait inside the invocation's budget", async () => {
    let clock = 1_000_000;
    const fetchImpl = scriptedFetch(Array.from({ length: 50 }, () => () => new Response("", { status: 500 })));
    const notifier = createNotifier({
      config: PAGERDUTY_ONLY, secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl, random: () => 0.5,
      now: () => clock, sleep: async (ms) => void (clock += ms),
      retry: { maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 400 }, logger: captureLogger(),
    });
    const result = await notifier.handle(EVENT, { budgetMs: 1_000 });
    expect(clock - 1_000_000).to.be.at.most(1_000);
    expect(fetchImpl.calls).to.be.within(3, 10);
    expect(result.alerts[0].destinations[0].error).to.match(/would pass the time budget/);
  });

  describe("against a destination that does not answer", () => {
    let silent: Server;
    let url: string;
    before(async () => {
      silent = createServer(() => {
        /* never answers */
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v2/enqueue`;
    });
    after(() => {
      silent.closeAllConnections();
      silent.close();
    });

    it("times each attempt out and retries, then reports a timeout", async () => {
      const { sleep, requested } = recordingSleep();
      const secrets = memorySecretSource({ [SECRET_ARNS.pagerduty]: JSON.stringify({ routingKey: "k".repeat(32), eventsUrl: url }) });
      const notifier = createNotifier({ config: PAGERDUTY_ONLY, secrets, sleep, retry: { maxAttempts: 3, requestTimeoutMs: 50 }, logger: captureLogger() });
      const started = Date.now();
      const result = await notifier.handle(EVENT);
      expect(Date.now() - started).to.be.within(140, 2000);
      expect(requested).to.have.length(2);
      expect(result.alerts[0].destinations[0]).to.deep.include({ status: "failed", attempts: 3, error: "timed out after 50 ms (gave up after 3 attempts)" });
    });
  });

  it("retries network errors (connection refused)", async () => {
    const { sleep, requested } = recordingSleep();
    const closed = await startSinks();
    const refusedUrl = closed.urls.pagerduty;
    await closed.close();
    const secrets = memorySecretSource({ [SECRET_ARNS.pagerduty]: JSON.stringify({ routingKey: "k".repeat(32), eventsUrl: refusedUrl }) });
    const notifier = createNotifier({ config: PAGERDUTY_ONLY, secrets, sleep, retry: { maxAttempts: 2 }, logger: captureLogger() });
    const result = await notifier.handle(EVENT);
    expect(requested).to.have.length(1);
    expect(result.alerts[0].destinations[0].error).to.equal("network error: ECONNREFUSED (gave up after 2 attempts)");
  });
});
