/**
 * Slack incoming webhook, Block Kit. Alerts of one notification share a message (up to
 * ALERTS_PER_SLACK_MESSAGE per message; Slack allows 50 blocks and one message per second
 * per webhook). Every piece of alert text is escaped (&, <, >) and marked verbatim, so
 * annotations cannot inject links, mentions or channel pings; links are buttons whose URL
 * must be http(s).
 */
import { NormalisedAlert } from "../alert";
import { DeliveryContext, sendWithRetry } from "../http-delivery";
import { SlackCredentials } from "../secrets";
import { truncate } from "../text";
import { DestinationOutcome, failed, safeHttpUrl } from "./destination";

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const FALLBACK_TEXT_MAX = 300;
/** Four blocks per alert plus the header stays within Slack's 50. */
export const ALERTS_PER_SLACK_MESSAGE = 10;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock = Record<string, unknown> & { type: string };

/** Slack's own escaping for its control characters; entities are decoded back when shown. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes, then cuts to `max` without leaving half an entity behind. */
function escaped(text: string, max: number): string {
  const out = escapeSlackText(text);
  if (out.length <= max) return out;
  return truncate(out, max).replace(/&[a-z]{0,3}…$/, "…");
}

export function renderSlackMessages(alerts: NormalisedAlert[]): SlackMessage[] {
  const messages: SlackMessage[] = [];
  for (let start = 0; start < alerts.length; start += ALERTS_PER_SLACK_MESSAGE) {
    messages.push(renderSlackMessage(alerts.slice(start, start + ALERTS_PER_SLACK_MESSAGE)));
  }
  return messages;
}

export function renderSlackMessage(alerts: NormalisedAlert[]): SlackMessage {
  const title = headline(alerts);
  const blocks: SlackBlock[] = [{ type: "header", text: { type: "plain_text", text: escaped(title, SLACK_HEADER_MAX), emoji: true } }];
  alerts.forEach((alert, index) => {
    if (index > 0) blocks.push({ type: "divider" });
    blocks.push(...alertBlocks(alert));
  });
  return { text: escaped(title, FALLBACK_TEXT_MAX), blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}

function headline(alerts: NormalisedAlert[]): string {
  if (alerts.length === 1) {
    const [alert] = alerts;
    return `${statusIcon(alert)} ${statusWord(alert)}: ${alert.alertname} — ${alert.summary}`;
  }
  const firing = alerts.filter((alert) => alert.status === "firing").length;
  const counts = [firing ? `🔥 ${firing} firing` : "", alerts.length - firing ? `✅ ${alerts.length - firing} resolved` : ""].filter(Boolean);
  const names = [...new Set(alerts.map((alert) => alert.alertname))].join(", ");
  return `${counts.join(", ")}: ${names}`;
}

function alertBlocks(alert: NormalisedAlert): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const heading = `${statusIcon(alert)} *${statusWord(alert)}* · *${escaped(alert.summary, 500)}*`;
  const body = alert.description ? `\n${escaped(alert.description, SECTION_TEXT_MAX - heading.length - 1)}` : "";
  const fields = (
    [
      ["Alert", alert.alertname],
      ["Severity", alert.severity],
      ["Team", alert.team],
      ["Account", alert.account],
      ["Region", alert.region],
      ["Cluster", alert.cluster],
    ] as Array<[string, string]>
  )
    .filter(([, value]) => value)
    .map(([name, value]) => mrkdwn(`*${name}*\n${escaped(value, FIELD_TEXT_MAX - name.length - 4)}`));
  blocks.push({ type: "section", text: mrkdwn(heading + body), fields });

  const when = alert.status === "resolved" ? (alert.endsAt ? `resolved ${alert.endsAt}` : "") : alert.startsAt ? `since ${alert.startsAt}` : "";
  const context = [`fingerprint ${alert.fingerprint}`, `${alert.source} via ${alert.via}`, when].filter(Boolean).join(" · ");
  blocks.push({ type: "context", elements: [mrkdwn(escaped(context, SECTION_TEXT_MAX))] });

  const buttons = [
    ["Runbook", safeHttpUrl(alert.runbook_url)],
    [alert.source === "cloudwatch" ? "Alarm" : "Source", safeHttpUrl(alert.generatorURL)],
  ]
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([label, url]) => ({ type: "button", text: { type: "plain_text", text: label }, url }));
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return blocks;
}

/** `verbatim` stops Slack from turning bare URLs, #channels and @mentions into links. */
function mrkdwn(text: string): { type: "mrkdwn"; text: string; verbatim: true } {
  return { type: "mrkdwn", text, verbatim: true };
}

function statusWord(alert: NormalisedAlert): string {
  return alert.status === "firing" ? "FIRING" : "RESOLVED";
}

function statusIcon(alert: NormalisedAlert): string {
  if (alert.status === "resolved") return "✅";
  return alert.severity === "critical" ? "🚨" : alert.severity === "info" ? "ℹ️" : "🔥";
}

/** One webhook call per message, messages in order (Slack throttles per webhook anyway). */
export async function deliverToSlack(
  alerts: NormalisedAlert[],
  credentials: SlackCredentials,
  context: DeliveryContext,
): Promise<DestinationOutcome[]> {
  const outcomes: DestinationOutcome[] = [];
  for (let start = 0; start < alerts.length; start += ALERTS_PER_SLACK_MESSAGE) {
    const chunk = alerts.slice(start, start + ALERTS_PER_SLACK_MESSAGE);
    const result = await sendWithRetry(
      { method: "POST", url: credentials.webhookUrl, headers: { "content-type": "application/json" }, body: JSON.stringify(renderSlackMessage(chunk)) },
      context,
    );
    const outcome: DestinationOutcome = result.ok
      ? { status: "delivered", action: "posted", attempts: result.attempts }
      : failed(result.error, result.attempts);
    for (let i = 0; i < chunk.length; i++) outcomes.push(outcome);
  }
  return outcomes;
}
