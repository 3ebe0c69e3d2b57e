/**
 * The scrape configuration, the exporters and the allow-list agree: every metric a rule or a
 * dashboard reads has a producer (node-exporter, kube-state-metrics, the kubelet, cAdvisor,
 * the collector itself, application pods), that producer has a scrape job in the collector
 * mode, the exporter behind the job is installed in that mode, and the job ships the metric.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { usedMetricNames } from "../../bench/used-metrics";
import { KUBE_STATE_METRICS_CHART, NODE_EXPORTER_CHART } from "../../components/workload-collector/exporters";
import { collectorHelmValues } from "../../components/workload-collector/helm-values";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { CollectorConfigSettings, collectorPrometheusConfig } from "../../components/workload-collector/prometheus-config";
import { renderScraperConfig } from "../../components/workload-collector/scraper-config";

type Mode = "prometheus" | "managed-scraper";

/** Who produces a metric, and the scrape job that collects that producer. */
const PRODUCERS = [
  { producer: "node-exporter", job: "node-exporter", chart: NODE_EXPORTER_CHART.chart, names: /^node_/ },
  { producer: "kube-state-metrics", job: "kube-state-metrics", chart: KUBE_STATE_METRICS_CHART.chart, names: /^kube_/ },
  { producer: "kubelet", job: "kubelet", names: /^kubelet_/ },
  { producer: "cAdvisor", job: "cadvisor", names: /^container_/ },
  { producer: "the collector itself", job: "prometheus", names: /^prometheus_/ },
  { producer: "application pods", job: "annotated-services", names: /^http_/ },
] as const;

/** Series every scrape of every job yields (Prometheus and the scraper both write them). */
const PER_SCRAPE = new Set(["up", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling"]);

const settings: CollectorConfigSettings = {
  accountName: "payments",
  clusterName: "payments-prod-a",
  environment: "prod",
  scrapeInterval: "30s",
  remoteWrite: { remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::220987654321:role/amp-ingest-prod-payments" },
  metricAllowlist: collectorMetricAllowlist(),
};

/** Per mode: each job name with the regex of names it ships. */
function jobsOf(mode: Mode): Map<string, RegExp> {
  if (mode === "prometheus") {
    const config = collectorPrometheusConfig(settings) as { scrape_configs: Array<{ job_name: string }>; remote_write: Array<{ write_relabel_configs: Array<{ regex: string }> }> };
    const kept = new RegExp(`^(?:${config.remote_write[0].write_relabel_configs[0].regex})$`);
    return new Map(config.scrape_configs.map((job) => [job.job_name, kept]));
  }
  const config = parse(renderScraperConfig(settings)) as { scrape_configs: Array<{ job_name: string; metric_relabel_configs: Array<{ regex: string; action: string }> }> };
  return new Map(config.scrape_configs.map((job) => {
    const [keep] = job.metric_relabel_configs;
    expect(keep.action, job.job_name).to.equal("keep");
    return [job.job_name, new RegExp(`^(?:${keep.regex})$`)];
  }));
}

/** Per mode: the exporter charts installed in the cluster. */
function chartsInstalled(mode: Mode): string[] {
  if (mode === "managed-scraper") return [NODE_EXPORTER_CHART.chart, KUBE_STATE_METRICS_CHART.chart];
  const values = collectorHelmValues({ serviceAccountName: "sa", collectorRoleArn: "arn:aws:iam::1:role/r", prometheusMode: "agent", configMapOverrideName: "c" }) as Record<string, { enabled?: boolean }>;
  return [NODE_EXPORTER_CHART.chart, KUBE_STATE_METRICS_CHART.chart].filter((chart) => values[chart]?.enabled === true);
}

/** Every name the account's rules and dashboards read in a mode, minus what AMP computes itself (recording rules, ALERTS). */
function usedIn(mode: Mode): string[] {
  const names = usedMetricNames(mode);
  return [...new Set([...names.rules, ...names.dashboards])].sort();
}
const used = usedIn("prometheus");

/** Why a metric cannot reach the workspace in a mode, or undefined when it can. */
function problemOf(name: string, mode: Mode): string | undefined {
  const jobs = jobsOf(mode);
  if (PER_SCRAPE.has(name)) {
    const dropping = [...jobs].filter(([, kept]) => !kept.test(name)).map(([job]) => job);
    return dropping.length === 0 ? undefined : `${name}: jobs ${dropping.join(", ")} drop it`;
  }
  const producers = PRODUCERS.filter((p) => p.names.test(name));
  if (producers.length !== 1) return `${name}: no known producer (add it to PRODUCERS)`;
  const [p] = producers;
  const kept = jobs.get(p.job);
  if (!kept) return `${name}: produced by ${p.producer}, which has no scrape job "${p.job}" in ${mode} mode`;
  if ("chart" in p && !chartsInstalled(mode).includes(p.chart)) return `${name}: ${p.producer} is not installed in ${mode} mode`;
  if (!kept.test(name)) return `${name}: job ${p.job} drops it`;
  return undefined;
}

describe("every metric the rules and dashboards read has a scrape job that produces it", () => {
  it("reads a realistic set of metrics", () => {
    expect(used.length).to.be.greaterThan(40);
    for (const p of PRODUCERS) expect(used.some((name) => p.names.test(name)), p.producer).to.equal(true);
  });

  it("prometheus mode: every one is produced, scraped and shipped", () => {
    expect(used.map((name) => problemOf(name, "prometheus")).filter(Boolean)).to.deep.equal([]);
  });

  it("managed-scraper mode: every one the account's rules and dashboards read is (it has no collector-health rules or dashboard)", () => {
    const scraperUsed = usedIn("managed-scraper");
    expect(scraperUsed.length).to.be.greaterThan(30);
    // The hub's cross-account dashboard charts each account's remote-write rate: a scraper
    // account simply has no line there. Pinned, so no other collector metric can join it.
    expect(scraperUsed.map((name) => problemOf(name, "managed-scraper")).filter(Boolean)).to.deep.equal(
      ["prometheus_remote_storage_samples_failed_total", "prometheus_remote_storage_samples_total"].map((name) =>
        `${name}: produced by the collector itself, which has no scrape job "prometheus" in managed-scraper mode`));
  });

  it("would catch a metric whose producer has no job in a mode", () => {
    expect(problemOf("prometheus_tsdb_head_series", "managed-scraper")).to.match(/no scrape job "prometheus" in managed-scraper mode/);
    expect(problemOf("node_load1", "prometheus")).to.equal("node_load1: job node-exporter drops it");
    expect(problemOf("coredns_dns_requests_total", "prometheus")).to.match(/no known producer/);
  });
});
