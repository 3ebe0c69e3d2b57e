/**
 * Hub-level dashboards: the cross-account overview on the unified (Promxy) data source,
 * where every series carries the `account` label, and AMP usage against quota, read from
 * the hub's CloudWatch (AMP publishes usage in `AWS/Usage`: metric `ResourceCount` with
 * dimensions Service=Prometheus, Type=Resource, Class=None, Resource=<ActiveSeries |
 * IngestionRate>, ResourceId=<workspace id>).
 */
import { NOT_PROBE_REQUESTS, RED_QUERY_MIN_STEP } from "../shared/http-requests";
import { grafanaUid } from "../shared/naming";
import {
  cloudwatchRef,
  cloudwatchTimeseries,
  finish,
  labelValuesVariable,
  newDashboard,
  prometheusRef,
  promBarGauge,
  promStat,
  promTable,
  promTimeseries,
  RenderedDashboard,
  row,
} from "./panels";
import { DataSourceRef } from "./sdk";

export interface AmpQuotaLimits {
  /** Active series per workspace (check the live value in Service Quotas). */
  activeSeries: number;
  /** Ingested samples per second per workspace. */
  ingestionSamplesPerSecond: number;
}

export const DEFAULT_AMP_QUOTAS: AmpQuotaLimits = { activeSeries: 10_000_000, ingestionSamplesPerSecond: 170_000 };

export interface CrossAccountDashboardSettings {
  environment: string;
  /** uid of the "All accounts" data source (Promxy). */
  unifiedDatasourceUid: string;
  /** uid of the hub account's CloudWatch data source (AMP usage metrics live there). */
  hubCloudwatchDatasourceUid: string;
  workspaces: Array<{ accountName: string; workspaceId: string }>;
  quotas?: AmpQuotaLimits;
}

const SELECTED = 'account=~"$account", cluster=~"$cluster"';

/**
 * The cross-account overview alone, on any data source where every series carries `account`:
 * Promxy over the workspaces, or the self-hosted hub's "All accounts" data source.
 */
export function renderCrossAccountOverview(environment: string, unifiedDatasourceUid: string): RenderedDashboard {
  return crossAccountOverview(environment, prometheusRef(unifiedDatasourceUid));
}

function crossAccountOverview(environment: string, ds: DataSourceRef): RenderedDashboard {
  const b = newDashboard(grafanaUid(environment, "all-accounts"), "All accounts / Overview", ["cross-account"])
    .withVariable(labelValuesVariable(ds, "account", "account", "up", { multi: true, includeAll: true }))
    .withVariable(labelValuesVariable(ds, "cluster", "cluster", 'up{account=~"$account"}', { multi: true, includeAll: true }));
  b.withRow(row("Alerts"))
    .withPanel(
      promBarGauge(
        ds,
        "Firing alerts by account and severity",
        "Alerts firing now in each account's workspace (the ALERTS series AMP's ruler writes).",
        { expr: 'count by (account, severity) (ALERTS{alertstate="firing", account=~"$account"})', legend: "{{account}} {{severity}}" },
        { unit: "none", width: 10 },
      ),
    )
    .withPanel(
      promTable(
        ds,
        "Firing alerts",
        "Which alerts fire where.",
        [{ expr: 'count by (account, severity, alertname) (ALERTS{alertstate="firing", account=~"$account"})' }],
        { width: 14 },
      ),
    )
    .withRow(row("Capacity"))
    .withPanel(
      promStat(ds, "Accounts reporting", "Accounts with at least one scrape target.", { expr: 'count(count by (account) (up{account=~"$account"}))' }, { unit: "none" }),
    )
    .withPanel(
      promStat(ds, "Clusters reporting", "Clusters with at least one scrape target.", { expr: `count(count by (account, cluster) (up{${SELECTED}}))` }, { unit: "none" }),
    )
    .withPanel(
      promStat(ds, "Targets up", "Share of scrape targets up, all selected accounts.", { expr: `avg(up{${SELECTED}})` }, {
        unit: "percentunit",
        thresholds: [
          { value: 0, color: "red" },
          { value: 0.95, color: "orange" },
          { value: 1, color: "green" },
        ],
      }),
    )
    .withPanel(
      promTimeseries(
        ds,
        "CPU by account and cluster",
        "CPU cores used by containers.",
        [{ expr: `sum by (account, cluster) (rate(container_cpu_usage_seconds_total{${SELECTED}, container!=""}[$__rate_interval]))`, legend: "{{account}} / {{cluster}}" }],
        { unit: "short", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Memory by account and cluster",
        "Working-set memory of containers.",
        [{ expr: `sum by (account, cluster) (container_memory_working_set_bytes{${SELECTED}, container!=""})`, legend: "{{account}} / {{cluster}}" }],
        { unit: "bytes", min: 0 },
      ),
    )
    .withRow(row("Services across accounts"))
    .withPanel(
      promTimeseries(
        ds,
        "Request rate by service",
        "HTTP requests per second, per account and service.",
        [{ expr: `sum by (account, service) (rate(http_requests_total{${SELECTED}, ${NOT_PROBE_REQUESTS}}[$__rate_interval]))`, legend: "{{account}} / {{service}}", minStep: RED_QUERY_MIN_STEP }],
        { unit: "reqps", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Error ratio by service",
        "Share of requests answered with a 5xx code, per account and service.",
        [
          {
            expr:
              `sum by (account, service) (rate(http_requests_total{${SELECTED}, ${NOT_PROBE_REQUESTS}, code=~"5.."}[$__rate_interval]))` +
              ` / sum by (account, service) (rate(http_requests_total{${SELECTED}, ${NOT_PROBE_REQUESTS}}[$__rate_interval]))`,
            legend: "{{account}} / {{service}}",
            minStep: RED_QUERY_MIN_STEP,
          },
        ],
        { unit: "percentunit", min: 0 },
      ),
    )
    .withRow(row("Collectors"))
    .withPanel(
      promTimeseries(
        ds,
        "Remote-write throughput by account",
        "Samples per second each account ships to the hub: the main driver of cost.",
        [{ expr: `sum by (account) (rate(prometheus_remote_storage_samples_total{${SELECTED}}[$__rate_interval]))`, legend: "{{account}}" }],
        { unit: "short", min: 0 },
      ),
    )
    .withPanel(
      promTimeseries(
        ds,
        "Failed samples by account",
        "Samples per second the hub refused.",
        [{ expr: `sum by (account) (rate(prometheus_remote_storage_samples_failed_total{${SELECTED}}[$__rate_interval]))`, legend: "{{account}}" }],
        { unit: "short", min: 0 },
      ),
    );
  return finish(b);
}

function ampUsage(settings: CrossAccountDashboardSettings, ds: DataSourceRef): RenderedDashboard {
  const quotas = settings.quotas ?? DEFAULT_AMP_QUOTAS;
  const usage = (resource: "ActiveSeries" | "IngestionRate") =>
    [...settings.workspaces]
      .sort((a, b) => a.accountName.localeCompare(b.accountName))
      .map((ws) => ({
        namespace: "AWS/Usage",
        metricName: "ResourceCount",
        dimensions: { Service: "Prometheus", Type: "Resource", Class: "None", Resource: resource, ResourceId: ws.workspaceId },
        statistic: "Maximum",
        label: ws.accountName,
      }));
  const b = newDashboard(grafanaUid(settings.environment, "amp-usage"), "All accounts / AMP usage against quota", ["cross-account", "amp", "cost"]);
  b.withRow(row("Per workspace (one per account)"))
    .withPanel(
      cloudwatchTimeseries(
        ds,
        "Active series",
        `Active series per workspace; the dashed line is the quota (${quotas.activeSeries.toLocaleString("en-US")}).`,
        usage("ActiveSeries"),
        { unit: "short", limit: quotas.activeSeries, min: 0, width: 24 },
      ),
    )
    .withPanel(
      cloudwatchTimeseries(
        ds,
        "Ingestion rate",
        `Samples per second per workspace; the dashed line is the quota (${quotas.ingestionSamplesPerSecond.toLocaleString("en-US")}/s).`,
        usage("IngestionRate"),
        { unit: "short", limit: quotas.ingestionSamplesPerSecond, min: 0, width: 24 },
      ),
    );
  return finish(b);
}

/** The hub's cross-account overview and AMP usage dashboards. */
export function renderCrossAccountDashboards(settings: CrossAccountDashboardSettings): RenderedDashboard[] {
  if (settings.workspaces.length === 0) throw new Error("cross-account dashboards: no workspaces");
  const ids = new Set(settings.workspaces.map((w) => w.workspaceId));
  if (ids.size !== settings.workspaces.length) throw new Error("cross-account dashboards: a workspace id is listed twice");
  return [crossAccountOverview(settings.environment, prometheusRef(settings.unifiedDatasourceUid)), ampUsage(settings, cloudwatchRef(settings.hubCloudwatchDatasourceUid))];
}
