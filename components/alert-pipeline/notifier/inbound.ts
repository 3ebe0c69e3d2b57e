/**
 * Unwraps what Lambda hands the notifier into normalised alerts: SNS notifications (AMP
 * alertmanager and CloudWatch alarm actions), EventBridge alarm state changes, and SQS
 * records redriven from the dead-letter queue (Lambda's on-failure records, raw DLQ
 * events, or SNS-to-SQS envelopes). Nothing unreadable is dropped: it comes back as
 * `malformed` with its raw text, so the caller can fail the invocation and dead-letter it.
 */
import { AlertChannel, NormalisedAlert } from "./alert";
import { looksLikeAmpAlertMessage } from "./amp-message";
import { parseJsonObjectLeniently } from "./lenient-json";
import { normaliseAlertmanagerText, normaliseAmpMessage } from "./normalise-amp";
import {
  CloudWatchOutcome,
  looksLikeAlarmStateChangeEvent,
  looksLikeCloudWatchSnsMessage,
  normaliseAlarmStateChangeEvent,
  normaliseCloudWatchSnsMessage,
} from "./normalise-cloudwatch";
import { excerpt } from "./text";

export interface LocatedAlert {
  alert: NormalisedAlert;
  /** Where in the event it came from, e.g. "Records[0].Sns.Message alerts[2]". */
  location: string;
  /**
   * The notification that carried it: the SNS MessageId or the EventBridge event id. A
   * retry of the same event (Lambda, SNS redelivery, a DLQ replay) carries the same id;
   * Alertmanager's repeat notification of a still-firing alert carries a new one.
   */
  notificationId?: string;
}

export interface MalformedInput {
  location: string;
  reason: string;
  /** Size of the raw input in characters. */
  size: number;
  /** Head and tail of the raw input. */
  excerpt: string;
}

export interface IgnoredInput {
  location: string;
  reason: string;
  alertname: string;
}

export interface InboundWarning {
  location: string;
  reason: string;
}

export interface InboundAlerts {
  alerts: LocatedAlert[];
  malformed: MalformedInput[];
  ignored: IgnoredInput[];
  /** Inputs read with repairs (damaged JSON, plain-text template): delivered, but worth a look. */
  warnings: InboundWarning[];
}

const MAX_REDRIVE_DEPTH = 3;

export function readLambdaEvent(event: unknown): InboundAlerts {
  const out: InboundAlerts = { alerts: [], malformed: [], ignored: [], warnings: [] };
  readEvent(event, "event", 0, out);
  return out;
}

function readEvent(event: unknown, location: string, depth: number, out: InboundAlerts): void {
  if (!isRecord(event)) {
    malformed(out, location, "the event is not a JSON object", event);
    return;
  }
  if (depth > MAX_REDRIVE_DEPTH) {
    malformed(out, location, "redrive records nested too deeply", event);
    return;
  }
  if (Array.isArray(event.Records)) {
    if (event.Records.length === 0) malformed(out, location, "the event has no records", event);
    event.Records.forEach((record, index) => readRecord(record, `${location}.Records[${index}]`, depth, out));
    return;
  }
  if (typeof event["detail-type"] === "string" && typeof event.source === "string") {
    const from = out.alerts.length;
    readObjectMessage(event, location, "eventbridge", undefined, out);
    tagNotification(out, from, event.id);
    return;
  }
  // A Lambda on-failure destination record: the original event is in requestPayload.
  if ("requestPayload" in event && isRecord(event.requestContext)) {
    readEvent(event.requestPayload, `${location}.requestPayload`, depth + 1, out);
    return;
  }
  // A message invoked directly (tests, manual replays): the same shapes SNS would carry.
  if (looksLikeAmpAlertMessage(event) || looksLikeCloudWatchSnsMessage(event)) {
    readObjectMessage(event, location, "sns", undefined, out);
    return;
  }
  malformed(out, location, "unknown event shape (expected SNS, SQS or EventBridge)", event);
}

function readRecord(record: unknown, location: string, depth: number, out: InboundAlerts): void {
  if (!isRecord(record)) {
    malformed(out, location, "the record is not an object", record);
    return;
  }
  if (record.EventSource === "aws:sns" || isRecord(record.Sns)) {
    const sns = isRecord(record.Sns) ? record.Sns : {};
    if (typeof sns.Message !== "string") {
      malformed(out, `${location}.Sns`, "SNS record without a Message", record);
      return;
    }
    const from = out.alerts.length;
    readMessageText(sns.Message, `${location}.Sns.Message`, "sns", stringOrUndefined(sns.TopicArn), out);
    tagNotification(out, from, sns.MessageId);
    return;
  }
  if (record.eventSource === "aws:sqs" && typeof record.body === "string") {
    readSqsBody(record.body, `${location}.body`, depth, out);
    return;
  }
  malformed(out, location, "unknown record type (expected aws:sns or aws:sqs)", record);
}

/** SQS carries redriven events: a Lambda failure record, the original event, or an SNS envelope. */
function readSqsBody(body: string, location: string, depth: number, out: InboundAlerts): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    malformed(out, location, "SQS body is not JSON", body);
    return;
  }
  if (isRecord(parsed) && parsed.Type === "Notification" && typeof parsed.Message === "string") {
    const from = out.alerts.length;
    readMessageText(parsed.Message, `${location}.Message`, "sns", stringOrUndefined(parsed.TopicArn), out);
    tagNotification(out, from, parsed.MessageId);
    return;
  }
  readEvent(parsed, location, depth + 1, out);
}

function readMessageText(text: string, location: string, via: AlertChannel, topicArn: string | undefined, out: InboundAlerts): void {
  if (text.trim() === "") {
    malformed(out, location, "empty message", text);
    return;
  }
  const parsed = parseJsonObjectLeniently(text);
  if (parsed) {
    const before = out.malformed.length;
    readObjectMessage(parsed.value as Record<string, unknown>, location, via, topicArn, out);
    if (parsed.truncated) {
      // SNS and Alertmanager cut long messages; whatever alerts were cut off are lost unless someone looks.
      malformed(out, location, "message was cut off; the complete alerts in it were delivered, the rest are missing", text);
    } else if (parsed.repaired && out.malformed.length === before) {
      out.warnings.push({ location, reason: "message was not valid JSON and was read with repairs" });
    }
    return;
  }
  const fromText = normaliseAlertmanagerText(text, via);
  if (fromText) {
    fromText.forEach((alert, index) => out.alerts.push({ alert, location: `${location} alerts[${index}]` }));
    out.warnings.push({ location, reason: "message used Alertmanager's plain-text template, not the JSON template" });
    return;
  }
  malformed(out, location, "message is neither JSON nor Alertmanager's text template", text);
}

function readObjectMessage(
  message: Record<string, unknown>,
  location: string,
  via: AlertChannel,
  topicArn: string | undefined,
  out: InboundAlerts,
): void {
  if (looksLikeAmpAlertMessage(message)) {
    const { alerts, problems } = normaliseAmpMessage(message, via);
    alerts.forEach((alert, index) => out.alerts.push({ alert, location: `${location} alerts[${index}]` }));
    for (const problem of problems) malformed(out, location, problem, message);
    return;
  }
  if (looksLikeCloudWatchSnsMessage(message)) {
    takeCloudWatch(normaliseCloudWatchSnsMessage(message, topicArn), location, message, out);
    return;
  }
  if (looksLikeAlarmStateChangeEvent(message)) {
    takeCloudWatch(normaliseAlarmStateChangeEvent(message), location, message, out);
    return;
  }
  const kind = typeof message["detail-type"] === "string" ? ` (${String(message.source)} / ${message["detail-type"]})` : "";
  malformed(out, location, `unsupported message shape${kind}`, message);
}

function takeCloudWatch(outcome: CloudWatchOutcome, location: string, raw: unknown, out: InboundAlerts): void {
  if (outcome.kind === "alert") out.alerts.push({ alert: outcome.alert, location });
  else if (outcome.kind === "ignored") out.ignored.push({ location, reason: outcome.reason, alertname: outcome.alarmName });
  else malformed(out, location, outcome.reason, raw);
}

/** The alerts read since `from` came in notification `id` (the innermost envelope's id wins). */
function tagNotification(out: InboundAlerts, from: number, id: unknown): void {
  if (typeof id !== "string" || id.trim() === "") return;
  for (let i = from; i < out.alerts.length; i++) out.alerts[i].notificationId ??= id;
}

function malformed(out: InboundAlerts, location: string, reason: string, raw: unknown): void {
  const text = typeof raw === "string" ? raw : safeStringify(raw);
  out.malformed.push({ location, reason, size: text.length, excerpt: excerpt(text) });
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
