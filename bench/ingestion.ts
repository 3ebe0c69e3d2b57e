/**
 * Ingestion cost, side by side: two Prometheus agents scrape the same loopback targets (a
 * node-exporter and each agent itself); one remote-writes with the shipped collector
 * configuration, the other ships everything; each writes into its own receiver. The
 * receivers are then asked what arrived.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { COLLECTOR_METRIC_ALLOWLIST } from "../components/workload-collector/metric-allowlist";
import { collectorPrometheusConfig } from "../components/workload-collector/prometheus-config";
import { collectorSchema } from "../stacks/config/schema";
import { Started, freePort, removeScratchDir, requireBinary, startProcess, stopProcess, trackScratchDir, waitUntilReady } from "./processes";
import { counterFromMetricsPage, instantQuery, samplesInRange, scalarQuery } from "./prometheus-api";
import { expectedSource, usedMetricNames } from "./used-metrics";

/** AMP ingestion, first tier (us-east-1 public price sheet): $0.90 per 10M samples. */
export const AMP_PRICE_PER_10M_SAMPLES_USD = 0.9;
/** AWS bills a month as 730 hours. */
export const SECONDS_PER_MONTH = 730 * 3600;

export interface IngestionOptions {
  windowSeconds: number;
  /** The shipped collector's default unless a short smoke run overrides it. */
  scrapeIntervalSeconds: number;
  log: (line: string) => void;
}

export interface ShippedFigures {
  activeSeries: number;
  samplesInWindow: number;
  samplesPerSecond: number;
  /** By scrape job: node-exporter is what every node adds; prometheus is the collector itself. */
  samplesPerSecondByJob: Record<string, number>;
  activeSeriesByJob: Record<string, number>;
  /** The collector's own prometheus_remote_storage_samples_total over the window (cross-check). */
  collectorSentPerSecond: number;
  monthlyCostUsd: number;
}

export interface MetricPresence {
  name: string;
  usedBy: Array<"rules" | "dashboards">;
  inFiltered: boolean;
  inUnfiltered: boolean;
  status: "present" | "not produced by local targets" | "MISSING: produced locally but dropped by the allow-list";
  source: string;
}

export interface IngestionResult {
  windowSeconds: number;
  scrapeInterval: string;
  shippedDefaultScrapeInterval: string;
  targets: string[];
  notes: string[];
  filtered: ShippedFigures;
  unfiltered: ShippedFigures;
  reduction: { series: number; samples: number };
  costFormula: string;
  costPerNodeMonthUsd: { filtered: number; unfiltered: number };
  costPerCollectorMonthUsd: { filtered: number; unfiltered: number };
  allowlistSize: number;
  usedMetrics: { dashboardExpressions: number; checked: number; present: number; notProducedLocally: number; missing: string[]; names: MetricPresence[] };
}

export function monthlyCostUsd(samplesPerSecond: number): number {
  return ((samplesPerSecond * SECONDS_PER_MONTH) / 10_000_000) * AMP_PRICE_PER_10M_SAMPLES_USD;
}

/**
 * The shipped collector configuration with its Kubernetes discovery replaced by static
 * loopback targets, and SigV4 removed: the local receiver is plain HTTP and cannot verify
 * AWS signatures. `filtered: false` also removes the allow-list (the "ship everything" twin).
 */
export function benchCollectorConfig(options: { selfPort: number; nodeExporterPort: number; receiverUrl: string; scrapeInterval: string; filtered: boolean }): string {
  const shipped = collectorPrometheusConfig({
    accountName: "bench",
    clusterName: "bench-loopback",
    environment: "bench",
    scrapeInterval: options.scrapeInterval,
    remoteWrite: {
      remoteWriteUrl: options.receiverUrl,
      region: "us-east-1",
      ingestRoleArn: "arn:aws:iam::111111111111:role/bench-ingest",
    },
    metricAllowlist: COLLECTOR_METRIC_ALLOWLIST,
  });
  const [remoteWrite] = shipped.remote_write as Array<Record<string, unknown>>;
  const { sigv4: _unsignedLocally, ...unsigned } = remoteWrite;
  const { write_relabel_configs: allowlist, ...everything } = unsigned;
  const sent = options.filtered ? { ...everything, write_relabel_configs: allowlist } : everything;
  return stringify(
    {
      ...shipped,
      scrape_configs: [
        { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${options.selfPort}`] }] },
        { job_name: "node-exporter", static_configs: [{ targets: [`127.0.0.1:${options.nodeExporterPort}`] }] },
      ],
      remote_write: [sent],
    },
    { lineWidth: 0 },
  );
}

interface Pipeline {
  collectorPort: number;
  receiverUrl: string;
  collector?: Started;
  receiver?: Started;
}

async function startPipeline(dir: string, label: string, nodeExporterPort: number, scrapeInterval: string, filtered: boolean): Promise<Pipeline> {
  const receiverPort = await freePort();
  const collectorPort = await freePort();
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;
  writeFileSync(join(dir, `${label}-receiver.yml`), stringify({ global: { scrape_interval: "1m" } }));
  const receiver = startProcess(`${label} receiver`, "prometheus", [
    `--config.file=${join(dir, `${label}-receiver.yml`)}`,
    `--storage.tsdb.path=${join(dir, `${label}-receiver-data`)}`,
    `--web.listen-address=127.0.0.1:${receiverPort}`,
    "--web.enable-remote-write-receiver",
    "--log.level=warn",
  ]);
  await waitUntilReady(receiver, `${receiverUrl}/-/ready`);
  const configFile = join(dir, `${label}-collector.yml`);
  writeFileSync(configFile, benchCollectorConfig({ selfPort: collectorPort, nodeExporterPort, receiverUrl: `${receiverUrl}/api/v1/write`, scrapeInterval, filtered }));
  // Agent mode, as the shipped collector runs by default (prometheusMode: agent).
  const collector = startProcess(`${label} collector`, "prometheus", [
    `--config.file=${configFile}`,
    "--enable-feature=agent",
    `--storage.agent.path=${join(dir, `${label}-agent-data`)}`,
    `--web.listen-address=127.0.0.1:${collectorPort}`,
    "--log.level=warn",
  ]);
  await waitUntilReady(collector, `http://127.0.0.1:${collectorPort}/-/ready`);
  return { collectorPort, receiverUrl, collector, receiver };
}

async function figures(pipeline: Pipeline, windowSeconds: number, atSeconds: number, sentDelta: number): Promise<ShippedFigures> {
  const activeSeries = await scalarQuery(pipeline.receiverUrl, `count({__name__=~".+"})`, atSeconds);
  const seriesByJob = await instantQuery(pipeline.receiverUrl, `count by (job) ({__name__=~".+"})`, atSeconds);
  // Counted from the raw range: count_over_time would drop names and collide.
  const stored = await samplesInRange(pipeline.receiverUrl, `{__name__=~".+"}`, windowSeconds, atSeconds);
  const samplesInWindow = stored.reduce((sum, series) => sum + series.samples, 0);
  const samplesByJob: Record<string, number> = {};
  for (const series of stored) samplesByJob[series.metric.job] = (samplesByJob[series.metric.job] ?? 0) + series.samples;
  const samplesPerSecond = samplesInWindow / windowSeconds;
  return {
    activeSeries,
    samplesInWindow,
    samplesPerSecond,
    samplesPerSecondByJob: Object.fromEntries(Object.entries(samplesByJob).map(([job, samples]) => [job, samples / windowSeconds])),
    activeSeriesByJob: Object.fromEntries(seriesByJob.map((s) => [s.metric.job, s.value])),
    collectorSentPerSecond: sentDelta / windowSeconds,
    monthlyCostUsd: monthlyCostUsd(samplesPerSecond),
  };
}

async function present(receiverUrl: string, name: string, atSeconds: number): Promise<boolean> {
  return (await instantQuery(receiverUrl, `count({__name__="${name}"})`, atSeconds)).length > 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runIngestionBench(options: IngestionOptions): Promise<IngestionResult> {
  requireBinary("prometheus", "prometheus");
  requireBinary("prometheus-node-exporter", "prometheus-node-exporter");
  const shippedDefault = collectorSchema.parse({}).scrapeInterval;
  const scrapeInterval = `${options.scrapeIntervalSeconds}s`;
  if (options.windowSeconds % options.scrapeIntervalSeconds !== 0) {
    throw new Error(`--window ${options.windowSeconds} must be a multiple of the scrape interval (${scrapeInterval}) so every target is counted the same number of times`);
  }
  const dir = trackScratchDir(mkdtempSync(join(tmpdir(), "bench-ingestion-")));
  const started: Started[] = [];
  try {
    const nodeExporterPort = await freePort();
    const nodeExporter = startProcess("node-exporter", "prometheus-node-exporter", [`--web.listen-address=127.0.0.1:${nodeExporterPort}`, "--log.level=warn"]);
    started.push(nodeExporter);
    await waitUntilReady(nodeExporter, `http://127.0.0.1:${nodeExporterPort}/metrics`);
    const filtered = await startPipeline(dir, "filtered", nodeExporterPort, scrapeInterval, true);
    started.push(filtered.receiver!, filtered.collector!);
    const unfiltered = await startPipeline(dir, "unfiltered", nodeExporterPort, scrapeInterval, false);
    started.push(unfiltered.receiver!, unfiltered.collector!);

    // After one interval every target is being scraped; a window that is a whole number of
    // intervals then holds exactly windowSeconds/interval scrapes of each target.
    options.log(`ingestion: warming up one scrape interval (${scrapeInterval}), then a ${options.windowSeconds} s window`);
    await sleep(options.scrapeIntervalSeconds * 1000 + 1000);
    const sentName = "prometheus_remote_storage_samples_total";
    const sentAtStart = await Promise.all([filtered, unfiltered].map((p) => counterFromMetricsPage(`http://127.0.0.1:${p.collectorPort}/metrics`, sentName)));
    const windowStart = Date.now() / 1000;
    await sleep(options.windowSeconds * 1000);
    const windowEnd = windowStart + options.windowSeconds;
    const sentAtEnd = await Promise.all([filtered, unfiltered].map((p) => counterFromMetricsPage(`http://127.0.0.1:${p.collectorPort}/metrics`, sentName)));
    // Remote write batches are sent at least every 5 s (batch_send_deadline): let the last one land.
    await sleep(6000);

    const filteredFigures = await figures(filtered, options.windowSeconds, windowEnd, sentAtEnd[0] - sentAtStart[0]);
    const unfilteredFigures = await figures(unfiltered, options.windowSeconds, windowEnd, sentAtEnd[1] - sentAtStart[1]);
    if (filteredFigures.samplesInWindow === 0 || unfilteredFigures.samplesInWindow === 0) {
      throw new Error("a receiver got no samples in the window: remote write is not working");
    }

    const used = usedMetricNames();
    const names = [...new Set([...used.rules, ...used.dashboards])].sort();
    const presence: MetricPresence[] = [];
    for (const name of names) {
      const inFiltered = await present(filtered.receiverUrl, name, windowEnd);
      const inUnfiltered = await present(unfiltered.receiverUrl, name, windowEnd);
      const status: MetricPresence["status"] = inFiltered ? "present" : inUnfiltered ? "MISSING: produced locally but dropped by the allow-list" : "not produced by local targets";
      const usedBy: MetricPresence["usedBy"] = [];
      if (used.rules.includes(name)) usedBy.push("rules");
      if (used.dashboards.includes(name)) usedBy.push("dashboards");
      presence.push({ name, usedBy, inFiltered, inUnfiltered, status, source: expectedSource(name) });
    }
    const missing = presence.filter((p) => p.status.startsWith("MISSING")).map((p) => p.name);

    const perNode = (f: ShippedFigures) => monthlyCostUsd(f.samplesPerSecondByJob["node-exporter"] ?? 0);
    const perCollector = (f: ShippedFigures) => monthlyCostUsd(f.samplesPerSecondByJob["prometheus"] ?? 0);
    const result: IngestionResult = {
      windowSeconds: options.windowSeconds,
      scrapeInterval,
      shippedDefaultScrapeInterval: shippedDefault,
      targets: ["prometheus-node-exporter (loopback)", "each collector's own /metrics (job prometheus)"],
      notes: [
        "Collectors run the shipped renderer's output (allow-list, queue_config, external labels) in agent mode; Kubernetes discovery is replaced by static loopback targets.",
        "SigV4 is removed from remote_write: the local receivers are plain HTTP Prometheus servers and cannot verify AWS signatures.",
        "kubelet, cAdvisor and kube-state-metrics do not exist without Kubernetes, so a real node ships more than node-exporter alone.",
      ],
      filtered: filteredFigures,
      unfiltered: unfilteredFigures,
      reduction: {
        series: unfilteredFigures.activeSeries / filteredFigures.activeSeries,
        samples: unfilteredFigures.samplesPerSecond / filteredFigures.samplesPerSecond,
      },
      costFormula: `USD/month = samples/s x ${SECONDS_PER_MONTH} s (730 h) / 10,000,000 x $${AMP_PRICE_PER_10M_SAMPLES_USD.toFixed(2)}`,
      costPerNodeMonthUsd: { filtered: perNode(filteredFigures), unfiltered: perNode(unfilteredFigures) },
      costPerCollectorMonthUsd: { filtered: perCollector(filteredFigures), unfiltered: perCollector(unfilteredFigures) },
      allowlistSize: COLLECTOR_METRIC_ALLOWLIST.length,
      usedMetrics: {
        dashboardExpressions: used.dashboardExpressions,
        checked: presence.length,
        present: presence.filter((p) => p.status === "present").length,
        notProducedLocally: presence.filter((p) => p.status === "not produced by local targets").length,
        missing,
        names: presence,
      },
    };
    if (missing.length > 0) {
      throw Object.assign(new Error(`metrics the rules/dashboards use are produced locally but dropped by the allow-list: ${missing.join(", ")}`), { partial: result });
    }
    return result;
  } finally {
    for (const process of started.reverse()) await stopProcess(process);
    removeScratchDir(dir);
  }
}
