/**
 * The one list of metric names the collector ships to AMP (a `keep` write_relabel rule).
 * Everything else is scraped and dropped at the edge, which is the main lever on AMP cost.
 * Each section names who needs the metrics; tests parse every rule and dashboard
 * expression and check that this list keeps all they use and nothing more.
 */

/** Always shipped: scrape health, and what the collector's own meta-monitoring needs. */
const collectorHealth = [
  "up",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "prometheus_remote_storage_samples_total",
  "prometheus_remote_storage_samples_failed_total",
  "prometheus_remote_storage_samples_dropped_total",
  "prometheus_remote_storage_samples_pending",
  "prometheus_remote_storage_highest_timestamp_in_seconds",
  "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
  "prometheus_remote_storage_shards",
  "prometheus_remote_storage_shards_max",
  "prometheus_remote_storage_shards_desired",
];

/** Needed by the alerting and recording rules (components/alert-pipeline/rules). */
const forRules: string[] = [];

/** Needed by the dashboards (components/dashboards). */
const forDashboards: string[] = [];

/** Documented extension point: names users add for their own dashboards and rules. */
const userExtensions: string[] = [];

export const COLLECTOR_METRIC_ALLOWLIST: readonly string[] = Object.freeze(
  [...new Set([...collectorHealth, ...forRules, ...forDashboards, ...userExtensions])].sort(),
);
