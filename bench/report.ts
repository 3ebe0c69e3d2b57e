/** The markdown summary of a bench run. */
import type { ScalePoint } from "./scale";
import type { BenchResults } from "./run";

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const usd = (n: number) => `$${n.toFixed(2)}`;

export function renderMarkdown(results: BenchResults): string {
  const { ingestion: ing, scale, notifier } = results;
  const lines: string[] = [];
  lines.push(`## Bench (${results.mode}, ${results.startedAt}, ${results.machine.cpus} CPUs, node ${results.machine.node})`, "");
  lines.push(`### Ingestion (${ing.windowSeconds} s window, scrape interval ${ing.scrapeInterval}, shipped default ${ing.shippedDefaultScrapeInterval})`, "");
  lines.push("| | shipped config (allow-list) | ship everything | reduction |", "|---|---:|---:|---:|");
  lines.push(`| active series | ${int(ing.filtered.activeSeries)} | ${int(ing.unfiltered.activeSeries)} | x${fixed(ing.reduction.series)} |`);
  lines.push(`| samples/s (receiver) | ${fixed(ing.filtered.samplesPerSecond)} | ${fixed(ing.unfiltered.samplesPerSecond)} | x${fixed(ing.reduction.samples)} |`);
  lines.push(`| samples/s sent (collector counter) | ${fixed(ing.filtered.collectorSentPerSecond)} | ${fixed(ing.unfiltered.collectorSentPerSecond)} | |`);
  lines.push(`| node-exporter series (per node) | ${int(ing.filtered.activeSeriesByJob["node-exporter"] ?? 0)} | ${int(ing.unfiltered.activeSeriesByJob["node-exporter"] ?? 0)} | |`);
  lines.push(`| AMP $/node/month (node-exporter) | ${usd(ing.costPerNodeMonthUsd.filtered)} | ${usd(ing.costPerNodeMonthUsd.unfiltered)} | |`);
  lines.push(`| AMP $/collector/month (its own metrics) | ${usd(ing.costPerCollectorMonthUsd.filtered)} | ${usd(ing.costPerCollectorMonthUsd.unfiltered)} | |`);
  lines.push("", `Cost: ${ing.costFormula}.`, "");
  const u = ing.usedMetrics;
  lines.push(`Metrics used by rules and dashboards: ${u.checked} checked, ${u.present} present in the filtered receiver, ${u.notProducedLocally} not produced by local targets, ${u.missing.length} missing${u.missing.length ? ` (${u.missing.join(", ")})` : ""}, read from every rule and ${u.dashboardExpressions} dashboard expressions.`);
  const absent = u.names.filter((n) => n.status !== "present");
  if (absent.length) lines.push("", "| absent name | reason |", "|---|---|", ...absent.map((n) => `| ${n.name} | ${n.status}: ${n.source} |`));
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
  return lines.join("\n");
}
