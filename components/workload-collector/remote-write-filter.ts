/**
 * What every remote_write section of a collector shares, whichever hub it writes to (AMP or
 * the self-hosted hub): the queue, and the filter that ships only allow-listed metrics minus
 * the series no rule or dashboard reads. One place, so both backends receive the same series.
 */
import { SeriesCut, seriesCutRelabelRules } from "./series-cuts";

/** AWS's recommended remote-write queue for AMP (the self-hosted proxy forwards each request whole, so it carries over). */
export const AMP_QUEUE_CONFIG = { max_samples_per_send: 1000, max_shards: 200, capacity: 2500 } as const;

function escapeRegex(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** One anchored alternation: Prometheus anchors relabel regexes, so this keeps exact names only. */
export function allowlistRegex(metricNames: readonly string[]): string {
  if (metricNames.length === 0) throw new Error("The collector metric allow-list is empty: nothing would be shipped");
  return [...new Set(metricNames)].sort().map(escapeRegex).join("|");
}

/** `write_relabel_configs` of every section: the allow-list, then the series cuts. */
export function shippedSeriesFilter(metricAllowlist: readonly string[], seriesCuts: readonly SeriesCut[] = []): object[] {
  return [{ source_labels: ["__name__"], regex: allowlistRegex(metricAllowlist), action: "keep" }, ...seriesCutRelabelRules(seriesCuts)];
}
