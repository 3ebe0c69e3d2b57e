/**
 * Small panel and variable helpers over the Foundation SDK builders, so each dashboard file
 * reads as a list of questions (title, PromQL, unit) rather than builder plumbing.
 */
import { cloudwatch, common, dashboard, Dashboard, DataSourceRef, prometheus, stat, table, timeseries, bargauge } from "./sdk";

export interface RenderedDashboard {
  uid: string;
  title: string;
  /** The dashboard model, exactly as sent to Grafana (`configJson`). */
  json: string;
}

export interface PromTarget {
  expr: string;
  legend?: string;
  /** Grafana's "Min step" (`interval`): also the scrape interval `$__rate_interval` assumes. */
  minStep?: string;
}

export interface Size {
  width?: number;
  height?: number;
}

export function prometheusRef(uid: string): DataSourceRef {
  return { type: "prometheus", uid };
}

export function cloudwatchRef(uid: string): DataSourceRef {
  return { type: "cloudwatch", uid };
}

function promQuery(ds: DataSourceRef, target: PromTarget, instant: boolean) {
  const query = new prometheus.DataqueryBuilder().datasource(ds).expr(target.expr).legendFormat(target.legend ?? "__auto");
  if (target.minStep !== undefined) query.interval(target.minStep);
  return instant ? query.instant().format(prometheus.PromQueryFormat.Table) : query.range();
}

function thresholdSteps(thresholds: Array<{ value: number; color: string }>) {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: "green" }, ...thresholds]);
}

export interface TimeseriesOptions extends Size {
  unit: string;
  min?: number;
  max?: number;
  stacked?: boolean;
  /** Dashed red line at this value (a quota or a limit). */
  limit?: number;
}

export function promTimeseries(ds: DataSourceRef, title: string, description: string, targets: PromTarget[], options: TimeseriesOptions) {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(ds)
    .unit(options.unit)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .fillOpacity(options.stacked ? 40 : 10)
    .lineWidth(1);
  for (const target of targets) panel.withTarget(promQuery(ds, target, false));
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.limit !== undefined) {
    panel.thresholds(thresholdSteps([{ value: options.limit, color: "red" }]));
    panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

export interface StatOptions extends Size {
  unit: string;
  /** Colour steps above green, e.g. [{ value: 0.8, color: "orange" }, { value: 0.9, color: "red" }]. */
  thresholds?: Array<{ value: number; color: string }>;
}

export function promStat(ds: DataSourceRef, title: string, description: string, target: PromTarget, options: StatOptions) {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(ds)
    .unit(options.unit)
    .span(options.width ?? 4)
    .height(options.height ?? 4)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .thresholds(thresholdSteps(options.thresholds ?? []))
    .withTarget(promQuery(ds, target, false));
}

export function promTable(ds: DataSourceRef, title: string, description: string, targets: PromTarget[], options: Size & { unit?: string }) {
  const panel = new table.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(ds)
    .span(options.width ?? 12)
    .height(options.height ?? 8);
  if (options.unit) panel.unit(options.unit);
  for (const target of targets) panel.withTarget(promQuery(ds, target, true));
  return panel;
}

export function promBarGauge(ds: DataSourceRef, title: string, description: string, target: PromTarget, options: Size & { unit: string }) {
  return new bargauge.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(ds)
    .unit(options.unit)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .withTarget(promQuery(ds, target, true));
}

export interface CloudWatchTarget {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  label: string;
}

export function cloudwatchTimeseries(ds: DataSourceRef, title: string, description: string, targets: CloudWatchTarget[], options: TimeseriesOptions) {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(ds)
    .unit(options.unit)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .fillOpacity(10);
  for (const target of targets) {
    panel.withTarget(
      new cloudwatch.CloudWatchMetricsQueryBuilder()
        .datasource(ds)
        .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
        .metricQueryType(cloudwatch.MetricQueryType.Search)
        .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
        .region("default")
        .namespace(target.namespace)
        .metricName(target.metricName)
        .dimensions(target.dimensions)
        .matchExact(true)
        .statistic(target.statistic)
        .period("")
        .label(target.label),
    );
  }
  if (options.limit !== undefined) {
    panel.thresholds(thresholdSteps([{ value: options.limit, color: "red" }]));
    panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  if (options.min !== undefined) panel.min(options.min);
  return panel;
}

/** Hidden constant: lets titles and links name the account without a query. */
export function constantVariable(name: string, value: string) {
  return new dashboard.ConstantVariableBuilder(name).value(value);
}

/** A query variable over `label_values(<selector>, <label>)`, refreshed with the time range. */
export function labelValuesVariable(ds: DataSourceRef, name: string, label: string, selector: string, options: { multi?: boolean; includeAll?: boolean } = {}) {
  const variable = new dashboard.QueryVariableBuilder(name)
    .label(name)
    .datasource(ds)
    .query(`label_values(${selector}, ${label})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(options.multi ?? false)
    .includeAll(options.includeAll ?? false);
  if (options.includeAll) variable.allValue(".*");
  return variable;
}

export function row(title: string) {
  return new dashboard.RowBuilder(title);
}

export function newDashboard(uid: string, title: string, tags: string[]) {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags(["observability", ...tags])
    .editable()
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
}

/** A, B, ... Z, AA, AB, ...: a panel may hold one query per workspace. */
function refId(index: number): string {
  let id = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) id = String.fromCharCode(65 + ((n - 1) % 26)) + id;
  return id;
}

/**
 * Builds the dashboard and gives every panel a stable id and every query a refId (A, B, ...):
 * Grafana would otherwise assign them on load and the saved model would drift from the code.
 */
export function finish(builder: { build(): Dashboard }): RenderedDashboard {
  const model = builder.build();
  if (!model.uid || model.uid.length > 40) throw new Error(`dashboard "${model.title}" needs a uid of at most 40 characters, got "${model.uid}"`);
  let nextId = 1;
  for (const panel of (model.panels ?? []) as Array<{ id?: number; targets?: Array<{ refId?: string }> }>) {
    panel.id = nextId++;
    (panel.targets ?? []).forEach((target, i) => {
      target.refId = refId(i);
    });
  }
  return { uid: model.uid, title: model.title ?? "", json: JSON.stringify(model) };
}
