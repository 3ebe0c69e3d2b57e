/**
 * Every PromQL expression a rendered dashboard sends to Prometheus: panel queries and
 * template-variable queries (`label_values(<selector>, <label>)`, `query_result(<expr>)`).
 * The metric allow-list test reads dashboards through this, so a metric added to a panel
 * or a variable without reaching the allow-list fails the tests.
 */
import { RenderedDashboard } from "./panels";

/**
 * Series that AMP computes inside the workspace (its ruler writes ALERTS for every alerting
 * rule) rather than series the collector ships: never on the collector's allow-list.
 */
export const WORKSPACE_GENERATED_METRICS: readonly string[] = ["ALERTS", "ALERTS_FOR_STATE"];

interface Target {
  expr?: string;
  /** Grafana's "Min step". */
  interval?: string;
  datasource?: { type?: string };
}
interface Panel {
  title?: string;
  datasource?: { type?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query?: string };
  datasource?: { type?: string };
}

export interface DashboardExpression {
  dashboardUid: string;
  /** Panel title, or `$name` for a template variable. */
  source: string;
  expr: string;
  /** The query's min step, when its panel sets one (what `$__rate_interval` takes as the scrape interval). */
  minStep?: string;
}

function variableExpression(dashboardUid: string, variable: Variable): string | undefined {
  const query = typeof variable.query === "string" ? variable.query : variable.query?.query ?? "";
  const labelValues = /^label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/s.exec(query.trim());
  if (labelValues) return labelValues[1];
  if (/^label_values\(\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/.test(query.trim())) return undefined;
  const queryResult = /^query_result\((.*)\)$/s.exec(query.trim());
  if (queryResult) return queryResult[1];
  throw new Error(`dashboard ${dashboardUid}: variable $${variable.name} has a query "${query}" whose metrics cannot be read`);
}

export function prometheusExpressions(dashboard: RenderedDashboard): DashboardExpression[] {
  const model = JSON.parse(dashboard.json) as { panels?: Panel[]; templating?: { list?: Variable[] } };
  const found: DashboardExpression[] = [];
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const type = target.datasource?.type ?? panel.datasource?.type;
        if (type === "prometheus" && target.expr !== undefined) {
          found.push({ dashboardUid: dashboard.uid, source: panel.title ?? "", expr: target.expr, ...(target.interval ? { minStep: target.interval } : {}) });
        }
      }
      visit(panel.panels ?? []);
    }
  };
  visit(model.panels ?? []);
  for (const variable of model.templating?.list ?? []) {
    if (variable.type !== "query" || variable.datasource?.type !== "prometheus") continue;
    const expr = variableExpression(dashboard.uid, variable);
    if (expr !== undefined) found.push({ dashboardUid: dashboard.uid, source: `$${variable.name}`, expr });
  }
  return found;
}
