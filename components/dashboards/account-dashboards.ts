/**
 * The dashboards every workload account gets in its Grafana folder, on that account's AMP
 * data source: cluster overview, nodes, workloads by namespace, collector health.
 *
 * Every selector carries `account` and `cluster` (the collector's external labels), so the
 * same panels also read correctly through the unified data source. Metrics follow
 * kube-state-metrics, node-exporter, cAdvisor and the RED convention
 * (`http_requests_total{service,code}`, `http_request_duration_seconds_bucket`).
 */
import { NOT_PROBE_REQUESTS, RED_QUERY_MIN_STEP } from "../shared/http-requests";
import { grafanaUid } from "../shared/naming";
import {
  constantVariable,
  finish,
  labelValuesVariable,
  newDashboard,
  prometheusRef,
  promStat,
  promTable,
  promTimeseries,
  RenderedDashboard,
  row,
} from "./panels";
import { DataSourceRef } from "./sdk";

export interface AccountDashboardSettings {
  environment: string;
  accountName: string;
  /** uid of the account's AMP (Prometheus) data source in Grafana. */
  prometheusDatasourceUid: string;
  /**
   * The account's collector. An AMP managed scraper exports none of the collector metrics
   * (`prometheus_*`) the collector-health dashboard charts, so it has none. Default prometheus.
   */
  collectorMode?: "prometheus" | "managed-scraper";
}

const CLUSTER = 'account="$account", cluster="$cluster"';
const NAMESPACE = `${CLUSTER}, namespace="$namespace"`;
const REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs|nsfs"';
const PHYSICAL_NICS = 'device!~"lo|veth.*|eni.*|cali.*|docker.*"';
const COMMITMENT_STEPS = [
  { value: 0.8, color: "orange" },
  { value: 1, color: "red" },
];

function accountVariables(ds: DataSourceRef, accountName: string) {
  return [constantVariable("account", accountName), labelValuesVariable(ds, "cluster", "cluster", 'up{account="$account"}')];
}

function clusterOverview(settings: AccountDashboardSettings, ds: DataSourceRef): RenderedDashboard {
  const b = newDashboard(grafanaUid(settings.environment, settings.accountName, "cluster"), `${settings.accountName} / Cluster overview`, ["account", settings.accountName]);
  for (const v of accountVariables(ds, settings.accountName)) b.withVariable(v);
  b.withRow(row("Capacity"))
    .withPanel(
      promStat(ds, "CPU utilisation", "Share of node CPU time not idle.", { expr: `1 - avg(rate(node_cpu_seconds_total{${CLUSTER}, mode="idle"}[$__rate_interval]))` }, {
        unit: "percentunit",
        thresholds: COMMITMENT_STEPS,
      }),
    )
    .withPanel(
      promStat(
        ds,
        "Memory utilisation",
        "Node memory in use (total minus available).",
        { expr: `1 - sum(node_memory_MemAvailable_bytes{${CLUSTER}}) / sum(node_memory_MemTotal_bytes{${CLUSTER}})` },
        { unit: "percentunit", thresholds: COMMITMENT_STEPS },
      ),
    )
    .withPanel(
      promStat(
        ds,
        "CPU requests commitment",
        "CPU requested by pods over allocatable CPU: above 100% some pods cannot be rescheduled after a node loss.",
        { expr: `sum(kube_pod_container_resource_requests{${CLUSTER}, resource="cpu"}) / sum(kube_node_status_allocatable{${CLUSTER}, resource="cpu"})` },
        { unit: "percentunit", thresholds: COMMITMENT_STEPS },
      ),
    )
    .withPanel(
      promStat(
        ds,
        "Memory requests commitment",
        "Memory requested by pods over allocatable memory.",
        { expr: `sum(kube_pod_container_resource_requests{${CLUSTER}, resource="memory"}) / sum(kube_node_status_allocatable{${CLUSTER}, resource="memory"})` },
        { unit: "percentunit", thresholds: COMMITMENT_STEPS },
      ),
    )
    .withPanel(
      promStat(ds, "Ready nodes", "Nodes whose Ready condition is true.", { expr: `sum(kube_node_status_condition{${CLUSTER}, condition="Ready", status="true"})` }, { unit: "none" }),
    )
    .withPanel(promStat(ds, "Running pods", "Pods in phase Running.", { expr: `sum(kube_pod_status_phase{${CLUSTER}, phase="Running"})` }, { unit: "none" }))
    .withRow(row("Usage by namespace"))
    .withPanel(
      promTimeseries(
        ds,
        "CPU by namespace",
        "CPU cores used by containers, per namespace.",
        [{ expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{${CLUSTER}, container!=""}[$__rate_interval]))`, legend: "{{namespace}}" }],
        { unit: "short", stacked: true, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Memory by namespace",
        "Working-set memory of containers, per namespace.",
        [{ expr: `sum by (namespace) (container_memory_working_set_bytes{${CLUSTER}, container!=""})`, legend: "{{namespace}}" }],
        { unit: "bytes", stacked: true, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Container restarts (1h) by namespace",
        "Restarts over the past hour; a steady climb is a crash loop.",
        [{ expr: `sum by (namespace) (increase(kube_pod_container_status_restarts_total{${CLUSTER}}[1h]))`, legend: "{{namespace}}" }],
        { unit: "short", min: 0 },
      ),
    )
    .withPanel(
      promTable(
        ds,
        "Pods not running",
        "Pods stuck in Pending, Failed or Unknown, by namespace.",
        [{ expr: `sum by (namespace, phase) (kube_pod_status_phase{${CLUSTER}, phase=~"Pending|Failed|Unknown"}) > 0` }],
        {},
      ),
    );
  return finish(b);
}

function nodes(settings: AccountDashboardSettings, ds: DataSourceRef): RenderedDashboard {
  const b = newDashboard(grafanaUid(settings.environment, settings.accountName, "nodes"), `${settings.accountName} / Nodes`, ["account", settings.accountName]);
  for (const v of accountVariables(ds, settings.accountName)) b.withVariable(v);
  b.withRow(row("Nodes"))
    .withPanel(promStat(ds, "Nodes", "Nodes known to the cluster.", { expr: `count(kube_node_info{${CLUSTER}})` }, { unit: "none" }))
    .withPanel(
      promStat(
        ds,
        "Nodes under pressure",
        "Nodes with a Memory, Disk or PID pressure condition, or network unavailable.",
        { expr: `count(kube_node_status_condition{${CLUSTER}, condition!="Ready", status="true"} == 1) or vector(0)` },
        { unit: "none", thresholds: [{ value: 1, color: "red" }] },
      ),
    )
    .withPanel(
      promTimeseries(ds, "Pods per node", "Pods scheduled on each node.", [{ expr: `count by (node) (kube_pod_info{${CLUSTER}})`, legend: "{{node}}" }], {
        unit: "short",
        width: 16,
        height: 4,
        min: 0,
      }),
    )
    .withRow(row("Resources"))
    .withPanel(
      promTimeseries(
        ds,
        "CPU utilisation by node",
        "Share of CPU time not idle, per node.",
        [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${CLUSTER}, mode="idle"}[$__rate_interval]))`, legend: "{{instance}}" }],
        { unit: "percentunit", min: 0, max: 1 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Memory utilisation by node",
        "Memory in use (total minus available), per node.",
        [{ expr: `1 - node_memory_MemAvailable_bytes{${CLUSTER}} / node_memory_MemTotal_bytes{${CLUSTER}}`, legend: "{{instance}}" }],
        { unit: "percentunit", min: 0, max: 1 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Disk usage by node and mount",
        "Used share of each real filesystem.",
        [
          {
            expr: `1 - node_filesystem_avail_bytes{${CLUSTER}, ${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${CLUSTER}, ${REAL_FILESYSTEMS}}`,
            legend: "{{instance}} {{mountpoint}}",
          },
        ],
        { unit: "percentunit", min: 0, max: 1 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Network traffic by node",
        "Bytes per second on physical interfaces (received up, transmitted down).",
        [
          { expr: `sum by (instance) (rate(node_network_receive_bytes_total{${CLUSTER}, ${PHYSICAL_NICS}}[$__rate_interval]))`, legend: "{{instance}} received" },
          { expr: `-sum by (instance) (rate(node_network_transmit_bytes_total{${CLUSTER}, ${PHYSICAL_NICS}}[$__rate_interval]))`, legend: "{{instance}} transmitted" },
        ],
        { unit: "Bps" },
      ),
    );
  return finish(b);
}

function workloads(settings: AccountDashboardSettings, ds: DataSourceRef): RenderedDashboard {
  const b = newDashboard(grafanaUid(settings.environment, settings.accountName, "workloads"), `${settings.accountName} / Workloads by namespace`, [
    "account",
    settings.accountName,
  ]);
  for (const v of accountVariables(ds, settings.accountName)) b.withVariable(v);
  b.withVariable(labelValuesVariable(ds, "namespace", "namespace", `kube_pod_info{${CLUSTER}}`));
  b.withRow(row("Compute"))
    .withPanel(
      promTimeseries(
        ds,
        "CPU by pod",
        "CPU cores used per pod.",
        [{ expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${NAMESPACE}, container!=""}[$__rate_interval]))`, legend: "{{pod}}" }],
        { unit: "short", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "CPU: used, requested, limit",
        "Namespace totals: usage against what pods reserve and may burst to.",
        [
          { expr: `sum(rate(container_cpu_usage_seconds_total{${NAMESPACE}, container!=""}[$__rate_interval]))`, legend: "used" },
          { expr: `sum(kube_pod_container_resource_requests{${NAMESPACE}, resource="cpu"})`, legend: "requested" },
          { expr: `sum(kube_pod_container_resource_limits{${NAMESPACE}, resource="cpu"})`, legend: "limit" },
        ],
        { unit: "short", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Memory by pod",
        "Working-set memory per pod (what the OOM killer looks at).",
        [{ expr: `sum by (pod) (container_memory_working_set_bytes{${NAMESPACE}, container!=""})`, legend: "{{pod}}" }],
        { unit: "bytes", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Memory: used, requested, limit",
        "Namespace totals.",
        [
          { expr: `sum(container_memory_working_set_bytes{${NAMESPACE}, container!=""})`, legend: "used" },
          { expr: `sum(kube_pod_container_resource_requests{${NAMESPACE}, resource="memory"})`, legend: "requested" },
          { expr: `sum(kube_pod_container_resource_limits{${NAMESPACE}, resource="memory"})`, legend: "limit" },
        ],
        { unit: "bytes", min: 0 },
      ),
    )
    .withRow(row("Health"))
    .withPanel(
      promTable(
        ds,
        "Deployments: desired and available replicas",
        "A deployment with fewer available than desired replicas is degraded.",
        [
          { expr: `sum by (deployment) (kube_deployment_spec_replicas{${NAMESPACE}})`, legend: "desired" },
          { expr: `sum by (deployment) (kube_deployment_status_replicas_available{${NAMESPACE}})`, legend: "available" },
        ],
        {},
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Container restarts (1h) by pod",
        "Restarts over the past hour.",
        [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${NAMESPACE}}[1h]))`, legend: "{{pod}}" }],
        { unit: "short", min: 0 },
      ),
    )
    .withRow(row("Services (rate, errors, duration)"))
    .withPanel(
      promTimeseries(
        ds,
        "Request rate by service",
        "HTTP requests per second.",
        [{ expr: `sum by (service) (rate(http_requests_total{${NAMESPACE}, ${NOT_PROBE_REQUESTS}}[$__rate_interval]))`, legend: "{{service}}", minStep: RED_QUERY_MIN_STEP }],
        { unit: "reqps", width: 8, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Error ratio by service",
        "Share of requests answered with a 5xx code.",
        [
          {
            expr:
              `sum by (service) (rate(http_requests_total{${NAMESPACE}, ${NOT_PROBE_REQUESTS}, code=~"5.."}[$__rate_interval]))` +
              ` / sum by (service) (rate(http_requests_total{${NAMESPACE}, ${NOT_PROBE_REQUESTS}}[$__rate_interval]))`,
            legend: "{{service}}",
            minStep: RED_QUERY_MIN_STEP,
          },
        ],
        { unit: "percentunit", width: 8, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "p99 latency by service",
        "99th percentile of request duration.",
        [{ expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{${NAMESPACE}, ${NOT_PROBE_REQUESTS}}[$__rate_interval])))`, legend: "{{service}}", minStep: RED_QUERY_MIN_STEP }],
        { unit: "s", width: 8, min: 0 },
      ),
    );
  return finish(b);
}

function collectorHealth(settings: AccountDashboardSettings, ds: DataSourceRef): RenderedDashboard {
  const b = newDashboard(grafanaUid(settings.environment, settings.accountName, "collector"), `${settings.accountName} / Collector health`, [
    "account",
    settings.accountName,
    "collector",
  ]);
  for (const v of accountVariables(ds, settings.accountName)) b.withVariable(v);
  b.withRow(row("Scraping"))
    .withPanel(
      promStat(ds, "Targets up", "Share of scrape targets whose last scrape succeeded.", { expr: `avg(up{${CLUSTER}})` }, {
        unit: "percentunit",
        thresholds: [
          { value: 0, color: "red" },
          { value: 0.95, color: "orange" },
          { value: 1, color: "green" },
        ],
      }),
    )
    .withPanel(promTable(ds, "Targets down", "Scrape targets whose last scrape failed.", [{ expr: `up{${CLUSTER}} == 0` }], { width: 20, height: 4 }))
    .withPanel(
      promTimeseries(ds, "Scrape success by job", "Share of targets up, per scrape job.", [{ expr: `avg by (job) (up{${CLUSTER}})`, legend: "{{job}}" }], {
        unit: "percentunit",
        min: 0,
        max: 1,
      }),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Samples scraped and kept",
        "Samples per scrape before and after metric relabelling: the gap is what the allow-list drops at the edge.",
        [
          { expr: `sum(scrape_samples_scraped{${CLUSTER}})`, legend: "scraped" },
          { expr: `sum(scrape_samples_post_metric_relabeling{${CLUSTER}})`, legend: "kept" },
        ],
        { unit: "short", min: 0 },
      ),
    )
    .withRow(row("Remote write to AMP"))
    .withPanel(
      promTimeseries(
        ds,
        "Remote-write throughput",
        "Samples per second sent to the account's AMP workspace.",
        [{ expr: `sum(rate(prometheus_remote_storage_samples_total{${CLUSTER}}[$__rate_interval]))`, legend: "sent" }],
        { unit: "short", width: 8, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Pending samples",
        "Samples waiting in the remote-write queue.",
        [{ expr: `sum(prometheus_remote_storage_samples_pending{${CLUSTER}})`, legend: "pending" }],
        { unit: "short", width: 8, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Failed and dropped samples",
        "Samples per second AMP refused (failed) or the queue discarded (dropped): either is data lost.",
        [
          { expr: `sum(rate(prometheus_remote_storage_samples_failed_total{${CLUSTER}}[$__rate_interval]))`, legend: "failed" },
          { expr: `sum(rate(prometheus_remote_storage_samples_dropped_total{${CLUSTER}}[$__rate_interval]))`, legend: "dropped" },
        ],
        { unit: "short", width: 8, min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Remote-write lag",
        "Newest sample appended minus newest sample sent.",
        [
          {
            expr: `max(prometheus_remote_storage_highest_timestamp_in_seconds{${CLUSTER}}) - max(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${CLUSTER}})`,
            legend: "lag",
          },
        ],
        { unit: "s", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Remote-write shards",
        "Shards running, wanted and allowed: desired above max means the queue cannot keep up.",
        [
          { expr: `max(prometheus_remote_storage_shards{${CLUSTER}})`, legend: "running" },
          { expr: `max(prometheus_remote_storage_shards_desired{${CLUSTER}})`, legend: "desired" },
          { expr: `max(prometheus_remote_storage_shards_max{${CLUSTER}})`, legend: "max" },
        ],
        { unit: "short", min: 0 },
      ),
    );
  return finish(b);
}

/** The four dashboards of one workload account. */
export function renderAccountDashboards(settings: AccountDashboardSettings): RenderedDashboard[] {
  if (settings.accountName.trim() === "") throw new Error("account dashboards: accountName is empty");
  if (settings.prometheusDatasourceUid.trim() === "") throw new Error(`account dashboards of ${settings.accountName}: prometheusDatasourceUid is empty`);
  const ds = prometheusRef(settings.prometheusDatasourceUid);
  const scraped = [clusterOverview(settings, ds), nodes(settings, ds), workloads(settings, ds)];
  return settings.collectorMode === "managed-scraper" ? scraped : [...scraped, collectorHealth(settings, ds)];
}
