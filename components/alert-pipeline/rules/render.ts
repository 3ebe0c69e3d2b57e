/**
 * Renders the rules as AMP rule group namespaces: plain Prometheus rules files
 * (`groups:`), one namespace per concern, exactly as deployed and as `promtool` checks them.
 */
import { stringify } from "yaml";
import { ampQuotaGroups } from "./amp-quota";
import { collectorGroups } from "./collector";
import { kubernetesGroups } from "./kubernetes";
import { AlertingRule, isAlertingRule, RecordingRule, RuleGroup } from "./model";
import { serviceGroups } from "./services";
import { DEFAULT_RULE_SETTINGS, RULE_CONCERNS, RuleConcern, RuleSettings } from "./settings";

/** AMP rule group namespace name of each concern. */
export const RULE_NAMESPACE_NAMES: Readonly<Record<RuleConcern, string>> = Object.freeze({
  kubernetes: "kubernetes-health",
  services: "service-red",
  collector: "collector-health",
  "amp-quota": "amp-quota",
});

const NAMESPACE_NAME = /^[0-9A-Za-z][-.0-9A-Z_a-z]*$/;

/** AMP's rule for namespace names: at most 64 characters of `[0-9A-Za-z][-.0-9A-Z_a-z]*`. */
export function assertRuleNamespaceName(name: string): string {
  if (name.length > 64 || !NAMESPACE_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid AMP rule group namespace name (at most 64 characters of [0-9A-Za-z][-.0-9A-Z_a-z]*)`);
  }
  return name;
}

function allGroups(settings: RuleSettings): RuleGroup[] {
  return [...kubernetesGroups(settings), ...serviceGroups(settings), ...collectorGroups(settings), ...ampQuotaGroups(settings)];
}

/** The enabled rule groups, optionally of one concern only. */
export function ruleGroups(settings: RuleSettings = DEFAULT_RULE_SETTINGS, concern?: RuleConcern): RuleGroup[] {
  const groups = allGroups(settings).filter((group) => !settings.disabledGroups.includes(group.name));
  assertUnique(groups);
  return concern === undefined ? groups : groups.filter((group) => group.concern === concern);
}

function assertUnique(groups: RuleGroup[]): void {
  const seen = new Set<string>();
  for (const rule of groups.flatMap((group) => group.rules)) {
    const key = isAlertingRule(rule) ? `alert ${rule.alert} severity=${rule.labels.severity}` : `record ${rule.record}`;
    if (seen.has(key)) throw new Error(`Two rules define ${key}`);
    seen.add(key);
  }
}

export function alertingRules(settings: RuleSettings = DEFAULT_RULE_SETTINGS): AlertingRule[] {
  return ruleGroups(settings).flatMap((group) => group.rules.filter(isAlertingRule));
}

export function recordingRules(settings: RuleSettings = DEFAULT_RULE_SETTINGS): RecordingRule[] {
  return ruleGroups(settings).flatMap((group) => group.rules.filter((rule): rule is RecordingRule => !isAlertingRule(rule)));
}

/** Every PromQL expression of the enabled rules (for the metric allow-list check). */
export function allRuleExpressions(settings: RuleSettings = DEFAULT_RULE_SETTINGS): string[] {
  return ruleGroups(settings).flatMap((group) => group.rules.map((rule) => rule.expr));
}

/** Key order as in the Prometheus documentation, so a reviewer reads familiar files. */
function ruleDocument(rule: AlertingRule | RecordingRule): Record<string, unknown> {
  if (!isAlertingRule(rule)) return { record: rule.record, expr: rule.expr };
  return { alert: rule.alert, expr: rule.expr, for: rule.for, labels: rule.labels, annotations: rule.annotations };
}

/** A Prometheus rules file of these groups (also used by the self-hosted hub's per-account files). */
export function renderGroups(groups: RuleGroup[]): string {
  const document = { groups: groups.map((group) => ({ name: group.name, interval: group.interval, rules: group.rules.map(ruleDocument) })) };
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * One Prometheus rules file. With a concern: that concern's namespace; without: every
 * enabled group in one file (for a workspace that wants a single namespace).
 */
export function renderRuleNamespace(settings: RuleSettings = DEFAULT_RULE_SETTINGS, concern?: RuleConcern): string {
  return renderGroups(ruleGroups(settings, concern));
}

export interface RenderedRuleNamespace {
  /** The `aws.amp.RuleGroupNamespace` name. */
  name: string;
  concern: RuleConcern;
  /** The rules file, the namespace's `data`. */
  data: string;
}

/** One namespace per concern that has at least one enabled group. */
export function renderRuleNamespaces(settings: RuleSettings = DEFAULT_RULE_SETTINGS): RenderedRuleNamespace[] {
  return RULE_CONCERNS.filter((concern) => ruleGroups(settings, concern).length > 0).map((concern) => ({
    name: assertRuleNamespaceName(RULE_NAMESPACE_NAMES[concern]),
    concern,
    data: renderRuleNamespace(settings, concern),
  }));
}
