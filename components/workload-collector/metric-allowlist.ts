/**
 * The one list of metric names the collector ships to AMP (a `keep` write_relabel rule).
 * Everything else is scraped and dropped at the edge, which is the main lever on AMP cost.
 * Each section names who needs the metrics; tests parse every rule and dashboard
 * expression and check that this list keeps all they use and nothing more.
 *
 * Built by a function, called where the list is used, so nothing computes it while files load:
 * what a test checks is built while it runs, and mutation testing tries each edit of the list
 * inside the running tests instead of in a fresh process each.
 */
export function collectorMetricAllowlist(): readonly string[] {
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
  const forRules: string[] = [
    "container_cpu_cfs_periods_total",
    "container_cpu_cfs_throttled_periods_total",
    "container_memory_working_set_bytes",
    "http_request_duration_seconds_bucket",
    "http_requests_total",
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_job_failed",
    "kube_node_status_allocatable",
    "kube_node_status_condition",
    "kube_persistentvolume_status_phase",
    "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests",
    "kube_pod_container_status_last_terminated_reason",
    "kube_pod_container_status_restarts_total",
    "kube_pod_container_status_waiting_reason",
    "kube_pod_owner",
    "kube_pod_status_phase",
    "kubelet_volume_stats_available_bytes",
    "kubelet_volume_stats_capacity_bytes",
    "node_cpu_seconds_total",
    "node_filesystem_avail_bytes",
    "node_filesystem_readonly",
    "node_filesystem_size_bytes",
    "node_memory_MemAvailable_bytes",
    "node_memory_MemTotal_bytes",
    "prometheus_config_last_reload_successful",
    "prometheus_remote_storage_highest_timestamp_in_seconds",
    "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
    "prometheus_remote_storage_samples_failed_total",
    "prometheus_remote_storage_samples_total",
    "prometheus_remote_storage_shards_desired",
    "prometheus_remote_storage_shards_max",
    "prometheus_target_scrapes_sample_duplicate_timestamp_total",
    "prometheus_target_scrapes_sample_out_of_bounds_total",
    "prometheus_target_scrapes_sample_out_of_order_total",
    "up",
  ];

  /** Needed by the dashboards (components/dashboards). */
  const forDashboards: string[] = [
    "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes",
    "http_request_duration_seconds_bucket",
    "http_requests_total",
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_node_info",
    "kube_node_status_allocatable",
    "kube_node_status_condition",
    "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests",
    "kube_pod_container_status_restarts_total",
    "kube_pod_info",
    "kube_pod_status_phase",
    "node_cpu_seconds_total",
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_memory_MemAvailable_bytes",
    "node_memory_MemTotal_bytes",
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "prometheus_remote_storage_highest_timestamp_in_seconds",
    "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
    "prometheus_remote_storage_samples_dropped_total",
    "prometheus_remote_storage_samples_failed_total",
    "prometheus_remote_storage_samples_pending",
    "prometheus_remote_storage_samples_total",
    "prometheus_remote_storage_shards",
    "prometheus_remote_storage_shards_desired",
    "prometheus_remote_storage_shards_max",
    "scrape_samples_post_metric_relabeling",
    "scrape_samples_scraped",
    "up",
  ];

  /** Documented extension point: names users add for their own dashboards and rules. */
  const userExtensions: string[] = [];

  return Object.freeze([...new Set([...collectorHealth, ...forRules, ...forDashboards, ...userExtensions])].sort());
}
