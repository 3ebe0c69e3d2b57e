/**
 * CloudWatch alarm state changes into normalised alerts, from either path: the alarm's SNS
 * action (Message is a JSON string) or the "CloudWatch Alarm State Change" event forwarded
 * over EventBridge. Both give the same fingerprint for the same alarm.
 *
 * Alarms carry no severity or team of their own. They come from alarm tags (when tag
 * propagation is on) or from `key=value` tokens in the alarm description, e.g.
 * "Queue is backing up severity=critical team=payments runbook_url=https://...".
 */
import { AlertChannel, AlertStatus, NormalisedAlert, UNASSIGNED_TEAM, normaliseSeverity, normaliseTimestamp } from "./alert";
import { cloudWatchFingerprint } from "./fingerprint";

export type CloudWatchOutcome =
  | { kind: "alert"; alert: NormalisedAlert }
  | { kind: "ignored"; reason: string; alarmName: string }
  | { kind: "malformed"; reason: string };

export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

export function looksLikeCloudWatchSnsMessage(value: Record<string, unknown>): boolean {
  return "AlarmName" in value && "NewStateValue" in value;
}

export function looksLikeAlarmStateChangeEvent(value: Record<string, unknown>): boolean {
  return value.source === "aws.cloudwatch" && value["detail-type"] === ALARM_STATE_CHANGE;
}

/** The SNS alarm action's message. `topicArn` supplies the region for old messages without AlarmArn. */
export function normaliseCloudWatchSnsMessage(message: Record<string, unknown>, topicArn?: string): CloudWatchOutcome {
  const alarmName = text(message.AlarmName);
  const newState = text(message.NewStateValue);
  if (!alarmName || !newState) return { kind: "malformed", reason: "CloudWatch alarm message without AlarmName or NewStateValue" };
  const alarmArn = text(message.AlarmArn);
  const trigger = asRecord(message.Trigger);
  const dimensions: Record<string, string> = {};
  if (Array.isArray(trigger.Dimensions)) {
    for (const dimension of trigger.Dimensions) {
      const { name, value } = asRecord(dimension);
      if (typeof name === "string" && value !== undefined && value !== null) dimensions[name] = String(value);
    }
  }
  return cloudWatchAlert({
    via: "sns",
    alarmName,
    alarmArn,
    alarmDescription: text(message.AlarmDescription),
    account: text(message.AWSAccountId) || arnField(alarmArn, 4),
    region: arnField(alarmArn, 3) || arnField(topicArn ?? "", 3),
    newState,
    oldState: text(message.OldStateValue),
    previousReason: "",
    reason: text(message.NewStateReason),
    changedAt: message.StateChangeTime,
    namespace: text(trigger.Namespace),
    metricName: text(trigger.MetricName),
    dimensions,
    tags: readTags(message.AlarmTags),
  });
}

/** The EventBridge "CloudWatch Alarm State Change" event, as the hub's bus delivers it. */
export function normaliseAlarmStateChangeEvent(event: Record<string, unknown>): CloudWatchOutcome {
  const detail = asRecord(event.detail);
  const state = asRecord(detail.state);
  const previous = asRecord(detail.previousState);
  const alarmName = text(detail.alarmName);
  const newState = text(state.value);
  if (!alarmName || !newState) return { kind: "malformed", reason: "alarm state change event without detail.alarmName or detail.state.value" };
  const configuration = asRecord(detail.configuration);
  const firstMetric = asRecord(asRecord(asRecord(Array.isArray(configuration.metrics) ? configuration.metrics[0] : undefined).metricStat).metric);
  const dimensions: Record<string, string> = {};
  for (const [name, value] of Object.entries(asRecord(firstMetric.dimensions))) {
    if (value !== undefined && value !== null) dimensions[name] = String(value);
  }
  const resources = Array.isArray(event.resources) ? event.resources : [];
  const alarmArn = text(resources.find((r) => typeof r === "string" && r.includes(":alarm:")));
  return cloudWatchAlert({
    via: "eventbridge",
    alarmName,
    alarmArn,
    alarmDescription: text(configuration.description),
    account: text(event.account) || arnField(alarmArn, 4),
    region: text(event.region) || arnField(alarmArn, 3),
    newState,
    oldState: text(previous.value),
    previousReason: text(previous.reason),
    reason: text(state.reason),
    changedAt: state.timestamp ?? event.time,
    namespace: text(firstMetric.namespace),
    metricName: text(firstMetric.name),
    dimensions,
    tags: readTags(detail.alarmTags),
  });
}

interface AlarmChange {
  via: AlertChannel;
  alarmName: string;
  alarmArn: string;
  alarmDescription: string;
  account: string;
  region: string;
  newState: string;
  oldState: string;
  previousReason: string;
  reason: string;
  changedAt: unknown;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  tags: Record<string, string>;
}

const DESCRIPTION_TOKEN = /(?:^|\s)(severity|team|runbook_url|cluster)=(\S+)/g;
const INITIAL_ALARM_REASON = "Unchecked: Initial alarm creation";

function cloudWatchAlert(change: AlarmChange): CloudWatchOutcome {
  const status = alarmStatus(change);
  if (typeof status !== "string") return { kind: "ignored", reason: status.ignore, alarmName: change.alarmName };

  const fromDescription: Record<string, string> = {};
  for (const match of change.alarmDescription.matchAll(DESCRIPTION_TOKEN)) fromDescription[match[1]] = match[2];
  const setting = (key: string) => change.tags[key] || fromDescription[key] || "";
  const cleanDescription = change.alarmDescription.replace(DESCRIPTION_TOKEN, "").trim();

  const labels: Record<string, string> = {
    ...change.tags,
    alertname: change.alarmName,
    account: change.account,
    region: change.region,
    alarm_state: change.newState,
  };
  if (change.namespace) labels.namespace = change.namespace;
  if (change.metricName) labels.metric_name = change.metricName;
  for (const [name, value] of Object.entries(change.dimensions)) labels[`dimension_${name}`] = value;
  for (const key of ["severity", "team", "cluster"]) if (setting(key)) labels[key] = setting(key);

  const summary = cleanDescription.split("\n")[0].trim() || change.alarmName;
  const annotations: Record<string, string> = { summary, description: change.reason };
  if (change.alarmDescription) annotations.alarm_description = change.alarmDescription;
  if (setting("runbook_url")) annotations.runbook_url = setting("runbook_url");
  if (change.alarmArn) annotations.alarm_arn = change.alarmArn;

  const changedAt = normaliseTimestamp(change.changedAt);
  return {
    kind: "alert",
    alert: {
      source: "cloudwatch",
      via: change.via,
      status,
      fingerprint: cloudWatchFingerprint(change.account, change.region, change.alarmName),
      alertname: change.alarmName,
      severity: normaliseSeverity(setting("severity") || undefined),
      team: setting("team") || UNASSIGNED_TEAM,
      account: change.account,
      region: change.region,
      cluster: setting("cluster"),
      summary,
      description: change.reason,
      runbook_url: setting("runbook_url"),
      labels,
      annotations,
      startsAt: status === "firing" ? changedAt : undefined,
      endsAt: status === "resolved" ? changedAt : undefined,
      generatorURL: consoleUrl(change.region, change.alarmName),
    },
  };
}

/**
 * ALARM fires and OK resolves. INSUFFICIENT_DATA neither fires nor resolves: whatever was
 * last sent stands. The OK that follows an alarm's creation resolves nothing and is skipped.
 */
function alarmStatus(change: AlarmChange): AlertStatus | { ignore: string } {
  if (change.newState === "ALARM") return "firing";
  if (change.newState === "OK") {
    if (change.oldState === "INSUFFICIENT_DATA" && change.previousReason.startsWith(INITIAL_ALARM_REASON)) {
      return { ignore: "first evaluation of a new alarm" };
    }
    return "resolved";
  }
  if (change.newState === "INSUFFICIENT_DATA") return { ignore: "INSUFFICIENT_DATA neither fires nor resolves" };
  return { ignore: `unknown alarm state ${change.newState}` };
}

function consoleUrl(region: string, alarmName: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return "";
  const path = `/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
  if (region.startsWith("cn-")) return `https://${region}.console.amazonaws.cn${path}`;
  if (region.startsWith("us-gov-")) return `https://console.amazonaws-us-gov.com${path}`;
  return `https://${region}.console.aws.amazon.com${path}`;
}

/** Alarm tags arrive as a map or as a list of Key/Value pairs; accept both. */
function readTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const record = asRecord(entry);
      const key = record.Key ?? record.key;
      const tagValue = record.Value ?? record.value;
      if (typeof key === "string" && typeof tagValue === "string") tags[key] = tagValue;
    }
  } else {
    for (const [key, tagValue] of Object.entries(asRecord(value))) if (typeof tagValue === "string") tags[key] = tagValue;
  }
  return tags;
}

function arnField(arn: string, index: number): string {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" ? parts[index] : "";
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
