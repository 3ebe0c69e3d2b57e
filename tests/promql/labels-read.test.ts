/**
 * Which labels the queries read: the facts behind what the series cuts leave alone.
 */
import { expect } from "chai";
import { allRuleExpressions } from "../../components/alert-pipeline/rules";
import { prometheusExpressions, renderAccountDashboards, renderCrossAccountDashboards } from "../../components/dashboards";
import { ALL, labelsRead } from "../../components/promql";

const read = (expr: string, metric = "k") => [...labelsRead([expr]).get(metric)!].sort();

describe("labelsRead", () => {
  it("reads a raw selector's every label, an aggregation's grouping and matcher labels only", () => {
    expect(read("k")).to.deep.equal([ALL]);
    expect(read('sum by (a) (rate(k{b!=""}[5m]))')).to.deep.equal(["a", "b"]);
    expect(read("count(k)")).to.deep.equal([]);
  });

  it("follows comparisons with a number, matching on(), and vector matches on what is left", () => {
    expect(read('max by (a, n) (k{p=~"x|y"} == 1)')).to.deep.equal(["a", "n", "p"]);
    expect(read("sum by (a) (r * on (a, n) group_left () max by (a, n) (k))")).to.deep.equal(["a", "n"]);
    expect(read("sum by (a) (k) / sum by (a) (r)")).to.deep.equal(["a"]);
    expect(read("k / r")).to.deep.equal([ALL]);
  });

  it("treats selecting aggregations, `without` and label rewriting as reading everything", () => {
    expect(read("topk by (a) (3, k)")).to.deep.equal([ALL, "a"]);
    expect(read("sum without (a) (k)")).to.deep.equal([ALL, "a"]);
    expect(read('sum by (x) (label_replace(k, "x", "$1", "y", "(.*)"))')).to.include(ALL);
  });

  it("finds that no rule or panel reads cAdvisor's id or name, only the memory rule reads image, and the services' handler only to leave out Kubernetes' probes", () => {
    const dashboards = [
      ...renderAccountDashboards({ environment: "prod", accountName: "payments", prometheusDatasourceUid: "prod-payments-amp" }),
      ...renderCrossAccountDashboards({ environment: "prod", unifiedDatasourceUid: "all", hubCloudwatchDatasourceUid: "cw", workspaces: [{ accountName: "payments", workspaceId: "ws-11111111-1111-4111-8111-111111111111" }] }),
    ];
    const labels = labelsRead([...allRuleExpressions(), ...dashboards.flatMap(prometheusExpressions).map((e) => e.expr)]);
    for (const metric of ["container_cpu_usage_seconds_total", "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total", "container_memory_working_set_bytes"]) {
      const used = labels.get(metric)!;
      expect(used.has(ALL), metric).to.equal(false);
      expect(used.has("id") || used.has("name"), metric).to.equal(false);
      expect(used.has("image"), metric).to.equal(metric === "container_memory_working_set_bytes");
    }
    for (const metric of ["http_requests_total", "http_request_duration_seconds_bucket"]) {
      const used = labels.get(metric)!;
      expect([...used].filter((l) => ["handler", "method", ALL].includes(l)), metric).to.deep.equal(["handler"]);
    }
    expect(labels.get("http_request_duration_seconds_bucket")!.has("le")).to.equal(true);
  });
});
