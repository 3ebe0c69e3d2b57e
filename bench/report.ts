/** The markdown summary of a bench run. */
import type { ScalePoint } from "./scale";
import type { BenchResults } from "./run";

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (n: number) => `${(100 * n).toFixed(1)}%`;

export function renderMarkdown(results: BenchResults): string {
  const { ingestion: ing, scale, notifier } = results;
  const lines: string[] = [];
  lines.push(`## Bench (${results.mode}, ${results.startedAt}, ${results.machine.cpus} CPUs, node ${results.machine.node})`, "");
  lines.push(`### Ingestion (${ing.node.pods} pods x ${ing.node.containersPerPod} containers per node, ${ing.windowSeconds} s window, scrape interval ${ing.scrapeInterval}, services ${ing.serviceScrapeInterval}; shipped defaults ${ing.shippedDefaultScrapeInterval}, services ${ing.shippedDefaultServiceScrapeInterval})`, "");
  lines.push("| measured node | shipped config (allow-list + series cuts) | ship everything | reduction |", "|---|---:|---:|---:|");
  lines.push(`| active series | ${int(ing.filtered.activeSeries)} | ${int(ing.unfiltered.activeSeries)} | x${fixed(ing.reduction.series)} |`);
  lines.push(`| samples/s (receiver) | ${fixed(ing.filtered.samplesPerSecond)} | ${fixed(ing.unfiltered.samplesPerSecond)} | x${fixed(ing.reduction.samples)} (${pct(1 - 1 / ing.reduction.samples)} fewer) |`);
  lines.push(`| allow-list alone (no series cuts): series, samples/s | ${int(ing.allowlistOnly.activeSeries)}, ${fixed(ing.allowlistOnly.samplesPerSecond)} | | |`);
  lines.push(`| filtered series by job | ${Object.entries(ing.filtered.activeSeriesByJob).sort(([, x], [, y]) => y - x).map(([job, n]) => `${job} ${int(n)}`).join(", ")} | ${Object.entries(ing.unfiltered.activeSeriesByJob).sort(([, x], [, y]) => y - x).map(([job, n]) => `${job} ${int(n)}`).join(", ")} | |`);
  lines.push(`| samples/s sent (collector counter, per queue) | ${fixed(ing.filtered.collectorSentPerSecond)} | ${fixed(ing.unfiltered.collectorSentPerSecond)} | |`);
  const a = (f: typeof ing.filtered) => f.attribution;
  lines.push(`| series per pod / per node / per cluster | ${fixed(a(ing.filtered).perPod.series)} / ${int(a(ing.filtered).perNode.series)} / ${int(a(ing.filtered).perCluster.series)} | ${fixed(a(ing.unfiltered).perPod.series)} / ${int(a(ing.unfiltered).perNode.series)} / ${int(a(ing.unfiltered).perCluster.series)} | |`);
  lines.push(`| samples/s per node (its jobs and pods) | ${fixed(a(ing.filtered).perNode.samplesPerSecond + ing.node.pods * a(ing.filtered).perPod.samplesPerSecond)} | ${fixed(a(ing.unfiltered).perNode.samplesPerSecond + ing.node.pods * a(ing.unfiltered).perPod.samplesPerSecond)} | ${pct(ing.perNodeSampleReduction)} fewer |`);
  const atOne = ing.everythingAtCollectorInterval;
  lines.push(`| samples/s per node, everything with every job at ${ing.scrapeInterval} (second agent) | | ${fixed(a(atOne).perNode.samplesPerSecond + ing.node.pods * a(atOne).perPod.samplesPerSecond)} | ${pct(ing.perNodeSampleReductionVsCollectorInterval)} fewer |`);
  lines.push(`| AMP ingestion $/node/month | ${usd(ing.costPerNodeMonthUsd.filtered)} | ${usd(ing.costPerNodeMonthUsd.unfiltered)} | |`);
  lines.push(`| AMP ingestion $/collector/month (its own metrics) | ${usd(ing.costPerCollectorMonthUsd.filtered)} | ${usd(ing.costPerCollectorMonthUsd.unfiltered)} | |`);
  lines.push("", `| cluster (${ing.node.pods} pods/node) | samples/s shipped | active series shipped | AMP ingestion $/month | storage $/month | queries $/month | samples cut |`, "|---|---:|---:|---:|---:|---:|---:|");
  for (const c of ing.clusters) {
    lines.push(`| ${c.nodes} nodes, shipped config | ${int(c.filtered.samplesPerSecond)} | ${int(c.filtered.activeSeries)} | ${usd(c.filtered.ingestionUsdPerMonth)} | ${usd(c.filtered.storageUsdPerMonth)} | ${usd(c.queryUsdPerMonth)} | ${pct(c.sampleReduction)} |`);
    lines.push(`| ${c.nodes} nodes, ship everything | ${int(c.everything.samplesPerSecond)} | ${int(c.everything.activeSeries)} | ${usd(c.everything.ingestionUsdPerMonth)} | ${usd(c.everything.storageUsdPerMonth)} | ${usd(c.queryUsdPerMonth)} | |`);
  }
  lines.push("", ...ing.costAssumptions.map((line) => `- ${line}`), "");
  const u = ing.usedMetrics;
  lines.push(`Metrics used by rules and dashboards: ${u.checked} checked, ${u.present} present in the filtered receiver, ${u.notProducedLocally} not produced by local targets, ${u.missing.length} missing${u.missing.length ? ` (${u.missing.join(", ")})` : ""}, read from every rule and ${u.dashboardExpressions} dashboard expressions.`);
  const absent = u.names.filter((n) => n.status !== "present");
  if (absent.length) lines.push("", "| absent name | reason |", "|---|---|", ...absent.map((n) => `| ${n.name} | ${n.status}: ${n.source} |`));
  const e = ing.equivalence;
  lines.push("", `Query equivalence: ${e.queries} rule and dashboard queries, ${e.probes} probes (queries and the parts that decide them) at ${e.instants} instants, ${e.evaluations} comparisons; ${e.nonEmptyProbes} probes non-empty; ${e.mismatches.length} mismatches${e.skipped.length ? `; ${e.skipped.length} skipped (workspace-generated series)` : ""}. `
    + `Control filter (${ing.control.cuts.join("; ")}): ${ing.control.mismatches} mismatches, caught by ${ing.control.caughtBy.length} queries.`);
  lines.push("", `Allow-list ${ing.allowlistSize} names, ${ing.seriesCuts} series cuts; kubelet /metrics/resource (${int(ing.kubeletResourceSeries)} series) is served but not scraped.`);
  lines.push("", "### Program scale (whole environment planned under the mock runtime)", "");
  lines.push("| accounts | stacks | wall time (s) | peak RSS (MB) | resources | largest stack (resources) | shared / account hub / query / workload stack | shared resources changed by one more account | fullest document vs its quota |",
    "|---:|---:|---:|---:|---:|---|---|---|---|");
  const fullest = (d: ScalePoint["largestDocument"]) => d ? `${d.resource} (${d.kind}, ${d.stack}): ${int(d.size)} / ${int(d.limit)} = ${fixed((100 * d.size) / d.limit)}%` : "n/a";
  const sizes = (p: ScalePoint) => (["hub", "hub-account", "hub-query", "workload"] as const).map((k) => p.perKind[k]?.largest ?? 0).join(" / ");
  const onboarding = (p: ScalePoint) => p.onboarding
    ? `${p.onboarding.reduce((n, s) => n + s.added + s.removed + s.changed.length, 0)}${p.onboarding.some((s) => s.changed.length) ? ` (${p.onboarding.flatMap((s) => s.changed).join("; ")})` : ""}`
    : "not measured";
  for (const p of scale.points) {
    lines.push(`| ${int(p.accounts)} | ${int(p.stacks)} | ${fixed(p.wallMs / 1000, 1)} | ${int(p.peakRssMb)} | ${int(p.resources)} | ${p.largestStack.stack} (${p.largestStack.resources}) | ${sizes(p)} | ${onboarding(p)} | ${fullest(p.largestDocument)} |`);
  }
  lines.push("", scale.comment, "");
  lines.push("### Notifier", "");
  lines.push("| bundle | cold require (median of 5) | 1000 alerts, 3 destinations | throughput |", "|---:|---:|---:|---:|");
  lines.push(`| ${fixed(notifier.bundleBytes / 1024)} KiB | ${fixed(notifier.coldImportMs.median, 0)} ms | ${fixed(notifier.batch.wallMs / 1000, 2)} s (${Object.entries(notifier.batch.requests).map(([k, v]) => `${k} ${v}`).join(", ")} requests) | ${int(notifier.batch.alertsPerSecond)} alerts/s |`);
  lines.push("", `With the delivery ledger (dynalite on 127.0.0.1, real SDK client): ${fixed(notifier.ledger.wallMs / 1000, 2)} s, ${int(notifier.ledger.alertsPerSecond)} alerts/s; `
    + `the same event retried: ${fixed(notifier.ledger.retryWallMs / 1000, 2)} s, ${notifier.ledger.retryRequests} requests to destinations, ${notifier.ledger.retryAlreadyDelivered} deliveries skipped as already acknowledged.`);
  const proxy = results.ingestProxy;
  lines.push("", "### Self-hosted ingest proxy", "");
  lines.push(`One request: ${proxy.seriesPerRequest} series, ${int(proxy.samplesPerRequest)} samples, ${int(proxy.requestBytes)} bytes compressed.`, "");
  lines.push("| decode + account check (median) | decode throughput | requests direct to Prometheus | through the proxy | proxied samples/s | accepted |", "|---:|---:|---:|---:|---:|---:|");
  lines.push(`| ${int(proxy.decode.medianMicros)} µs | ${int(proxy.decode.samplesPerSecond)} samples/s | ${int(proxy.endToEnd.directRequestsPerSecond)}/s | ${int(proxy.endToEnd.proxiedRequestsPerSecond)}/s | ${int(proxy.endToEnd.proxiedSamplesPerSecond)} | ${proxy.endToEnd.accepted} / ${proxy.endToEnd.requests} |`);
  return lines.join("\n");
}
