/**
 * What the AMP alertmanager definition of one workspace is made from: where to publish
 * (SNS topics, region), how to route (teams, severities) and how often to notify.
 */
import { z } from "zod";
import { UNASSIGNED_TEAM } from "../notifier/alert";

export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface NotificationTiming {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export interface TeamRoute {
  /** Topic for this team's alerts; the definition's `topicArn` when absent. */
  topicArn?: string;
}

export interface AlertmanagerSettings {
  /** Region of the workspace; AMP publishes only to a topic in the same region and account. */
  region: string;
  /** Standard (not FIFO) topic every receiver publishes to unless its team names another. */
  topicArn: string;
  /** Teams routed by the `team` label, each to its own receiver. */
  teams: Record<string, TeamRoute>;
  /** Receiver of alerts whose team is not listed (or missing). */
  fallbackTeam: string;
  groupBy: string[];
  timing: NotificationTiming;
  /** Per-severity changes to the timing (critical pages sooner and repeats more often). */
  severityTiming: Partial<Record<AlertSeverity, Partial<NotificationTiming>>>;
  /**
   * Alerts written in full into one message; the rest are only counted (`totalAlerts`),
   * which keeps a large group under SNS's 256 KB message limit.
   */
  maxAlertsPerMessage: number;
}

export const DEFAULT_NOTIFICATION_TIMING: NotificationTiming = Object.freeze({
  groupWait: "30s",
  groupInterval: "5m",
  repeatInterval: "4h",
});

export const DEFAULT_SEVERITY_TIMING: AlertmanagerSettings["severityTiming"] = Object.freeze({
  critical: { groupWait: "10s", repeatInterval: "1h" },
  info: { repeatInterval: "24h" },
});

export const DEFAULT_GROUP_BY = Object.freeze(["alertname", "account", "cluster"]);
export const DEFAULT_MAX_ALERTS_PER_MESSAGE = 50;
/** Receiver of alerts whose team is not routed; the notifier's own name for an alert without a team. */
export const DEFAULT_FALLBACK_TEAM = UNASSIGNED_TEAM;
/** AMP refuses a repeat_interval above 5 days. */
export const AMP_MAX_REPEAT_INTERVAL_SECONDS = 5 * 24 * 3600;

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

/** Seconds in an Alertmanager/Prometheus duration such as `1h30m`. */
export function durationSeconds(duration: string): number {
  if (duration === "" || !DURATION.test(duration)) {
    throw new Error(`"${duration}" is not a duration (expected e.g. 30s, 5m, 4h, 1d12h)`);
  }
  let seconds = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) seconds += Number(amount) * UNITS[unit];
  return seconds;
}

const DURATION_MESSAGE = "expected a duration such as 30s, 5m or 4h";
const durationSchema = z.string().min(1, DURATION_MESSAGE).regex(DURATION, DURATION_MESSAGE);
const snsTopicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { message: "expected a Standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>, no .fifo)" });
const teamName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: "team names are 1-64 characters of letters, digits, '.', '_' or '-'" });
const timingSchema = z.object({
  groupWait: durationSchema.describe("How long a new alert group waits for more alerts before its first notification (Alertmanager's `group_wait`)."),
  groupInterval: durationSchema.describe("How long to wait before notifying about alerts added to a group already notified (`group_interval`)."),
  repeatInterval: durationSchema.describe("How long before a still-firing group is notified again (`repeat_interval`); AMP refuses more than 5 days."),
}).strict();
const severityTimingSchema = (severity: AlertSeverity) => timingSchema.partial()
  .describe(`Timing of \`severity: ${severity}\` alerts; unset keys follow \`timing\`.`);

/** The part of the settings a stack's config supplies (topic ARNs and region come from the stack). */
export const alertmanagerOverrideSchema = z
  .object({
    teams: z.record(teamName.describe("team"), z.object({
      topicArn: snsTopicArn.optional().describe("Standard SNS topic in the hub's region and account for this team's alerts; default the hub's alert topic."),
    }).strict())
      .describe("Teams routed by the alerts' `team` label, each to its own receiver; alerts of other teams go to `fallbackTeam`. Setting it replaces the per-account default."),
    fallbackTeam: teamName.describe("Receiver of alerts whose team is not routed (or missing); must not be a routed team."),
    groupBy: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)).min(1)
      .describe("Labels that group alerts into one notification; must include `alertname` (the SNS subject names the alert)."),
    timing: timingSchema.partial().describe("How often notifications are sent."),
    severityTiming: z.object({ critical: severityTimingSchema("critical"), warning: severityTimingSchema("warning"), info: severityTimingSchema("info") }).strict().partial()
      .describe("Per-severity changes to `timing` (critical pages sooner and repeats more often)."),
    maxAlertsPerMessage: z.number().int().min(1).max(500)
      .describe("Alerts written in full into one message; the rest are only counted (`totalAlerts`), which keeps a large group under SNS's 256 KB message limit."),
  })
  .strict()
  .partial()
  .describe("Routing and timing of every workspace's alertmanager definition, validated against AMP's rules.");
export type AlertmanagerOverride = z.infer<typeof alertmanagerOverrideSchema>;

function regionOfTopic(arn: string): string {
  return arn.split(":")[3];
}

/**
 * Defaults merged with a config override, validated against AMP's rules. `where` names
 * the config key in errors.
 */
export function resolveAlertmanagerSettings(
  base: { region: string; topicArn: string },
  override: unknown = {},
  where = "alertmanager settings",
): AlertmanagerSettings {
  const parsed = alertmanagerOverrideSchema.safeParse(override);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${[where, ...issue.path].join(".")}: ${issue.message}`);
    throw new Error(`Invalid alertmanager settings:\n  ${problems.join("\n  ")}`);
  }
  const o = parsed.data;
  const settings: AlertmanagerSettings = {
    region: base.region,
    topicArn: base.topicArn,
    teams: o.teams ?? {},
    fallbackTeam: o.fallbackTeam ?? DEFAULT_FALLBACK_TEAM,
    groupBy: o.groupBy ?? [...DEFAULT_GROUP_BY],
    timing: { ...DEFAULT_NOTIFICATION_TIMING, ...o.timing },
    severityTiming: {
      critical: { ...DEFAULT_SEVERITY_TIMING.critical, ...o.severityTiming?.critical },
      warning: { ...DEFAULT_SEVERITY_TIMING.warning, ...o.severityTiming?.warning },
      info: { ...DEFAULT_SEVERITY_TIMING.info, ...o.severityTiming?.info },
    },
    maxAlertsPerMessage: o.maxAlertsPerMessage ?? DEFAULT_MAX_ALERTS_PER_MESSAGE,
  };
  validateAlertmanagerSettings(settings, where);
  return settings;
}

/** Throws, naming the key, when AMP would refuse the definition these settings render. */
export function validateAlertmanagerSettings(settings: AlertmanagerSettings, where = "alertmanager settings"): void {
  const problems: string[] = [];
  const topics = [settings.topicArn, ...Object.values(settings.teams).flatMap((team) => (team.topicArn ? [team.topicArn] : []))];
  for (const arn of topics) {
    if (!snsTopicArn.safeParse(arn).success) problems.push(`${arn} is not a Standard SNS topic ARN`);
    else if (regionOfTopic(arn) !== settings.region) problems.push(`topic ${arn} is not in the workspace's region ${settings.region}`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(settings.region)) problems.push(`region "${settings.region}" is not an AWS region name`);
  if (settings.teams[settings.fallbackTeam]) problems.push(`fallbackTeam "${settings.fallbackTeam}" is also a routed team`);
  const timings = [settings.timing, ...Object.values(settings.severityTiming)];
  for (const timing of timings) {
    for (const value of Object.values(timing ?? {})) {
      try {
        durationSeconds(value);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (timing?.repeatInterval && DURATION.test(timing.repeatInterval) && durationSeconds(timing.repeatInterval) > AMP_MAX_REPEAT_INTERVAL_SECONDS) {
      problems.push(`repeatInterval ${timing.repeatInterval} is above AMP's limit of 5 days`);
    }
  }
  if (!settings.groupBy.includes("alertname")) problems.push("groupBy must include alertname (the SNS subject names the alert)");
  if (problems.length > 0) throw new Error(`Invalid alertmanager settings (${where}):\n  ${problems.join("\n  ")}`);
}
