/**
 * The metric names the shipped rules and dashboards read, and why a name may legitimately
 * be absent on a machine without Kubernetes.
 */
import { existsSync } from "fs";
import { join } from "path";
import { allRuleExpressions, recordingRules } from "../components/alert-pipeline/rules";
import { metricNamesInAll } from "../components/promql";

export interface UsedMetrics {
  /** Names read by rule expressions, minus the series the recording rules produce in AMP. */
  rules: string[];
  dashboards: string[];
  /** How dashboard expressions were found, or why there were none. */
  dashboardSource: string;
}

/** Dashboards are optional in a checkout: an index exporting a `...Expressions()` function is used when present. */
function dashboardExpressions(): { expressions: string[]; source: string } {
  const dir = join(__dirname, "..", "components", "dashboards");
  if (!existsSync(join(dir, "index.ts")) && !existsSync(join(dir, "index.js"))) {
    return { expressions: [], source: "components/dashboards has no index: no dashboard expressions to check" };
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const module = require(dir) as Record<string, unknown>;
  const exporter = Object.entries(module).find(([name, value]) => /Expressions$/.test(name) && typeof value === "function");
  if (!exporter) return { expressions: [], source: "components/dashboards exports no ...Expressions() function" };
  const expressions = (exporter[1] as () => unknown)();
  if (!Array.isArray(expressions) || expressions.some((e) => typeof e !== "string")) {
    throw new Error(`components/dashboards ${exporter[0]}() must return PromQL strings`);
  }
  return { expressions: expressions as string[], source: `components/dashboards ${exporter[0]}()` };
}

export function usedMetricNames(): UsedMetrics {
  const recorded = new Set(recordingRules().map((rule) => rule.record));
  const rules = metricNamesInAll(allRuleExpressions()).filter((name) => !recorded.has(name));
  const dashboards = dashboardExpressions();
  const dashboardNames = metricNamesInAll(dashboards.expressions).filter((name) => !recorded.has(name));
  return { rules: [...new Set(rules)].sort(), dashboards: [...new Set(dashboardNames)].sort(), dashboardSource: dashboards.source };
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
