/**
 * Series of allow-listed metrics that no rule or dashboard can read, dropped before they
 * leave the cluster (after the metric-name allow-list, in the same write_relabel_configs).
 * Each cut is what components/promql/series-selection.ts derives from the label matchers of
 * every rule and dashboard selector of those metrics; tests/promql/series-cuts.test.ts keeps
 * this table equal to that derivation, so a new query that reads a dropped series fails there.
 * The table is the default; an account's stacks derive the account's own (`deriveSeriesCuts`
 * over its rules as its selectors make them), so a selector an account overrides, e.g. another
 * kube-state-metrics job name, never has its series cut away.
 *
 * Not cut, on purpose:
 * - cAdvisor's `id`, `name` and `image` labels: no query reads `id` or `name`
 *   (components/promql/labels-read.ts; `image` is read by the memory recording rule), but
 *   once the `container=""` series are gone they add no series (AMP bills samples, not
 *   labels), and dropping them would merge a restarted container's old and new cgroups
 *   into one series with two values per timestamp.
 * - histogram buckets: histogram_quantile interpolates inside whichever bucket the quantile
 *   falls in, so every `le` is read by the p95 rule and the p99 panel.
 */

import { SeriesSelection } from "../promql/series-selection";

export interface SeriesCut {
  metrics: readonly string[];
  label: string;
  /** Only series whose label matches one of these regex alternatives are shipped. */
  keep?: readonly string[];
  /** Series whose label matches this regex are not shipped. */
  drop?: string;
}

export const COLLECTOR_SERIES_CUTS: readonly SeriesCut[] = Object.freeze([
  // cAdvisor's pod-level and system cgroups (and each pod's pause container) have container="".
  { metrics: ["container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total", "container_cpu_usage_seconds_total", "container_memory_working_set_bytes"], label: "container", drop: "" },
  // node-exporter: per-pod virtual interfaces and CPU modes no panel shows.
  { metrics: ["node_network_receive_bytes_total", "node_network_transmit_bytes_total"], label: "device", drop: "lo|veth.*|eni.*|cali.*|docker.*" },
  { metrics: ["node_cpu_seconds_total"], label: "mode", keep: ["idle", "iowait", "steal"] },
  { metrics: ["node_filesystem_readonly"], label: "fstype", keep: ["btrfs", "ext[34]", "xfs"] },
  // Kubernetes' probes of instrumented services: no RED rule or panel counts them
  // (components/shared/http-requests.ts); a latency histogram is 12 series per route.
  { metrics: ["http_request_duration_seconds_bucket", "http_requests_total"], label: "handler", drop: "/healthz|/livez|/readyz" },
  // kube-state-metrics: one series per enum value, of which the queries read a few.
  { metrics: ["kube_pod_status_phase"], label: "phase", keep: ["Failed", "Pending", "Running", "Unknown"] },
  { metrics: ["kube_node_status_condition"], label: "status", keep: ["true"] },
  { metrics: ["kube_node_status_allocatable", "kube_pod_container_resource_limits", "kube_pod_container_resource_requests"], label: "resource", keep: ["cpu", "memory"] },
  { metrics: ["kube_persistentvolume_status_phase"], label: "phase", keep: ["Failed", "Pending"] },
  { metrics: ["kube_job_failed"], label: "condition", keep: ["true"] },
  { metrics: ["kube_pod_container_status_last_terminated_reason"], label: "reason", keep: ["OOMKilled"] },
  { metrics: ["kube_pod_owner"], label: "owner_kind", drop: "Job" },
  // Selectors that name their job: the same metric name from another job is never read.
  { metrics: ["container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total"], label: "job", keep: ["cadvisor"] },
  { metrics: ["kube_job_failed", "kube_persistentvolume_status_phase", "kube_pod_container_status_last_terminated_reason", "kube_pod_container_status_waiting_reason", "kube_pod_owner"], label: "job", keep: ["kube-state-metrics"] },
  { metrics: ["kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes"], label: "job", keep: ["kubelet"] },
  { metrics: ["node_filesystem_readonly"], label: "job", keep: ["node-exporter"] },
  { metrics: ["prometheus_config_last_reload_successful", "prometheus_target_scrapes_sample_duplicate_timestamp_total", "prometheus_target_scrapes_sample_out_of_bounds_total", "prometheus_target_scrapes_sample_out_of_order_total"], label: "job", keep: ["prometheus"] },
]);

const MARK_PREFIX = "__tmp_read_";

function names(metrics: readonly string[]): string {
  return [...metrics].sort().join("|");
}

/**
 * The cuts as relabel rules, applied after the name allow-list. A `keep` cut marks the series
 * it keeps with a temporary label, drops the cut metrics' unmarked series, and the marks are
 * removed at the end (relabelling has no negative match).
 */
export function seriesCutRelabelRules(cuts: readonly SeriesCut[]): object[] {
  const rules: object[] = [];
  cuts.forEach((cut, index) => {
    const selected = `(?:${names(cut.metrics)})`;
    if (cut.drop !== undefined) {
      rules.push({ source_labels: ["__name__", cut.label], regex: `${selected};(?:${cut.drop})`, action: "drop" });
      return;
    }
    if (!cut.keep || cut.keep.length === 0) throw new Error(`series cut on ${cut.label} of ${names(cut.metrics)} has neither keep nor drop`);
    const mark = `${MARK_PREFIX}${index}`;
    rules.push({ source_labels: ["__name__", cut.label], regex: `${selected};(?:${cut.keep.join("|")})`, target_label: mark, replacement: "1", action: "replace" });
    rules.push({ source_labels: ["__name__", mark], regex: `${selected};`, action: "drop" });
  });
  if (cuts.some((cut) => cut.keep)) rules.push({ regex: `${MARK_PREFIX}.*`, action: "labeldrop" });
  return rules;
}

/**
 * The cuts for a given set of expressions (one account's rules, with its selectors, and the
 * dashboards that read its series) over the metrics it ships: what unreadSeries derives, as
 * cuts on several metrics at once where label and values agree (fewer relabel rules).
 */
export function deriveSeriesCuts(unread: readonly SeriesSelection[], shipped: readonly string[]): SeriesCut[] {
  const kept = new Set(shipped);
  const grouped = new Map<string, SeriesCut & { metrics: string[] }>();
  for (const cut of unread) {
    if (!kept.has(cut.metric)) continue;
    const key = JSON.stringify([cut.label, cut.keep ?? null, cut.drop ?? null]);
    const group = grouped.get(key) ?? { metrics: [], label: cut.label, ...(cut.keep ? { keep: cut.keep } : { drop: cut.drop }) };
    group.metrics.push(cut.metric);
    grouped.set(key, group);
  }
  return [...grouped.values()].map((cut) => ({ ...cut, metrics: [...cut.metrics].sort() }));
}
