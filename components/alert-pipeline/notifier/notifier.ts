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
import { IgnoredInput, MalformedInput, readLambdaEvent } from "./inbound";
import { Logger, SecretRedactor, jsonLogger, redactingLogger } from "./logger";
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

export function createNotifier(options: NotifierOptions): Notifier {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const redactor = new SecretRedactor();
  const logger = redactingLogger(options.logger ?? jsonLogger({ now }), redactor);
  const limiter = new ConcurrencyLimiter(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);
  const fetchImpl = options.fetchImpl ?? fetch;

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
      await Promise.all(
        options.config.destinations.map(async (destination) => {
          const indexes = routes.flatMap((route, index) => (route.includes(destination) ? [index] : []));
          if (indexes.length === 0) return;
          const results = await deliverTo(destination, indexes.map((index) => alerts[index]), context);
          indexes.forEach((alertIndex, i) => outcomes[alertIndex].push({ destination: destination.name, type: destination.type, ...results[i] }));
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
