/**
 * Ingestion cost on a realistic node, and proof that the filter changes no answer.
 *
 * One Prometheus agent runs the shipped collector configuration (the real renderer: scrape
 * jobs and relabelling, allow-list, series cuts, queue settings, external labels) against a
 * real node-exporter and generated kubelet, cAdvisor, kube-state-metrics and instrumented
 * services on 127.0.0.1 (bench/targets). It remote-writes through three queues into three
 * local Prometheus receivers: the shipped filter, everything, and a control whose filter
 * also drops series some queries read. The receivers are then asked what arrived, and every
 * rule and dashboard query is compared between them (bench/query-equivalence.ts).
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { collectorMetricAllowlist } from "../components/workload-collector/metric-allowlist";
import { allowlistRegex, collectorPrometheusConfig } from "../components/workload-collector/prometheus-config";
import { COLLECTOR_SERIES_CUTS } from "../components/workload-collector/series-cuts";
import { collectorSchema } from "../stacks/config/schema";
import { COST_ASSUMPTIONS, ingestionUsdPerMonth } from "./amp-pricing";
import { Attribution, ClusterComparison, attribute, compareClusters } from "./cluster-projection";
import { Started, freePort, removeScratchDir, requireBinary, startProcess, stopProcess, trackScratchDir, waitUntilReady } from "./processes";
import { instantQuery, samplesInRange, scalarQuery } from "./prometheus-api";
import { EquivalenceResult, checkQueryEquivalence } from "./query-equivalence";
import { startClock } from "./targets/exposition";
import { buildNodeModel } from "./targets/node-model";
import { serveNode } from "./targets/serve";
import { loopbackScrapeJobs } from "./targets/static-discovery";
import { expectedSource, usedMetricNames } from "./used-metrics";

export interface IngestionOptions {
  windowSeconds: number;
  /** The shipped collector's default unless a short smoke run overrides it. */
  scrapeIntervalSeconds: number;
  /** The services' job's (collector.serviceScrapeInterval), in the same ratio to the above as shipped. */
  serviceScrapeIntervalSeconds: number;
  pods: number;
  containersPerPod: number;
  log: (line: string) => void;
}

export interface ShippedFigures {
  activeSeries: number;
  samplesInWindow: number;
  samplesPerSecond: number;
  samplesPerSecondByJob: Record<string, number>;
  activeSeriesByJob: Record<string, number>;
  /** The collector's prometheus_remote_storage_samples_total for this queue over the window (cross-check). */
  collectorSentPerSecond: number;
  attribution: Attribution;
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
  serviceScrapeInterval: string;
  shippedDefaultScrapeInterval: string;
  shippedDefaultServiceScrapeInterval: string;
  node: { pods: number; containersPerPod: number; applicationPods: number };
  targets: string[];
  notes: string[];
  filtered: ShippedFigures;
  unfiltered: ShippedFigures;
  /** What the metric-name allow-list alone would ship (counted in the everything receiver): the series cuts' share. */
  allowlistOnly: { activeSeries: number; samplesPerSecond: number };
  /**
   * Everything the same targets expose with every job at the collector's interval (a second agent,
   * no filter, the services' job not slowed): what a cluster ships without this project.
   */
  everythingAtCollectorInterval: ShippedFigures;
  /** 1 - filtered / everythingAtCollectorInterval, per node. */
  perNodeSampleReductionVsCollectorInterval: number;
  /** Everything / filtered (x fewer). */
  reduction: { series: number; samples: number };
  /** 1 - filtered / everything, per node (node-local jobs and the node's pods, collector excluded). */
  perNodeSampleReduction: number;
  clusters: ClusterComparison[];
  costAssumptions: string[];
  costPerNodeMonthUsd: { filtered: number; unfiltered: number };
  costPerCollectorMonthUsd: { filtered: number; unfiltered: number };
  allowlistSize: number;
  seriesCuts: number;
  /** kubelet /metrics/resource, served but not scraped (see bench/targets/kubelet-resource.ts). */
  kubeletResourceSeries: number;
  usedMetrics: { dashboardExpressions: number; checked: number; present: number; notProducedLocally: number; missing: string[]; names: MetricPresence[] };
  equivalence: EquivalenceResult;
  /** The same check against a filter that drops series queries read: it must find them. */
  control: { cuts: string[]; caughtBy: string[]; mismatches: number };
}

/** Over-cuts for the control queue: a label value and a bucket the rules and panels read. */
const CONTROL_CUTS = [
  { source_labels: ["__name__", "phase"], regex: "kube_pod_status_phase;Running", action: "drop" },
  // Two bucket boundaries around the latency quantiles: interpolation moves when they go.
  { source_labels: ["__name__", "le"], regex: "http_request_duration_seconds_bucket;(?:0\\.1|0\\.25)", action: "drop" },
];

const BENCH_ACCOUNT = "bench";
const BENCH_CLUSTER = "bench-loopback";

interface Receiver {
  name: "filtered" | "everything" | "control" | "collector-interval";
  url: string;
  process: Started;
}

async function startReceiver(dir: string, name: Receiver["name"]): Promise<Receiver> {
  const port = await freePort();
  writeFileSync(join(dir, `${name}-receiver.yml`), stringify({ global: { scrape_interval: "1m" } }));
  const process = startProcess(`${name} receiver`, "prometheus", [
    `--config.file=${join(dir, `${name}-receiver.yml`)}`,
    `--storage.tsdb.path=${join(dir, `${name}-receiver-data`)}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-remote-write-receiver",
    "--log.level=warn",
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(process, `${url}/-/ready`);
  return { name, url, process };
}

/**
 * The shipped configuration with loopback targets and one remote_write per receiver. SigV4 is
 * removed: the local receivers are plain HTTP and cannot verify AWS signatures.
 */
function collectorConfig(rendered: Record<string, unknown>, scrapeJobs: object[], receivers: Receiver[]): string {
  const [shipped] = rendered.remote_write as Array<Record<string, unknown>>;
  const { sigv4: _unsignedLocally, write_relabel_configs: filter, ...queue } = shipped;
  const relabels = (name: Receiver["name"]) => (name === "everything" || name === "collector-interval" ? {} : { write_relabel_configs: name === "filtered" ? filter : [...(filter as object[]), ...CONTROL_CUTS] });
  return stringify({
    ...rendered,
    scrape_configs: scrapeJobs,
    remote_write: receivers.map((r) => ({ ...queue, name: r.name, url: `${r.url}/api/v1/write`, ...relabels(r.name) })),
  }, { lineWidth: 0 });
}

async function figures(receiver: Receiver, windowSeconds: number, atSeconds: number, sentPerSecond: number, pods: number): Promise<ShippedFigures> {
  const activeSeries = await scalarQuery(receiver.url, `count({__name__=~".+"})`, atSeconds);
  const seriesByJob = await instantQuery(receiver.url, `count by (job) ({__name__=~".+"})`, atSeconds);
  // Counted from the raw range: count_over_time would drop names and collide.
  const stored = await samplesInRange(receiver.url, `{__name__=~".+"}`, windowSeconds, atSeconds);
  const samplesInWindow = stored.reduce((sum, series) => sum + series.samples, 0);
  const samplesByJob: Record<string, number> = {};
  for (const series of stored) samplesByJob[series.metric.job] = (samplesByJob[series.metric.job] ?? 0) + series.samples;
  return {
    activeSeries,
    samplesInWindow,
    samplesPerSecond: samplesInWindow / windowSeconds,
    samplesPerSecondByJob: Object.fromEntries(Object.entries(samplesByJob).map(([job, samples]) => [job, samples / windowSeconds])),
    activeSeriesByJob: Object.fromEntries(seriesByJob.map((s) => [s.metric.job, s.value])),
    collectorSentPerSecond: sentPerSecond,
    attribution: attribute(stored, pods, windowSeconds),
  };
}

/** prometheus_remote_storage_samples_total of each queue, by remote_name. */
async function sentByQueue(collectorPort: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${collectorPort}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = /^prometheus_remote_storage_samples_total\{[^}]*remote_name="([^"]+)"[^}]*\} (\S+)$/.exec(line);
    if (match) out[match[1]] = Number(match[2]);
  }
  return out;
}

async function present(receiverUrl: string, name: string, atSeconds: number): Promise<boolean> {
  return (await instantQuery(receiverUrl, `count({__name__="${name}"})`, atSeconds)).length > 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runIngestionBench(options: IngestionOptions): Promise<IngestionResult> {
  requireBinary("prometheus", "prometheus");
  requireBinary("prometheus-node-exporter", "prometheus-node-exporter");
  const shippedDefault = collectorSchema.parse({}).scrapeInterval;
  const shippedServiceDefault = collectorSchema.parse({}).serviceScrapeInterval;
  const scrapeInterval = `${options.scrapeIntervalSeconds}s`;
  const serviceScrapeInterval = `${options.serviceScrapeIntervalSeconds}s`;
  for (const interval of [options.scrapeIntervalSeconds, options.serviceScrapeIntervalSeconds]) {
    if (options.windowSeconds % interval !== 0) {
      throw new Error(`--window ${options.windowSeconds} must be a multiple of the scrape intervals (${scrapeInterval}, services ${serviceScrapeInterval}) so every target is counted the same number of times`);
    }
  }
  const longestInterval = Math.max(options.scrapeIntervalSeconds, options.serviceScrapeIntervalSeconds);
  const dir = trackScratchDir(mkdtempSync(join(tmpdir(), "bench-ingestion-")));
  const started: Started[] = [];
  const model = buildNodeModel({ nodeName: "ip-10-0-0-5.ec2.internal", pods: options.pods, containersPerPod: options.containersPerPod });
  const node = await serveNode(model, startClock());
  try {
    const nodeExporterPort = await freePort();
    const nodeExporter = startProcess("node-exporter", "prometheus-node-exporter", [`--web.listen-address=127.0.0.1:${nodeExporterPort}`, "--log.level=warn"]);
    started.push(nodeExporter);
    await waitUntilReady(nodeExporter, `http://127.0.0.1:${nodeExporterPort}/metrics`);
    const receivers: Receiver[] = [];
    for (const name of ["filtered", "everything", "control", "collector-interval"] as const) {
      receivers.push(await startReceiver(dir, name));
      started.push(receivers[receivers.length - 1].process);
    }
    const [filtered, everything, control, atCollectorInterval] = receivers;

    // Two agents over the same targets: the shipped config (jobs at their intervals) writing to
    // the filtered, everything and control receivers, which so hold the same samples at the same
    // timestamps; and the same jobs all at the collector's interval, unfiltered, for the figure
    // of what the cluster ships without this project.
    const startAgent = async (name: string, agentServiceInterval: string | undefined, agentReceivers: Receiver[]) => {
      const rendered = collectorPrometheusConfig({
        accountName: BENCH_ACCOUNT,
        clusterName: BENCH_CLUSTER,
        environment: "bench",
        scrapeInterval,
        serviceScrapeInterval: agentServiceInterval,
        remoteWrite: { remoteWriteUrl: "http://unused.invalid", region: "us-east-1", ingestRoleArn: "arn:aws:iam::111111111111:role/bench-ingest" },
        metricAllowlist: collectorMetricAllowlist(),
        seriesCuts: COLLECTOR_SERIES_CUTS,
      });
      const port = await freePort();
      const jobs = loopbackScrapeJobs(rendered.scrape_configs as Array<Record<string, unknown> & { job_name: string }>, { collectorPort: port, nodeExporterPort, node, model });
      const configFile = join(dir, `${name}.yml`);
      writeFileSync(configFile, collectorConfig(rendered, jobs, agentReceivers));
      // Agent mode, as the shipped collector runs by default (prometheusMode: agent).
      const agent = startProcess(name, "prometheus", [
        `--config.file=${configFile}`,
        "--enable-feature=agent",
        `--storage.agent.path=${join(dir, `${name}-data`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ]);
      started.push(agent);
      await waitUntilReady(agent, `http://127.0.0.1:${port}/-/ready`);
      return port;
    };
    const collectorPort = await startAgent("collector", serviceScrapeInterval, [filtered, everything, control]);
    const referencePort = await startAgent("collector-at-one-interval", undefined, [atCollectorInterval]);

    // After the longest interval every target is being scraped; a window that is a whole number
    // of intervals then holds exactly windowSeconds/interval scrapes of each target.
    options.log(`ingestion: ${model.pods.length} pods x ${options.containersPerPod} containers; warming up one scrape interval (${longestInterval} s), then a ${options.windowSeconds} s window`);
    await sleep(longestInterval * 1000 + 1000);
    const sentAtStart = { ...(await sentByQueue(collectorPort)), ...(await sentByQueue(referencePort)) };
    const windowStart = Date.now() / 1000;
    await sleep(options.windowSeconds * 1000);
    const windowEnd = windowStart + options.windowSeconds;
    const sentAtEnd = { ...(await sentByQueue(collectorPort)), ...(await sentByQueue(referencePort)) };
    // Remote write batches are sent at least every 5 s (batch_send_deadline): let the last one land.
    await sleep(6000);
    const down = await instantQuery(everything.url, "up == 0", windowEnd);
    if (down.length) throw new Error(`scrape targets down during the window: ${down.map((s) => `${s.metric.job} ${s.metric.instance}`).join(", ")}`);

    const sent = (name: string) => ((sentAtEnd[name] ?? 0) - (sentAtStart[name] ?? 0)) / options.windowSeconds;
    const filteredFigures = await figures(filtered, options.windowSeconds, windowEnd, sent("filtered"), model.pods.length);
    const everythingFigures = await figures(everything, options.windowSeconds, windowEnd, sent("everything"), model.pods.length);
    const atCollectorIntervalFigures = await figures(atCollectorInterval, options.windowSeconds, windowEnd, sent("collector-interval"), model.pods.length);
    if (filteredFigures.samplesInWindow === 0 || everythingFigures.samplesInWindow === 0) throw new Error("a receiver got no samples in the window: remote write is not working");

    const allowlisted = await samplesInRange(everything.url, `{__name__=~"${allowlistRegex(collectorMetricAllowlist())}"}`, options.windowSeconds, windowEnd);
    const allowlistOnly = { activeSeries: allowlisted.length, samplesPerSecond: allowlisted.reduce((sum, series) => sum + series.samples, 0) / options.windowSeconds };

    const used = usedMetricNames();
    const presence: MetricPresence[] = [];
    for (const name of [...new Set([...used.rules, ...used.dashboards])].sort()) {
      const inFiltered = await present(filtered.url, name, windowEnd);
      const inUnfiltered = await present(everything.url, name, windowEnd);
      const status: MetricPresence["status"] = inFiltered ? "present" : inUnfiltered ? "MISSING: produced locally but dropped by the allow-list" : "not produced by local targets";
      const usedBy: MetricPresence["usedBy"] = [];
      if (used.rules.includes(name)) usedBy.push("rules");
      if (used.dashboards.includes(name)) usedBy.push("dashboards");
      presence.push({ name, usedBy, inFiltered, inUnfiltered, status, source: expectedSource(name) });
    }
    const missing = presence.filter((p) => p.status.startsWith("MISSING")).map((p) => p.name);

    const labels = { account: BENCH_ACCOUNT, cluster: BENCH_CLUSTER, namespaces: model.appNamespaces, scrapeIntervalSeconds: options.scrapeIntervalSeconds, serviceScrapeIntervalSeconds: options.serviceScrapeIntervalSeconds };
    // One interval back from the window's end: every sample up to then has long been sent to
    // both receivers, so a batch still in flight cannot pass for a difference.
    const instants = [1, 2, 3].map((k) => windowEnd - k * options.scrapeIntervalSeconds);
    options.log("ingestion: comparing every rule and dashboard query between the receivers");
    const equivalence = await checkQueryEquivalence({ everythingUrl: everything.url, filteredUrl: filtered.url, instants, labels });
    const controlRun = await checkQueryEquivalence({ everythingUrl: everything.url, filteredUrl: control.url, instants: [instants[0]], labels });
    const resourcePage = await (await fetch(`http://127.0.0.1:${node.kubeletPort}/metrics/resource`)).text();

    const nodeSamples = (a: Attribution) => a.perNode.samplesPerSecond + model.pods.length * a.perPod.samplesPerSecond;
    const perNodeSampleReduction = 1 - nodeSamples(filteredFigures.attribution) / nodeSamples(everythingFigures.attribution);
    const perNodeSampleReductionVsCollectorInterval = 1 - nodeSamples(filteredFigures.attribution) / nodeSamples(atCollectorIntervalFigures.attribution);
    const result: IngestionResult = {
      windowSeconds: options.windowSeconds,
      scrapeInterval,
      serviceScrapeInterval,
      shippedDefaultScrapeInterval: shippedDefault,
      shippedDefaultServiceScrapeInterval: shippedServiceDefault,
      node: { pods: model.pods.length, containersPerPod: options.containersPerPod, applicationPods: node.services.length },
      targets: [
        "prometheus-node-exporter (real, loopback)",
        "generated kubelet /metrics and /metrics/cadvisor, kube-state-metrics, and one instrumented service per application pod (bench/targets)",
        "the collector's own /metrics (job prometheus)",
      ],
      notes: [
        "One agent runs the shipped renderer's output (scrape jobs and their intervals, relabel rules, allow-list, series cuts, queue_config, external labels) and remote-writes through three queues, so the filtered, everything and control receivers get the same samples at the same timestamps.",
        "A second agent scrapes the same targets with every job at the collector's interval and ships everything: what the cluster sends without this project (everythingAtCollectorInterval).",
        "Kubernetes discovery is replaced by static targets carrying the __meta_kubernetes_* labels discovery would give; the kubelet is scraped over plain HTTP without the token, and SigV4 is removed (local receivers cannot verify AWS signatures).",
        "node-exporter runs on this machine: its CPUs, disks and interfaces are this machine's, not an EKS node's (which has one eni/veth interface per pod, cut by the series cuts).",
        "The collector's own series count three remote-write queues instead of one.",
      ],
      filtered: filteredFigures,
      unfiltered: everythingFigures,
      everythingAtCollectorInterval: atCollectorIntervalFigures,
      perNodeSampleReductionVsCollectorInterval,
      allowlistOnly,
      reduction: {
        series: everythingFigures.activeSeries / filteredFigures.activeSeries,
        samples: everythingFigures.samplesPerSecond / filteredFigures.samplesPerSecond,
      },
      perNodeSampleReduction,
      clusters: compareClusters(filteredFigures.attribution, everythingFigures.attribution, [10, 50, 200], model.pods.length, options.scrapeIntervalSeconds),
      costAssumptions: COST_ASSUMPTIONS,
      costPerNodeMonthUsd: { filtered: ingestionUsdPerMonth(nodeSamples(filteredFigures.attribution)), unfiltered: ingestionUsdPerMonth(nodeSamples(everythingFigures.attribution)) },
      costPerCollectorMonthUsd: { filtered: ingestionUsdPerMonth(filteredFigures.attribution.perCluster.samplesPerSecond), unfiltered: ingestionUsdPerMonth(everythingFigures.attribution.perCluster.samplesPerSecond) },
      allowlistSize: collectorMetricAllowlist().length,
      seriesCuts: COLLECTOR_SERIES_CUTS.length,
      kubeletResourceSeries: resourcePage.split("\n").filter((line) => line && !line.startsWith("#")).length,
      usedMetrics: {
        dashboardExpressions: used.dashboardExpressions,
        checked: presence.length,
        present: presence.filter((p) => p.status === "present").length,
        notProducedLocally: presence.filter((p) => p.status === "not produced by local targets").length,
        missing,
        names: presence,
      },
      equivalence,
      control: {
        cuts: CONTROL_CUTS.map((c) => `${c.regex.replace(";", ` ${c.source_labels[1]}=~`)}`),
        caughtBy: [...new Set(controlRun.mismatches.map((m) => m.source))].sort(),
        mismatches: controlRun.mismatches.length,
      },
    };
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`metrics the rules/dashboards use are produced locally but dropped by the allow-list: ${missing.join(", ")}`);
    if (!equivalence.equivalent) problems.push(`queries whose answers differ with the filter:\n${equivalence.mismatches.slice(0, 20).map((m) => `  ${m.source}: ${m.query} -> ${m.difference}`).join("\n")}`);
    if (controlRun.equivalent) problems.push("the control filter (drops series queries read) was not caught: the equivalence check cannot fail");
    if (problems.length) throw Object.assign(new Error(problems.join("\n")), { partial: result });
    return result;
  } finally {
    for (const process of started.reverse()) await stopProcess(process);
    await node.close();
    removeScratchDir(dir);
  }
}
