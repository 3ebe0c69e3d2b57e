/**
 * Slack incoming webhook, Block Kit. Alerts of one notification share a message (up to
 * ALERTS_PER_SLACK_MESSAGE per message; Slack allows 50 blocks and about one message per
 * second per webhook). A very large group is shown in full for its first
 * DETAILED_SLACK_MESSAGES messages, then listed one line per alert, so a storm costs a
 * handful of posts rather than hundreds. Every piece of alert text is escaped (&, <, >) and
 * marked verbatim, so annotations cannot inject links, mentions or channel pings; links are
 * buttons whose URL must be http(s).
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
/** Messages that show alerts in full; the rest of a group is listed compactly. */
export const DETAILED_SLACK_MESSAGES = 5;
const LIST_SECTIONS_PER_MESSAGE = SLACK_MAX_BLOCKS - 1;

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

export interface PlannedSlackMessage {
  message: SlackMessage;
  /** Positions (in the alerts given) of the alerts this message carries. */
  alertIndexes: number[];
  /** "detailed": blocks per alert; "list": one line per alert. */
  form: "detailed" | "list";
}

/** The messages one notification becomes, and which alerts ride on which message. */
export function planSlackMessages(alerts: NormalisedAlert[]): PlannedSlackMessage[] {
  const plans: PlannedSlackMessage[] = [];
  const detailed = Math.min(alerts.length, ALERTS_PER_SLACK_MESSAGE * DETAILED_SLACK_MESSAGES);
  for (let start = 0; start < detailed; start += ALERTS_PER_SLACK_MESSAGE) {
    const end = Math.min(detailed, start + ALERTS_PER_SLACK_MESSAGE);
    plans.push({ message: renderSlackMessage(alerts.slice(start, end)), alertIndexes: range(start, end), form: "detailed" });
  }
  let next = detailed;
  while (next < alerts.length) {
    const plan = renderAlertList(alerts, next, alerts.length - detailed);
    plans.push(plan);
    next += plan.alertIndexes.length;
  }
  return plans;
}

/** As many one-line entries as fit in one message, from `start` on. */
function renderAlertList(alerts: NormalisedAlert[], start: number, overflow: number): PlannedSlackMessage {
  const title = `…and ${overflow} more alerts in this notification`;
  const blocks: SlackBlock[] = [{ type: "header", text: { type: "plain_text", text: escaped(title, SLACK_HEADER_MAX), emoji: true } }];
  const alertIndexes: number[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) blocks.push({ type: "section", text: mrkdwn(lines.join("\n")) });
    lines = [];
  };
  for (let index = start; index < alerts.length; index++) {
    const alert = alerts[index];
    const line = `${statusIcon(alert)} *${statusWord(alert)}* ${escaped(alert.alertname, 200)} — ${escaped(alert.summary, 300)} · ${alert.fingerprint}`;
    if ([...lines, line].join("\n").length > SECTION_TEXT_MAX) {
      flush();
      if (blocks.length > LIST_SECTIONS_PER_MESSAGE) break;
    }
    lines.push(line);
    alertIndexes.push(index);
  }
  flush();
  return { message: { text: escaped(title, FALLBACK_TEXT_MAX), blocks }, alertIndexes, form: "list" };
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
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
  const outcomes = new Array<DestinationOutcome>(alerts.length);
  for (const plan of planSlackMessages(alerts)) {
    const result = await sendWithRetry(
      { method: "POST", url: credentials.webhookUrl, headers: { "content-type": "application/json" }, body: JSON.stringify(plan.message) },
      context,
    );
    const outcome: DestinationOutcome = result.ok
      ? { status: "delivered", action: plan.form === "detailed" ? "posted" : "listed", attempts: result.attempts }
      : failed(result.error, result.attempts);
    for (const index of plan.alertIndexes) outcomes[index] = outcome;
  }
  return outcomes;
}
