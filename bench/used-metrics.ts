/**
 * The metric names the shipped rules and dashboards read, and why a name may legitimately
 * be absent on a machine without Kubernetes.
 */
import { allRuleExpressions, recordingRules, resolveRuleSettings } from "../components/alert-pipeline/rules";
import { WORKSPACE_GENERATED_METRICS, prometheusExpressions, renderAccountDashboards, renderCrossAccountDashboards } from "../components/dashboards";
import { metricNamesInAll } from "../components/promql";

export interface UsedMetrics {
  /** Names read by rule expressions, minus the series the recording rules produce in AMP. */
  rules: string[];
  /** Names read by dashboard panels and variables, minus series AMP itself generates (ALERTS). */
  dashboards: string[];
  dashboardExpressions: number;
}

export type CollectorMode = "prometheus" | "managed-scraper";

/** Every dashboard the hub deploys, rendered for one sample account with this collector. */
function dashboardExpressions(collectorMode: CollectorMode): string[] {
  const dashboards = [
    ...renderAccountDashboards({ environment: "bench", accountName: "bench", prometheusDatasourceUid: "bench-amp", collectorMode }),
    ...renderCrossAccountDashboards({
      environment: "bench",
      unifiedDatasourceUid: "all-accounts-bench",
      hubCloudwatchDatasourceUid: "bench-hub-cloudwatch",
      workspaces: [{ accountName: "bench", workspaceId: "ws-11111111-1111-4111-8111-111111111111" }],
    }),
  ];
  return dashboards.flatMap(prometheusExpressions).map((e) => e.expr);
}

/**
 * What an account's workspace reads with this collector: a managed-scraper account gets no
 * collector-health rule group (stacks/hub.ts) and no collector dashboard.
 */
export function usedMetricNames(collectorMode: CollectorMode = "prometheus"): UsedMetrics {
  const notShipped = new Set([...recordingRules().map((rule) => rule.record), ...WORKSPACE_GENERATED_METRICS]);
  const settings = resolveRuleSettings(collectorMode === "managed-scraper" ? { disabledGroups: ["collector-health"] } : {});
  const rules = metricNamesInAll(allRuleExpressions(settings)).filter((name) => !notShipped.has(name));
  const expressions = dashboardExpressions(collectorMode);
  const dashboards = metricNamesInAll(expressions).filter((name) => !notShipped.has(name));
  return { rules: [...new Set(rules)].sort(), dashboards: [...new Set(dashboards)].sort(), dashboardExpressions: expressions.length };
}

/** Which exporter a name comes from, for names the loopback targets cannot produce. */
export function expectedSource(name: string): string {
  if (name.startsWith("kube_")) return "kube-state-metrics (needs Kubernetes)";
  if (name.startsWith("container_")) return "cAdvisor in the kubelet (needs Kubernetes)";
  if (name.startsWith("kubelet_")) return "kubelet (needs Kubernetes)";
  if (name.startsWith("http_")) return "instrumented application services";
  if (name.startsWith("node_")) return "node-exporter";
  if (name.startsWith("prometheus_")) return "the collector's own Prometheus";
  return "scrape health (every target)";
}
