/** Alerting and recording rules as reviewed data, rendered as AMP rule group namespaces. */
export {
  ALERT_IDS,
  DEFAULT_RULE_SETTINGS,
  RULE_CONCERNS,
  RULE_GROUP_NAMES,
  resolveRuleSettings,
  ruleSettingsOverrideSchema,
} from "./settings";
export type { AlertId, AmpQuotas, Duration, RuleConcern, RuleGroupName, RuleSelectors, RuleSettings, RuleSettingsOverride, RuleThresholds } from "./settings";
export type { AlertingRule, RecordingRule, Rule, RuleGroup, Severity } from "./model";
export {
  RULE_NAMESPACE_NAMES,
  alertingRules,
  allRuleExpressions,
  assertRuleNamespaceName,
  recordingRules,
  renderGroups,
  renderRuleNamespace,
  renderRuleNamespaces,
  ruleGroups,
} from "./render";
export type { RenderedRuleNamespace } from "./render";
