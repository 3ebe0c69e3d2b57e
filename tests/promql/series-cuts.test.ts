/**
 * The collector's series cuts are exactly what the rules' and dashboards' label matchers
 * allow: every dropped series is one no selector can read, and every series no selector
 * reads (of an allow-listed metric) is dropped.
 */
import { expect } from "chai";
import { allRuleExpressions } from "../../components/alert-pipeline/rules";
import { prometheusExpressions } from "../../components/dashboards";
import { projectDashboards } from "../support/project-dashboards";
import { unreadSeries } from "../../components/promql";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { COLLECTOR_SERIES_CUTS, SeriesCut, deriveSeriesCuts, seriesCutRelabelRules } from "../../components/workload-collector/series-cuts";

const dashboards = projectDashboards();
const everyExpression = [...allRuleExpressions(), ...dashboards.flatMap(prometheusExpressions).map((e) => e.expr)];

/** "metric label keep:a|b" or "metric label drop:re", one line per metric, sorted. */
function flatten(cuts: Array<{ metric?: string; metrics?: readonly string[]; label: string; keep?: readonly string[]; drop?: string }>): string[] {
  return cuts
    .flatMap((cut) => (cut.metrics ?? [cut.metric!]).map((metric) => `${metric} ${cut.label} ${cut.keep ? `keep:${[...cut.keep].sort().join("|")}` : `drop:${cut.drop}`}`))
    .sort();
}

describe("series cuts: derived from the PromQL", () => {
  describe("unreadSeries", () => {
    it("keeps the union of the values positive matchers ask for", () => {
      expect(flatten(unreadSeries(['x{phase="Running"}', 'sum(x{phase=~"Pending|Failed"})']))).to.deep.equal(["x phase keep:Failed|Pending|Running"]);
    });

    it("cuts nothing on a label one selector leaves open", () => {
      expect(unreadSeries(['x{phase="Running"}', "count(x)"])).to.deep.equal([]);
      expect(unreadSeries(['x{phase="Running"}', 'x{phase!="Failed"}'])).to.deep.equal([]);
    });

    it("drops what every selector excludes with the same negative matcher", () => {
      expect(flatten(unreadSeries(['rate(c_total{container!=""}[5m])', 'sum by (pod) (c_total{container!="", image!=""})']))).to.deep.equal(["c_total container drop:"]);
    });

    it("treats a matcher holding a Grafana variable as selecting anything", () => {
      expect(unreadSeries(['x{cluster="$cluster"}', 'x{cluster="a"}'])).to.deep.equal([]);
    });

    it("cuts histogram buckets only when every selector names its boundaries", () => {
      expect(flatten(unreadSeries(['h_bucket{le="0.5"}', 'h_bucket{le=~"0\\\\.5|\\\\+Inf"}']))).to.deep.equal(["h_bucket le keep:0\\.5|\\+Inf"]);
      expect(unreadSeries(['h_bucket{le="0.5"}', "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))"])).to.deep.equal([]);
    });

    it("escapes an equality matcher's value, so a literal dot is not a wildcard", () => {
      expect(flatten(unreadSeries(['x{v="1.2"}']))).to.deep.equal(["x v keep:1\\.2"]);
    });
  });

  it("COLLECTOR_SERIES_CUTS is exactly the derivation for allow-listed metrics", () => {
    const shipped = new Set(collectorMetricAllowlist());
    const derived = unreadSeries(everyExpression).filter((cut) => shipped.has(cut.metric));
    expect(flatten(COLLECTOR_SERIES_CUTS as SeriesCut[])).to.deep.equal(flatten(derived));
  });

  it("deriveSeriesCuts groups the derivation by label and values: with the default rules, the table itself", () => {
    const derived = deriveSeriesCuts(unreadSeries(everyExpression), collectorMetricAllowlist());
    expect(flatten(derived)).to.deep.equal(flatten(COLLECTOR_SERIES_CUTS as SeriesCut[]));
    // One cut per label and values, its metrics sorted: as few relabel rules as the table has.
    expect(derived.length).to.equal(COLLECTOR_SERIES_CUTS.length);
    for (const cut of derived) expect([...cut.metrics]).to.deep.equal([...cut.metrics].sort());
    // Metrics not shipped are not cut.
    expect(deriveSeriesCuts(unreadSeries(['x{phase="Running"}']), ["y"])).to.deep.equal([]);
  });

  it("cuts the series the cost is in: cAdvisor's container=\"\" cgroups and kube-state-metrics' unread enum values", () => {
    const lines = flatten(COLLECTOR_SERIES_CUTS as SeriesCut[]);
    expect(lines).to.include("container_memory_working_set_bytes container drop:");
    expect(lines).to.include("kube_pod_status_phase phase keep:Failed|Pending|Running|Unknown");
    expect(lines).to.include("kube_node_status_condition status keep:true");
  });

  it("renders a keep cut as mark, drop unmarked, and one final removal of the marks", () => {
    const rules = seriesCutRelabelRules([{ metrics: ["b", "a"], label: "phase", keep: ["Running", "Pending"] }, { metrics: ["c"], label: "container", drop: "" }]);
    expect(rules).to.deep.equal([
      { source_labels: ["__name__", "phase"], regex: "(?:a|b);(?:Running|Pending)", target_label: "__tmp_read_0", replacement: "1", action: "replace" },
      { source_labels: ["__name__", "__tmp_read_0"], regex: "(?:a|b);", action: "drop" },
      { source_labels: ["__name__", "container"], regex: "(?:c);(?:)", action: "drop" },
      { regex: "__tmp_read_.*", action: "labeldrop" },
    ]);
  });
});
