/**
 * The one alert model every input is normalised into and every destination renders from.
 * Field names follow Alertmanager's vocabulary so a webhook consumer that knows
 * Alertmanager feels at home.
 */

export type AlertSource = "amp" | "cloudwatch";
/** How the alert reached the notifier. */
export type AlertChannel = "sns" | "eventbridge";
export type AlertStatus = "firing" | "resolved";
export type Severity = "critical" | "error" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["critical", "error", "warning", "info"];
export const ALERT_SOURCES: readonly AlertSource[] = ["amp", "cloudwatch"];

export interface NormalisedAlert {
  source: AlertSource;
  via: AlertChannel;
  status: AlertStatus;
  /** Stable across firing and resolution: 16 lower-case hex digits, safe in URLs, JQL and labels. */
  fingerprint: string;
  alertname: string;
  severity: Severity;
  team: string;
  /** Empty when the input does not say. */
  account: string;
  region: string;
  cluster: string;
  summary: string;
  description: string;
  runbook_url: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339, when known. */
  startsAt?: string;
  endsAt?: string;
  /** Where to look: the Prometheus expression for AMP alerts, the console page for CloudWatch alarms. */
  generatorURL: string;
}

/** Team for alerts that carry none; route it explicitly or it fails as unrouted. */
export const UNASSIGNED_TEAM = "unassigned";

const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: "critical", crit: "critical", page: "critical", p1: "critical", sev1: "critical",
  fatal: "critical", emergency: "critical", disaster: "critical",
  error: "error", err: "error", high: "error", major: "error", p2: "error", sev2: "error",
  warning: "warning", warn: "warning", medium: "warning", minor: "warning", p3: "warning", sev3: "warning",
  info: "info", informational: "info", notice: "info", low: "info", none: "info",
  p4: "info", p5: "info", sev4: "info", sev5: "info",
};

/**
 * Maps whatever a rule or alarm calls its severity onto the four levels PagerDuty knows.
 * Unknown or missing values become "warning": loud enough to be seen, not loud enough to page.
 */
export function normaliseSeverity(raw: string | undefined): Severity {
  if (raw === undefined) return "warning";
  return SEVERITY_ALIASES[raw.trim().toLowerCase()] ?? "warning";
}

/** Accepts only real instants; Alertmanager's zero time ("0001-01-01...") means "not set". */
export function normaliseTimestamp(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  // CloudWatch writes offsets without a colon ("+0000"), which Date.parse does not accept everywhere.
  const text = raw.trim().replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() <= 1) return undefined;
  return new Date(ms).toISOString();
}
