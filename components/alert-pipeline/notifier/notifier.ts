/**
 * The notifier: reads an invocation's event, routes each alert to its destinations,
 * delivers with retries inside a time budget, and reports per alert and destination what
 * happened. It never throws for a delivery problem; the Lambda entry turns a result that
 * is not `ok` into a failed invocation, which Lambda retries and finally dead-letters.
 */
import { NormalisedAlert } from "./alert";
import { DestinationConfig, NotifierConfig } from "./config";
import { DestinationOutcome, failed } from "./destinations/destination";
import { deliverToJira } from "./destinations/jira";
import { deliverToPagerDuty } from "./destinations/pagerduty";
import { deliverToSlack } from "./destinations/slack";
import { deliverToWebhook } from "./destinations/webhook";
import { ConcurrencyLimiter, DeliveryContext } from "./http-delivery";
import { randomUUID } from "crypto";
import { IgnoredInput, MalformedInput, readLambdaEvent } from "./inbound";
import { DeliveryLedger, LedgerKey, occurrenceOf } from "./ledger";
import { Logger, SecretRedactor, powertoolsLogger, redactingLogger } from "./logger";
import { DEFAULT_RETRY_POLICY, RetryPolicy } from "./retry";
import { routeAlert } from "./routing";
import { CredentialsByType, CredentialsError, SecretSource, parseCredentials, sensitiveStringsOf } from "./secrets";

export interface NotifierOptions {
  config: NotifierConfig;
  secrets: SecretSource;
  fetchImpl?: typeof fetch;
  /** Overrides of DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  /** HTTP requests in flight at once, over all destinations. */
  maxConcurrentRequests?: number;
  /**
   * Where acknowledged deliveries are recorded, so a retried event reaches only the
   * destinations that do not have it yet. Without one, every attempt delivers everywhere.
   */
  ledger?: DeliveryLedger;
  /** Ledger calls in flight at once. */
  maxConcurrentLedgerCalls?: number;
}

export interface HandleOptions {
  /** Delivery budget for this invocation; the Lambda entry derives it from the time Lambda has left. */
  budgetMs?: number;
}

export interface DestinationDelivery extends DestinationOutcome {
  destination: string;
  type: DestinationConfig["type"];
}

export interface AlertDelivery {
  fingerprint: string;
  alertname: string;
  status: NormalisedAlert["status"];
  source: NormalisedAlert["source"];
  location: string;
  /** True when every destination the alert was routed to has it. */
  delivered: boolean;
  destinations: DestinationDelivery[];
  /** Set when no destination matched: the alert fails rather than vanish. */
  unrouted?: string;
}

export interface HandleResult {
  alerts: AlertDelivery[];
  /** Alerts every routed destination accepted. */
  delivered: number;
  /** Alerts that at least one destination (or routing) failed: the invocation must fail for them. */
  failed: number;
  malformed: MalformedInput[];
  ignored: IgnoredInput[];
  /** Nothing failed and nothing was malformed: the invocation may succeed. */
  ok: boolean;
}

export interface Notifier {
  handle(event: unknown, options?: HandleOptions): Promise<HandleResult>;
}

export const DEFAULT_MAX_CONCURRENT_REQUESTS = 16;
/** An alert's ledger key before a destination is named. */
type AlertLedgerKey = Omit<LedgerKey, "destination">;
export const DEFAULT_MAX_CONCURRENT_LEDGER_CALLS = 32;
/** A claim outlives the invocation's delivery budget by this much before another may take it over. */
const LEASE_MARGIN_MS = 30_000;

export function createNotifier(options: NotifierOptions): Notifier {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const redactor = new SecretRedactor();
  const logger = redactingLogger(options.logger ?? powertoolsLogger(), redactor);
  const limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);
  const fetchImpl = options.fetchImpl ?? fetch;
  const ledger = options.ledger;
  const ledgerLimiter = new ConcurrencyLimiter(options.maxConcurrentLedgerCalls ?? DEFAULT_MAX_CONCURRENT_LEDGER_CALLS);

  /**
   * Asks the ledger about each alert for this destination: the ones to deliver now, and the
   * outcomes of those that need no delivery (already acknowledged, or held by another
   * invocation). A ledger that cannot answer does not stop delivery: a duplicate is better
   * than silence.
   */
  async function claimAll(destination: DestinationConfig, indexes: number[], keys: Array<AlertLedgerKey | undefined>, owner: string, leaseUntilMs: number) {
    const settled = new Map<number, DestinationOutcome>();
    const claimed = new Set<number>();
    let unavailable = 0;
    await Promise.all(indexes.map((index) => ledgerLimiter.run(async () => {
      const key = keys[index];
      if (!ledger || !key) return;
      try {
        const claim = await ledger.claim({ ...key, destination: destination.name }, owner, leaseUntilMs);
        if (claim.kind === "claimed") claimed.add(index);
        else if (claim.kind === "acknowledged") settled.set(index, { status: "delivered", action: "already-delivered", attempts: 0 });
        else if (claim.owner === owner) settled.set(index, { status: "delivered", action: "duplicate-in-event", attempts: 0 });
        else settled.set(index, failed("another invocation is delivering it now; a retry will find its outcome", 0));
      } catch (error) {
        unavailable++;
        if (unavailable === 1) logger.warn("delivery ledger unavailable: delivering without it", { destination: destination.name, error: (error as Error)?.name ?? "error" });
      }
    })));
    return { settled, claimed };
  }

  async function recordAll(destination: DestinationConfig, delivered: Array<{ index: number; outcome: DestinationOutcome }>, keys: Array<AlertLedgerKey | undefined>, owner: string) {
    if (!ledger) return;
    await Promise.all(delivered.map(({ index, outcome }) => ledgerLimiter.run(async () => {
      const key = { ...keys[index]!, destination: destination.name };
      try {
        if (outcome.status === "delivered") await ledger.acknowledge(key, owner, outcome.action);
        else await ledger.release(key, owner, outcome.error ?? "failed");
      } catch (error) {
        logger.warn("delivery ledger write failed: a retry may deliver this alert again", { destination: destination.name, fingerprint: key.fingerprint, error: (error as Error)?.name ?? "error" });
      }
    })));
  }

  async function credentialsFor<T extends DestinationConfig["type"]>(destination: DestinationConfig & { type: T }): Promise<CredentialsByType[T]> {
    const secretString = await options.secrets.getSecretString(destination.secretArn);
    redactor.add(sensitiveStringsOf(secretString));
    return parseCredentials(destination.type as T, secretString, destination.secretArn);
  }

  async function deliverTo(destination: DestinationConfig, alerts: NormalisedAlert[], context: DeliveryContext): Promise<DestinationOutcome[]> {
    let credentials: CredentialsByType[keyof CredentialsByType];
    try {
      credentials = await credentialsFor(destination);
    } catch (error) {
      const reason = error instanceof CredentialsError ? error.message : `could not read secret ${destination.secretArn}: ${(error as Error)?.name ?? "error"}`;
      if (!(error instanceof CredentialsError)) logger.error("secret fetch failed", { destination: destination.name, error: (error as Error)?.message });
      return alerts.map(() => failed(`credentials: ${reason}`, 0));
    }
    switch (destination.type) {
      case "slack":
        return deliverToSlack(alerts, credentials as CredentialsByType["slack"], context);
      case "pagerduty":
        return deliverToPagerDuty(alerts, credentials as CredentialsByType["pagerduty"], context);
      case "jira":
        return deliverToJira(alerts, credentials as CredentialsByType["jira"], destination.jira!, context);
      case "webhook":
        return deliverToWebhook(alerts, credentials as CredentialsByType["webhook"], context);
    }
  }

  return {
    async handle(event, handleOptions = {}) {
      const startedAt = now();
      const inbound = readLambdaEvent(event);
      for (const problem of inbound.malformed) {
        logger.error("malformed input: dead-lettering the invocation", { ...problem });
      }
      for (const warning of inbound.warnings) logger.warn("input read with repairs", { ...warning });
      for (const ignored of inbound.ignored) logger.info("state change ignored", { ...ignored });

      const context: DeliveryContext = {
        fetchImpl,
        policy,
        now,
        sleep,
        random: options.random ?? Math.random,
        deadline: startedAt + (handleOptions.budgetMs ?? policy.budgetMs),
        limiter,
      };

      const alerts = inbound.alerts.map(({ alert }) => alert);
      const routes = alerts.map((alert) => routeAlert(options.config.destinations, alert));
      const outcomes: DestinationDelivery[][] = alerts.map(() => []);
      const owner = randomUUID();
      const leaseUntilMs = context.deadline + LEASE_MARGIN_MS;
      const keys: Array<AlertLedgerKey | undefined> = inbound.alerts.map(({ alert, notificationId }) => {
        const occurrence = occurrenceOf(alert, notificationId);
        return occurrence === undefined ? undefined : { fingerprint: alert.fingerprint, status: alert.status, occurrence };
      });
      await Promise.all(
        options.config.destinations.map(async (destination) => {
          const indexes = routes.flatMap((route, index) => (route.includes(destination) ? [index] : []));
          if (indexes.length === 0) return;
          const { settled, claimed } = await claimAll(destination, indexes, keys, owner, leaseUntilMs);
          const pending = indexes.filter((index) => !settled.has(index));
          const results = pending.length === 0 ? [] : await deliverTo(destination, pending.map((index) => alerts[index]), context);
          const delivered = new Map(pending.map((index, i) => [index, results[i]]));
          await recordAll(destination, pending.filter((index) => claimed.has(index)).map((index) => ({ index, outcome: delivered.get(index)! })),
            keys, owner);
          for (const index of indexes) {
            outcomes[index].push({ destination: destination.name, type: destination.type, ...(settled.get(index) ?? delivered.get(index)!) });
          }
        }),
      );

      const deliveries: AlertDelivery[] = inbound.alerts.map(({ alert, location }, index) => {
        const destinations = outcomes[index];
        const delivery: AlertDelivery = {
          fingerprint: alert.fingerprint,
          alertname: alert.alertname,
          status: alert.status,
          source: alert.source,
          location,
          delivered: destinations.length > 0 && destinations.every((outcome) => outcome.status === "delivered"),
          destinations,
        };
        if (destinations.length === 0) {
          delivery.unrouted = `no destination matches team=${alert.team} severity=${alert.severity} source=${alert.source}`;
        }
        const fields = { ...delivery, team: alert.team, severity: alert.severity };
        if (delivery.delivered) logger.info("alert delivered", fields);
        else logger.error("alert not delivered: the invocation will fail and be retried or dead-lettered", fields);
        return delivery;
      });

      const delivered = deliveries.filter((delivery) => delivery.delivered).length;
      const result: HandleResult = {
        alerts: deliveries,
        delivered,
        failed: deliveries.length - delivered,
        malformed: inbound.malformed,
        ignored: inbound.ignored,
        ok: delivered === deliveries.length && inbound.malformed.length === 0,
      };
      logger.info("invocation summary", {
        alerts: deliveries.length,
        delivered: result.delivered,
        failed: result.failed,
        malformed: result.malformed.length,
        ignored: result.ignored.length,
        durationMs: now() - startedAt,
      });
      return result;
    },
  };
}
