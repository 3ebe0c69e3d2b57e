/**
 * Meta-monitoring of the collector: is it there at all, can it scrape its targets, does
 * its remote write keep up, does it drop samples. These rules run in the hub workspace,
 * so they only see what the collector managed to ship: a collector that ships nothing at
 * all is caught by CollectorAbsent / CollectorClusterStoppedReporting, partial trouble
 * (rejected batches, a growing backlog) by the others.
 *
 * Not used on purpose: `prometheus_remote_storage_samples_dropped_total`, which in
 * Prometheus 2.x also counts every sample the allow-list drops by design.
 */
import { alertingRule, RuleGroup, selector } from "./model";
import { RuleSettings } from "./settings";

const CLUSTER = "account, cluster";

export const COLLECTOR_RECORDS = {
  targetsUpRatio: "cluster_job:up:ratio",
  remoteWriteFailedRatio: "cluster:prometheus_remote_storage_samples_failed:ratio_rate5m",
  remoteWriteLag: "cluster:prometheus_remote_storage_lag_seconds:max5m",
} as const;

export function collectorGroups(s: RuleSettings): RuleGroup[] {
  const own = selector(s.selectors.collector);
  const t = s.thresholds;
  const r = COLLECTOR_RECORDS;
  const failedRate = `sum by (${CLUSTER}) (rate(prometheus_remote_storage_samples_failed_total${own}[5m]))`;
  const sentRate = `sum by (${CLUSTER}) (rate(prometheus_remote_storage_samples_total${own}[5m]))`;
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "collector", definition);
  return [
    {
      name: "collector-health",
      concern: "collector",
      interval: s.evaluationInterval,
      rules: [
        { record: r.targetsUpRatio, expr: `avg by (${CLUSTER}, job) (up${selector(s.selectors.scrapeTargets)})` },
        { record: r.remoteWriteFailedRatio, expr: `${failedRate} / (${failedRate} + ${sentRate})` },
        {
          record: r.remoteWriteLag,
          expr:
            `max by (${CLUSTER}) (max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds${own}[5m])` +
            ` - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds${own}[5m]))`,
        },
        alert({
          id: "CollectorAbsent",
          severity: "critical",
          expr: `absent(up${own})`,
          summary: "No collector ships metrics to this workspace",
          description:
            "The workspace has received no `up` series of the collector for 5 minutes: every cluster of this account is unmonitored. Check the collector pods, their IRSA role and the remote-write endpoint.",
        }),
        alert({
          id: "CollectorClusterStoppedReporting",
          severity: "critical",
          expr:
            `group by (${CLUSTER}) (max_over_time(up${own}[${s.collectorSilenceWindow}]))` +
            ` unless on (${CLUSTER}) group by (${CLUSTER}) (up${own})`,
          summary: "The collector of cluster {{ $labels.cluster }} stopped reporting",
          description: `The collector of cluster {{ $labels.cluster }} (account {{ $labels.account }}) reported within the last ${s.collectorSilenceWindow} but not in the last 5 minutes.`,
        }),
        alert({
          id: "CollectorTargetDown",
          severity: "warning",
          expr: `100 * (1 - ${r.targetsUpRatio}) > ${t.targetDownPercent}`,
          summary: "{{ $value | humanize }}% of the {{ $labels.job }} targets in cluster {{ $labels.cluster }} are down",
          description: "The collector in cluster {{ $labels.cluster }} (account {{ $labels.account }}) cannot scrape {{ $value | humanize }}% of the targets of job {{ $labels.job }}.",
        }),
        alert({
          id: "CollectorRemoteWriteFailing",
          severity: "critical",
          expr: `${r.remoteWriteFailedRatio} > ${t.remoteWriteFailedRatio}`,
          summary: "The collector of cluster {{ $labels.cluster }} fails to remote-write samples",
          description: "{{ $value | humanizePercentage }} of the samples the collector of cluster {{ $labels.cluster }} sends to AMP are rejected and lost (look for 400 responses: too many labels, out of order, throttling).",
        }),
        alert({
          id: "CollectorRemoteWriteBehind",
          severity: "warning",
          expr: `${r.remoteWriteLag} > ${t.remoteWriteLagSeconds}`,
          summary: "The collector of cluster {{ $labels.cluster }} is falling behind on remote write",
          description: "The newest sample the collector of cluster {{ $labels.cluster }} has sent is {{ $value | humanizeDuration }} older than the newest it scraped; data arrives late and is lost if the backlog outgrows the WAL.",
        }),
        alert({
          id: "CollectorRemoteWriteDesiredShardsHigh",
          severity: "warning",
          expr:
            `max by (${CLUSTER}) (max_over_time(prometheus_remote_storage_shards_desired${own}[5m]))` +
            ` > max by (${CLUSTER}) (max_over_time(prometheus_remote_storage_shards_max${own}[5m]))`,
          summary: "The collector of cluster {{ $labels.cluster }} needs more remote-write shards than allowed",
          description: "The collector of cluster {{ $labels.cluster }} wants {{ $value }} remote-write shards, more than its max_shards: it will fall behind unless max_shards is raised.",
        }),
        alert({
          id: "CollectorSamplesDropped",
          severity: "warning",
          expr:
            `sum by (${CLUSTER}) (rate(prometheus_target_scrapes_sample_out_of_order_total${own}[5m])` +
            ` + rate(prometheus_target_scrapes_sample_duplicate_timestamp_total${own}[5m])` +
            ` + rate(prometheus_target_scrapes_sample_out_of_bounds_total${own}[5m])) > 0`,
          summary: "The collector of cluster {{ $labels.cluster }} drops scraped samples",
          description: "The collector of cluster {{ $labels.cluster }} drops {{ $value | humanize }} scraped samples per second as out of order, out of bounds or with duplicate timestamps; usually two targets expose the same series.",
        }),
        alert({
          id: "CollectorConfigReloadFailed",
          severity: "warning",
          expr: `max by (${CLUSTER}) (max_over_time(prometheus_config_last_reload_successful${own}[5m])) == 0`,
          summary: "The collector of cluster {{ $labels.cluster }} rejected its configuration",
          description: "The last configuration reload of the collector in cluster {{ $labels.cluster }} failed: it keeps running the previous configuration.",
        }),
      ],
    },
  ];
}
