/**
 * Do the rules and dashboards see the same answers from what the filtered collector ships as
 * from everything? Both receivers are fed by ONE collector through two remote_write queues
 * (one with the shipped write_relabel_configs, one without), so they hold the same samples at
 * the same timestamps, minus what the filter drops; any difference in a query's result is
 * then the filter's doing, not scrape timing.
 *
 * Every recording rule, alert expression and dashboard query (panels and variables, with the
 * bench's values for $account, $cluster, $namespace and $__rate_interval) is evaluated on both
 * receivers at the same instants, along with the parts that decide it (an alert's `X > 0.9`
 * is usually empty in both; X is not). Recording rules are not loaded into the receivers:
 * their evaluation instants would differ between the two; instead every read of a recorded
 * series is replaced by the rule's expression (a range over one by a subquery), which is what
 * the workspace's rule records at that instant. Expressions that read only series the
 * workspace itself generates (ALERTS) are skipped: neither receiver has them.
 */
import { alertingRules, recordingRules, resolveRuleSettings } from "../components/alert-pipeline/rules";
import { WORKSPACE_GENERATED_METRICS, prometheusExpressions, renderAccountDashboards, renderCrossAccountDashboards } from "../components/dashboards";
import { metricNamesIn } from "../components/promql";
import { evaluate, VectorSample } from "./prometheus-api";
import { comparableParts, inlineRecordingRules, substituteVariables } from "./promql-rewrite";

export interface QueryUnderTest {
  /** "recording rule <name>", "alert <name>" or "dashboard <uid>: <panel or $variable>". */
  source: string;
  expr: string;
}

export interface Mismatch {
  source: string;
  query: string;
  atSeconds: number;
  difference: string;
}

export interface EquivalenceResult {
  queries: number;
  /** Queries and the parts that decide them, each evaluated at every instant. */
  probes: number;
  instants: number;
  evaluations: number;
  /** Probes that returned at least one series from the ship-everything receiver. */
  nonEmptyProbes: number;
  skipped: Array<{ source: string; reason: string }>;
  mismatches: Mismatch[];
  equivalent: boolean;
}

export interface BenchLabels {
  account: string;
  cluster: string;
  namespaces: string[];
  scrapeIntervalSeconds: number;
  /** The services' job's interval: what a RED panel's min step stands for here. */
  serviceScrapeIntervalSeconds: number;
}

/** Every rule and dashboard expression, with Grafana variables set for the bench's cluster. */
export function queriesUnderTest(labels: BenchLabels): QueryUnderTest[] {
  const settings = resolveRuleSettings({});
  const queries: QueryUnderTest[] = [
    ...recordingRules(settings).map((rule) => ({ source: `recording rule ${rule.record}`, expr: rule.expr })),
    ...alertingRules(settings).map((rule) => ({ source: `alert ${rule.alert}`, expr: rule.expr })),
  ];
  const dashboards = [
    ...renderAccountDashboards({ environment: "bench", accountName: labels.account, prometheusDatasourceUid: "bench-amp", collectorMode: "prometheus" }),
    ...renderCrossAccountDashboards({
      environment: "bench",
      unifiedDatasourceUid: "all-accounts-bench",
      hubCloudwatchDatasourceUid: "bench-hub-cloudwatch",
      workspaces: [{ accountName: labels.account, workspaceId: "ws-11111111-1111-4111-8111-111111111111" }],
    }),
  ];
  for (const found of dashboards.flatMap(prometheusExpressions)) {
    // Grafana's $__rate_interval is at least four scrape intervals: the query's min step's when it
    // sets one (the RED panels, at the services' job's interval), else the data source's.
    const rate = `${4 * (found.minStep ? labels.serviceScrapeIntervalSeconds : labels.scrapeIntervalSeconds)}s`;
    const namespaces = /\$\{?namespace\b/.test(found.expr) ? labels.namespaces : [labels.namespaces[0]];
    for (const namespace of namespaces) {
      const values = { account: labels.account, cluster: labels.cluster, namespace, __rate_interval: rate, __interval: `${labels.scrapeIntervalSeconds}s`, __range: "5m" };
      const suffix = namespaces.length > 1 ? ` (namespace ${namespace})` : "";
      queries.push({ source: `dashboard ${found.dashboardUid}: ${found.source}${suffix}`, expr: substituteVariables(found.expr, values) });
    }
  }
  return queries;
}

const key = (metric: Record<string, string>) => JSON.stringify(Object.entries(metric).sort(([a], [b]) => a.localeCompare(b)));

function sameValue(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

/** Why two results differ, or undefined when they are the same series with the same values. */
export function compareResults(everything: VectorSample[], filtered: VectorSample[]): string | undefined {
  const left = new Map(everything.map((s) => [key(s.metric), s.value]));
  const right = new Map(filtered.map((s) => [key(s.metric), s.value]));
  const missing = [...left.keys()].filter((k) => !right.has(k));
  const extra = [...right.keys()].filter((k) => !left.has(k));
  if (missing.length || extra.length) {
    return `${everything.length} series from everything, ${filtered.length} from the filtered receiver; missing ${missing.slice(0, 3).join(" ")}${missing.length > 3 ? " ..." : ""}${extra.length ? `; extra ${extra.slice(0, 3).join(" ")}` : ""}`;
  }
  for (const [k, value] of left) {
    if (!sameValue(value, right.get(k)!)) return `series ${k}: ${value} from everything, ${right.get(k)} from the filtered receiver`;
  }
  return undefined;
}

export async function checkQueryEquivalence(options: { everythingUrl: string; filteredUrl: string; instants: number[]; labels: BenchLabels }): Promise<EquivalenceResult> {
  const recorded = new Map(recordingRules(resolveRuleSettings({})).map((rule) => [rule.record, rule.expr]));
  const generated = new Set(WORKSPACE_GENERATED_METRICS);
  const skipped: EquivalenceResult["skipped"] = [];
  const probes: Array<{ source: string; query: string }> = [];
  const queries = queriesUnderTest(options.labels);
  for (const query of queries) {
    const names = metricNamesIn(query.expr);
    if (names.length > 0 && names.every((name) => generated.has(name))) {
      skipped.push({ source: query.source, reason: `reads only ${names.join(", ")}, which the workspace generates` });
      continue;
    }
    const inlined = inlineRecordingRules(query.expr, recorded, options.labels.scrapeIntervalSeconds);
    for (const part of comparableParts(inlined)) probes.push({ source: query.source, query: part });
  }
  const mismatches: Mismatch[] = [];
  const nonEmpty = new Set<string>();
  let evaluations = 0;
  for (const probe of probes) {
    for (const at of options.instants) {
      const [everything, filtered] = await Promise.all([evaluate(options.everythingUrl, probe.query, at), evaluate(options.filteredUrl, probe.query, at)]);
      evaluations++;
      if (everything.length > 0) nonEmpty.add(`${probe.source}\u0000${probe.query}`);
      const difference = compareResults(everything, filtered);
      if (difference) mismatches.push({ source: probe.source, query: probe.query, atSeconds: at, difference });
    }
  }
  return {
    queries: queries.length,
    probes: probes.length,
    instants: options.instants.length,
    evaluations,
    nonEmptyProbes: nonEmpty.size,
    skipped,
    mismatches,
    equivalent: mismatches.length === 0,
  };
}
