/**
 * AMP alertmanager notifications (through SNS) into normalised alerts. The JSON template
 * (`amp-message.ts`) is the contract; Alertmanager's default plain-text SNS template and
 * damaged JSON are read as well, so a template mistake degrades the message, not the page.
 */
import { AlertChannel, AlertStatus, NormalisedAlert, UNASSIGNED_TEAM, normaliseSeverity, normaliseTimestamp } from "./alert";
import { alertmanagerFingerprint, isWellFormedFingerprint } from "./fingerprint";

export interface AmpNormaliseResult {
  alerts: NormalisedAlert[];
  /** Parts of the message that could not be read; any problem sends the message to the dead-letter path. */
  problems: string[];
}

/** Normalises an AMP message already parsed from JSON (strictly or leniently). */
export function normaliseAmpMessage(message: Record<string, unknown>, via: AlertChannel): AmpNormaliseResult {
  const alerts: NormalisedAlert[] = [];
  const problems: string[] = [];
  const groupStatus = readStatus(message.status);
  const entries = Array.isArray(message.alerts) ? message.alerts : [];
  if (entries.length === 0) problems.push("the message carries no alerts");
  entries.forEach((entry, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`alerts[${index}] is not an object`);
      return;
    }
    const raw = entry as Record<string, unknown>;
    const labels = readStringMap(raw.labels);
    if (Object.keys(labels).length === 0) {
      problems.push(`alerts[${index}] has no labels`);
      return;
    }
    alerts.push(
      ampAlert({
        status: readStatus(raw.status) ?? groupStatus ?? "firing",
        labels,
        annotations: readStringMap(raw.annotations),
        startsAt: raw.startsAt,
        endsAt: raw.endsAt,
        generatorURL: typeof raw.generatorURL === "string" ? raw.generatorURL : "",
        fingerprint: raw.fingerprint,
        via,
      }),
    );
  });
  return { alerts, problems };
}

/**
 * Alertmanager's default SNS message (`sns.default.message`): common annotations, then
 * "Alerts Firing:" / "Alerts Resolved:" sections of "Labels:", " - name = value" lines,
 * "Annotations:" and "Source: <url>". Returns undefined when the text has no such alert.
 */
export function normaliseAlertmanagerText(text: string, via: AlertChannel): NormalisedAlert[] | undefined {
  interface Draft { status: AlertStatus; labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }
  const drafts: Draft[] = [];
  let status: AlertStatus | undefined;
  let current: Draft | undefined;
  let section: "labels" | "annotations" | undefined;
  let lastKey: string | undefined;

  for (const line of text.split(/\r?\n/)) {
    if (line === "Alerts Firing:" || line === "Alerts Resolved:") {
      status = line === "Alerts Firing:" ? "firing" : "resolved";
      current = undefined;
      section = undefined;
      continue;
    }
    if (status === undefined) continue;
    if (line === "Labels:") {
      current = { status, labels: {}, annotations: {}, generatorURL: "" };
      drafts.push(current);
      section = "labels";
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    if (line === "Annotations:") {
      section = "annotations";
      lastKey = undefined;
      continue;
    }
    if (line.startsWith("Source: ") || line === "Source:") {
      current.generatorURL = line.slice("Source:".length).trim();
      section = undefined;
      continue;
    }
    if (!section) continue;
    const pair = /^ - ([^ =]+) = (.*)$/.exec(line);
    const target = section === "labels" ? current.labels : current.annotations;
    if (pair) {
      target[pair[1]] = pair[2];
      lastKey = pair[1];
    } else if (lastKey !== undefined) {
      // A value with newlines continues on the following lines.
      target[lastKey] += `\n${line}`;
    }
  }

  const alerts = drafts
    .filter((draft) => Object.keys(draft.labels).length > 0)
    .map((draft) =>
      ampAlert({
        ...draft,
        annotations: trimValues(draft.annotations),
        labels: trimValues(draft.labels),
        startsAt: undefined,
        endsAt: undefined,
        fingerprint: undefined,
        via,
      }),
    );
  return alerts.length > 0 ? alerts : undefined;
}

interface AmpAlertInput {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: unknown;
  endsAt: unknown;
  generatorURL: string;
  fingerprint: unknown;
  via: AlertChannel;
}

function ampAlert(input: AmpAlertInput): NormalisedAlert {
  const { labels, annotations } = input;
  const alertname = labels.alertname || "unnamed alert";
  return {
    source: "amp",
    via: input.via,
    status: input.status,
    fingerprint: isWellFormedFingerprint(input.fingerprint) ? input.fingerprint : alertmanagerFingerprint(labels),
    alertname,
    severity: normaliseSeverity(labels.severity),
    team: labels.team || UNASSIGNED_TEAM,
    account: labels.account || labels.account_id || labels.aws_account_id || "",
    region: labels.region || labels.aws_region || "",
    cluster: labels.cluster || "",
    summary: annotations.summary || annotations.message || annotations.title || alertname,
    description: annotations.description || "",
    runbook_url: annotations.runbook_url || annotations.runbook || labels.runbook_url || "",
    labels,
    annotations,
    startsAt: normaliseTimestamp(input.startsAt),
    endsAt: input.status === "resolved" ? normaliseTimestamp(input.endsAt) : undefined,
    generatorURL: input.generatorURL,
  };
}

function readStatus(value: unknown): AlertStatus | undefined {
  return value === "firing" || value === "resolved" ? value : undefined;
}

/** Label and annotation maps as strings, whatever the template produced. */
function readStringMap(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) continue;
    out[key] = typeof raw === "string" ? raw : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
  }
  return out;
}

function trimValues(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) out[key] = value.replace(/\s+$/, "");
  return out;
}
