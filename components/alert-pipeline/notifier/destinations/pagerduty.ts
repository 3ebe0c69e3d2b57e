/**
 * PagerDuty Events API v2: one event per alert, trigger or resolve, dedup_key = the alert
 * fingerprint so a resolution (or a repeat) lands on the same incident.
 */
import { NormalisedAlert } from "../alert";
import { DeliveryContext, sendWithRetry } from "../http-delivery";
import { PagerDutyCredentials } from "../secrets";
import { truncate } from "../text";
import { DestinationOutcome, deliverEachAlert, failed, safeHttpUrl } from "./destination";

export const PAGERDUTY_SUMMARY_MAX = 1024;
/** Bounds custom_details well inside PagerDuty's 512 KB event limit. */
const DETAIL_VALUE_MAX = 4096;
const DETAIL_KEYS_MAX = 100;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: Array<{ href: string; text: string }>;
}

export function renderPagerDutyEvent(alert: NormalisedAlert, routingKey: string): PagerDutyEvent {
  if (alert.status === "resolved") {
    return { routing_key: routingKey, event_action: "resolve", dedup_key: alert.fingerprint };
  }
  const title = alert.summary === alert.alertname ? alert.summary : `${alert.alertname}: ${alert.summary}`;
  const event: PagerDutyEvent = {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: alert.fingerprint,
    payload: {
      summary: truncate(title, PAGERDUTY_SUMMARY_MAX),
      source: alert.cluster || alert.account || alert.source,
      severity: alert.severity,
      group: alert.team,
      class: alert.alertname,
      custom_details: {
        description: truncate(alert.description, DETAIL_VALUE_MAX),
        runbook_url: alert.runbook_url,
        team: alert.team,
        account: alert.account,
        region: alert.region,
        cluster: alert.cluster,
        source: `${alert.source} via ${alert.via}`,
        labels: bounded(alert.labels),
        annotations: bounded(alert.annotations),
      },
    },
    client: "AlertPipeline",
  };
  if (alert.startsAt) event.payload!.timestamp = alert.startsAt;
  const sourceUrl = safeHttpUrl(alert.generatorURL);
  if (sourceUrl) event.client_url = sourceUrl;
  const runbook = safeHttpUrl(alert.runbook_url);
  if (runbook) event.links = [{ href: runbook, text: "Runbook" }];
  return event;
}

function bounded(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(map).sort().slice(0, DETAIL_KEYS_MAX)) out[key] = truncate(map[key], DETAIL_VALUE_MAX);
  return out;
}

export function deliverToPagerDuty(
  alerts: NormalisedAlert[],
  credentials: PagerDutyCredentials,
  context: DeliveryContext,
): Promise<DestinationOutcome[]> {
  return deliverEachAlert(alerts, async (alert) => {
    const event = renderPagerDutyEvent(alert, credentials.routingKey);
    const result = await sendWithRetry(
      { method: "POST", url: credentials.eventsUrl, headers: { "content-type": "application/json" }, body: JSON.stringify(event) },
      context,
    );
    if (!result.ok) return failed(result.error, result.attempts);
    return { status: "delivered", action: event.event_action === "trigger" ? "triggered" : "resolved", attempts: result.attempts };
  });
}
