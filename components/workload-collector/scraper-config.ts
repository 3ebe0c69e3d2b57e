/**
 * Pure renderer of the AMP managed scraper's scrape configuration: the same discovery
 * jobs as the Prometheus collector, with the allow-list applied per job, because the
 * scraper writes to its destination itself and has no remote_write section.
 */
import { stringify } from "yaml";
import { allowlistRegex, collectorPrometheusConfig, CollectorConfigSettings } from "./prometheus-config";

export function renderScraperConfig(settings: CollectorConfigSettings): string {
  const full = collectorPrometheusConfig(settings) as { global: Record<string, unknown>; scrape_configs: Array<Record<string, unknown>> };
  const keep = { source_labels: ["__name__"], regex: allowlistRegex(settings.metricAllowlist), action: "keep" };
  return stringify({
    global: full.global,
    // The scraper has no local Prometheus to scrape itself.
    scrape_configs: full.scrape_configs
      .filter((job) => job.job_name !== "prometheus")
      .map((job) => ({ ...job, metric_relabel_configs: [keep] })),
  }, { lineWidth: 0 });
}
