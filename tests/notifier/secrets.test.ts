import { expect } from "chai";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { parseCredentials } from "../../components/alert-pipeline/notifier/secrets";
import { secretsManagerSecretSource } from "../../components/alert-pipeline/notifier/secrets-manager";
import { SecretsManagerStub, Sinks, startSecretsManagerStub, startSinks } from "../support/sinks";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import {
  JIRA_AUTH,
  PAGERDUTY_ROUTING_KEY,
  SECRET_ARNS,
  WEBHOOK_TOKEN,
  allDestinationsConfig,
  captureLogger,
  memorySecretSource,
  recordingSleep,
  sinkSecrets,
} from "./harness";
import { capturingOutput } from "../support/capture-output";


/** A real SDK client for the Secrets Manager stub. */
function stubClient(stub: SecretsManagerStub): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: stub.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
  });
}

/** Runs `run` with Date.now moved `offset()` ms ahead (the Powertools cache reads Date.now for expiry). */
async function withClockAhead<T>(offset: () => number, run: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + offset();
  try {
    return await run();
  } finally {
    Date.now = realNow;
  }
}

const CRITICAL_EVENT = snsEvent(JSON.stringify(ampMessage([ampAlert({ labels: { ...ampAlert().labels, severity: "critical" } })])));

describe("notifier secrets", () => {
  let sinks: Sinks;
  beforeEach(async () => {
    sinks = await startSinks();
  });
  afterEach(() => sinks.close());

  describe("cache (Powertools SecretsProvider, through the real SDK client)", () => {
    let stub: SecretsManagerStub;
    let client: SecretsManagerClient;
    let secrets: Record<string, string>;
    beforeEach(async () => {
      secrets = {};
      stub = await startSecretsManagerStub(secrets);
      client = stubClient(stub);
    });
    afterEach(async () => {
      client.destroy();
      await stub.close();
    });

    it("shares one fetch between concurrent callers, refetches after the TTL, never caches a failure", async () => {
      let ahead = 0;
      await withClockAhead(() => ahead, async () => {
        const cache = secretsManagerSecretSource({ client, ttlMs: 60_000 });
        const failure = await cache.getSecretString("a").catch((error: Error) => error);
        expect((failure as Error).name, "the SDK's error, not a wrapper").to.equal("ResourceNotFoundException");
        secrets.a = "A";
        expect(await Promise.all([cache.getSecretString("a"), cache.getSecretString("a")])).to.deep.equal(["A", "A"]);
        expect(stub.calls).to.deep.equal(["a", "a"]);
        ahead = 30_000;
        secrets.a = "A2";
        expect(await cache.getSecretString("a")).to.equal("A");
        expect(stub.calls).to.have.length(2);
        ahead = 61_000;
        expect(await cache.getSecretString("a")).to.equal("A2");
        expect(stub.calls).to.have.length(3);
      });
    });

    it("after invalidate, reads the secret again (e.g. once the destination rejected it)", async () => {
      secrets.a = "A";
      const cache = secretsManagerSecretSource({ client });
      expect(await cache.getSecretString("a")).to.equal("A");
      expect(await cache.getSecretString("a")).to.equal("A");
      secrets.a = "rotated";
      cache.invalidate("a");
      expect(await cache.getSecretString("a")).to.equal("rotated");
      expect(await cache.getSecretString("a")).to.equal("rotated");
      expect(stub.calls).to.deep.equal(["a", "a"]);
    });

    it("fetches each destination's secret once across invocations of one container", async () => {
      Object.assign(secrets, sinkSecrets(sinks));
      const notifier = createNotifier({ config: allDestinationsConfig(), secrets: secretsManagerSecretSource({ client }), logger: captureLogger() });
      for (let i = 0; i < 3; i++) expect((await notifier.handle(CRITICAL_EVENT)).ok).to.equal(true);
      expect([...stub.calls].sort()).to.deep.equal(Object.values(SECRET_ARNS).sort());
    });

    it("names a failed read per destination with the SDK's error", async () => {
      Object.assign(secrets, sinkSecrets(sinks));
      delete secrets[SECRET_ARNS.jira];
      const logger = captureLogger();
      const result = await createNotifier({ config: allDestinationsConfig(), secrets: secretsManagerSecretSource({ client }), logger }).handle(CRITICAL_EVENT);
      const byName = Object.fromEntries(result.alerts[0].destinations.map((d) => [d.destination, d]));
      expect(byName["jira-payments"].error).to.equal(`credentials: could not read secret ${SECRET_ARNS.jira}: ResourceNotFoundException`);
      expect(byName["slack-alerts"].status).to.equal("delivered");
    });
  });

  describe("credentials", () => {
    it("names the secret and key in errors, never the content", () => {
      const content = '{"webhookUrl": 42, "other": "hooks.slack.com/services/SECRET"}';
      expect(() => parseCredentials("slack", content, "arn:slack")).to.throw('secret arn:slack has no "webhookUrl" for a slack destination');
      expect(() => parseCredentials("slack", "hooks.slack.com/services/SECRET", "arn:slack")).to.throw("secret arn:slack is not a JSON object");
      expect(parseCredentials("pagerduty", '{"routingKey":"k"}', "arn:pd")).to.deep.equal({ routingKey: "k", eventsUrl: "https://events.pagerduty.com/v2/enqueue" });
      expect(parseCredentials("jira", '{"baseUrl":"https://x.atlassian.net/","email":"e","apiToken":"t"}', "arn:j").baseUrl).to.equal("https://x.atlassian.net");
    });

    it("fails only the destinations whose secret is missing or broken", async () => {
      const secrets = sinkSecrets(sinks);
      delete secrets[SECRET_ARNS.jira];
      secrets[SECRET_ARNS.pagerduty] = "routing-key-in-plain-text";
      const logger = captureLogger();
      const result = await createNotifier({ config: allDestinationsConfig(), secrets: memorySecretSource(secrets), logger }).handle(CRITICAL_EVENT);
      const byName = Object.fromEntries(result.alerts[0].destinations.map((d) => [d.destination, d]));
      expect(byName["slack-alerts"].status).to.equal("delivered");
      expect(byName["audit-webhook"].status).to.equal("delivered");
      expect(byName["pagerduty-oncall"].error).to.equal(`credentials: secret ${SECRET_ARNS.pagerduty} is not a JSON object`);
      expect(byName["jira-payments"].error).to.equal(`credentials: could not read secret ${SECRET_ARNS.jira}: ResourceNotFoundException`);
      expect(result.ok).to.equal(false);
      expect(logger.text()).not.to.include("routing-key-in-plain-text");
    });

    it("never logs a secret, even when a destination echoes it back", async () => {
      const logger = captureLogger();
      const { sleep } = recordingSleep();
      // A destination that quotes the request in its error, as some APIs do.
      const echoing: typeof fetch = async (input, init) =>
        new Response(`bad request to ${String(input)} with ${String(init?.body)} auth=${JSON.stringify(init?.headers)}`, { status: 400 });
      const notifier = createNotifier({ config: allDestinationsConfig(), secrets: memorySecretSource(sinkSecrets(sinks)), fetchImpl: echoing, sleep, logger });
      const result = await notifier.handle(CRITICAL_EVENT);
      expect(result.failed).to.equal(1);
      const logs = logger.text();
      expect(logs).to.include("[redacted]");
      const basicAuth = Buffer.from(`${JIRA_AUTH.email}:${JIRA_AUTH.apiToken}`).toString("base64");
      for (const secret of [new URL(sinks.urls.slack).pathname, PAGERDUTY_ROUTING_KEY, JIRA_AUTH.apiToken, basicAuth, WEBHOOK_TOKEN]) {
        expect(logs).not.to.include(secret);
      }
    });
  });

  describe("Secrets Manager", () => {
    let stub: SecretsManagerStub;
    const saved = { ...process.env };
    beforeEach(async () => {
      stub = await startSecretsManagerStub(sinkSecrets(sinks));
    });
    afterEach(async () => {
      process.env = { ...saved };
      await stub.close();
    });

    it("reads SecretString with GetSecretValue through the real SDK client", async () => {
      const client = stubClient(stub);
      const value = await secretsManagerSecretSource({ client }).getSecretString(SECRET_ARNS.pagerduty);
      expect(JSON.parse(value).routingKey).to.equal(PAGERDUTY_ROUTING_KEY);
      expect(stub.calls).to.deep.equal([SECRET_ARNS.pagerduty]);
      client.destroy();
    });

    it("the Lambda handler reads NOTIFIER_CONFIG, fetches each secret once per container, and throws on failure", async () => {
      Object.assign(process.env, {
        NOTIFIER_CONFIG: JSON.stringify(allDestinationsConfig()),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: stub.endpoint,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        LOG_LEVEL: "error",
      });
      const modulePath = require.resolve("../../components/alert-pipeline/notifier/lambda");
      delete require.cache[modulePath]; // a fresh container
      const lambda = await import("../../components/alert-pipeline/notifier/lambda");
      const context = { getRemainingTimeInMillis: () => 30_000 };
      for (let i = 0; i < 3; i++) expect(await lambda.handler(CRITICAL_EVENT, context)).to.deep.equal({ delivered: 1, ignored: 0 });
      expect([...stub.calls].sort()).to.deep.equal(Object.values(SECRET_ARNS).sort());
      expect(sinks.accepted("pagerduty")).to.have.length(3);

      let thrown: unknown;
      const logged = await capturingOutput(() => lambda.handler(snsEvent("not an alert"), context).catch((error) => (thrown = error)));
      expect(logged).to.match(/^\{"level":"ERROR","message":"malformed input: dead-lettering the invocation","timestamp":"[^"]+Z","service":"alert-notifier"/);
      expect(thrown).to.be.instanceOf(lambda.NotificationFailedError);
      expect((thrown as Error).message).to.equal("1 malformed input(s); failing the invocation so it is retried, then dead-lettered");
      delete require.cache[modulePath];
    });
  });
});
