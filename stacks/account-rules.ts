/** The rule settings of an account, from its entry of the organisation model. */
import { durationSeconds } from "../components/alert-pipeline/alertmanager";
import { RuleSettings, resolveRuleSettings } from "../components/alert-pipeline/rules";
import { WorkloadAccountConfig } from "./config/schema";

/**
 * Rule settings that follow the account's collector:
 * - the AMP quota rules estimate active series as shipped samples/s times the scrape
 *   interval, so they take the collector's longest interval (the services' job's, when it is
 *   longer) unless the account sets its own: with jobs at two intervals no one factor is exact,
 *   and the longest over-counts, so the quota warning comes early rather than late;
 * - the collector-health rules read the Prometheus collector's own metrics
 *   (`up{job="prometheus"}`, `prometheus_remote_storage_*`): an AMP managed scraper exports
 *   none, so for its accounts the group would page forever (CollectorAbsent). It is off there.
 */
export function collectorAwareRules(workload: WorkloadAccountConfig): WorkloadAccountConfig["rules"] {
  const rules = {
    ...workload.rules,
    collectorScrapeIntervalSeconds: workload.rules.collectorScrapeIntervalSeconds
      ?? Math.max(durationSeconds(workload.collector.scrapeInterval), durationSeconds(workload.collector.serviceScrapeInterval)),
  };
  if (workload.collector.mode !== "managed-scraper") return rules;
  return { ...rules, disabledGroups: [...new Set([...(workload.rules.disabledGroups ?? []), "collector-health" as const])] };
}


/** The account's resolved rule settings: its overrides on the collector-aware defaults, its own team unless the rules name one. */
export function accountRuleSettings(workload: WorkloadAccountConfig, configKey = "rule settings"): RuleSettings {
  return resolveRuleSettings({ ...collectorAwareRules(workload), team: workload.rules.team ?? workload.team }, configKey);
}
