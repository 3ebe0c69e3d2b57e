/**
 * The shape of rules as data, and the one place that turns an alert definition into a
 * Prometheus alerting rule with the labels (`severity`, `team`) and annotations
 * (`summary`, `description`, `runbook_url`) every alert must carry.
 */
import { AlertId, RuleConcern, RuleGroupName, RuleSettings } from "./settings";

export type Severity = "critical" | "warning" | "info";

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity; team: string } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string } & Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: RuleGroupName;
  concern: RuleConcern;
  interval: string;
  rules: Rule[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return "alert" in rule;
}

/** What a concern's file writes for one alert; the rest comes from the settings. */
export interface AlertDefinition {
  id: AlertId;
  expr: string;
  severity: Severity;
  /** One line, with Prometheus template variables such as `{{ $labels.pod }}`. */
  summary: string;
  description: string;
}

/** `KubePodCrashLooping:critical` -> `KubePodCrashLooping`. */
export function alertNameOf(id: AlertId): string {
  return id.split(":")[0];
}

export function teamFor(settings: RuleSettings, concern: RuleConcern): string {
  return settings.teams[concern] ?? settings.team;
}

export function alertingRule(settings: RuleSettings, concern: RuleConcern, definition: AlertDefinition): AlertingRule {
  const alert = alertNameOf(definition.id);
  return {
    alert,
    expr: definition.expr,
    for: settings.pending[definition.id],
    labels: { severity: definition.severity, team: teamFor(settings, concern) },
    annotations: {
      summary: definition.summary,
      description: definition.description,
      runbook_url: `${settings.runbookBaseUrl}#${alert.toLowerCase()}`,
    },
  };
}

/** `{job="x"}` from matchers; extra matchers are appended after the configured ones. */
export function selector(...matchers: string[]): string {
  return `{${matchers.filter((m) => m.trim() !== "").join(", ")}}`;
}

/** Prints a computed threshold without floating-point noise (0.0144, not 0.014400000000000001). */
export function formatNumber(value: number): string {
  return Number(value.toPrecision(12)).toString();
}
