import { expect } from "chai";
import { metricNamesIn, metricNamesInAll } from "../../components/promql";
import { substituteTemplateVariables } from "../../components/promql/template-variables";

describe("metricNamesIn", () => {
  const cases: Array<[string, string, string[]]> = [
    ["plain selector", 'up{job="node"}', ["up"]],
    [
      "aggregation with by and a regex matcher",
      'sum by (service, code) (rate(http_requests_total{code=~"5.."}[5m]))',
      ["http_requests_total"],
    ],
    [
      "binary op with on/group_left: label lists are not metrics",
      "kube_pod_info * on (namespace, pod) group_left (node) kube_pod_container_resource_requests",
      ["kube_pod_container_resource_requests", "kube_pod_info"],
    ],
    [
      "ignoring and unless",
      "a_total / ignoring (code) b_total unless on () c_total",
      ["a_total", "b_total", "c_total"],
    ],
    [
      "nested subqueries",
      "max_over_time(deriv(rate(node_load1[1m])[5m:1m])[1h:])",
      ["node_load1"],
    ],
    [
      "histogram_quantile over a bucket rate",
      "histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))",
      ["http_request_duration_seconds_bucket"],
    ],
    ["absent with matchers", 'absent(up{job="kube-state-metrics"})', ["up"]],
    [
      "label_replace: its string arguments are not metrics",
      'label_replace(kube_node_info, "host", "$1", "node", "(.*)")',
      ["kube_node_info"],
    ],
    ["offset", "rate(node_cpu_seconds_total[5m] offset 1h)", ["node_cpu_seconds_total"]],
    ["@ modifier with start()", "node_time_seconds @ start() - node_boot_time_seconds @ end()", ["node_boot_time_seconds", "node_time_seconds"]],
    ["@ with a timestamp and offset", "up @ 1700000000 offset 5m", ["up"]],
    ["__name__ equality", '{__name__="up", job="x"}', ["up"]],
    ["__name__ plain alternation", '{__name__=~"node_load1|node_load5"}', ["node_load1", "node_load5"]],
    ["quoted (UTF-8) metric name", '{"http.server.duration", job="x"}', ["http.server.duration"]],
    ["quoted __name__ matcher", '{"__name__"="up"}', ["up"]],
    ["same metric twice is reported once", "up + up", ["up"]],
    ["bool comparison", "up == bool 0", ["up"]],
    ["number only", "1 + 2", []],
    ["time() only", "time()", []],
    ["metric names that look like keywords", "sum(offset_total) + rate(by_total[5m])", ["by_total", "offset_total"]],
  ];
  for (const [title, expr, expected] of cases) {
    it(title, () => {
      expect(metricNamesIn(expr)).to.deep.equal(expected);
    });
  }

  it("accepts Grafana variables and built-in intervals", () => {
    const expr =
      'sum by (namespace) (rate(container_cpu_usage_seconds_total{cluster="$cluster", namespace=~"${namespace:regex}"}[$__rate_interval])) ' +
      "/ scalar(count(kube_node_info{cluster=\"[[cluster]]\"})) * $__range_s + rate(x_total[${__interval}])";
    expect(metricNamesIn(expr)).to.deep.equal(["container_cpu_usage_seconds_total", "kube_node_info", "x_total"]);
  });

  it("leaves variables inside strings untouched and replaces built-ins outside them", () => {
    expect(substituteTemplateVariables('rate(x{a="$a"}[$__rate_interval]) * $__interval_ms')).to.equal('rate(x{a="$a"}[5m]) * 300');
    // "$1" in label_replace is not a Grafana variable and stays as it is.
    expect(substituteTemplateVariables('label_replace(up, "h", "$1", "i", "(.*)")')).to.equal('label_replace(up, "h", "$1", "i", "(.*)")');
  });

  it("refuses a user variable outside strings, because it could be a metric name", () => {
    expect(() => metricNamesIn("rate($metric[5m])")).to.throw(/\$metric is used outside a string literal/);
    expect(() => metricNamesIn("topk($limit, up)")).to.throw(/\$limit/);
  });

  it("refuses selectors whose metric names cannot be enumerated", () => {
    expect(() => metricNamesIn('{job="node"}')).to.throw(/names no metric/);
    expect(() => metricNamesIn('count({__name__=~"node_.*"})')).to.throw(/=~ "node_\.\*"/);
    expect(() => metricNamesIn('{__name__!="up", job="x"}')).to.throw(/!=/);
  });

  it("reports syntax errors with their position", () => {
    expect(() => metricNamesIn("sum(rate(up[5m])")).to.throw(/does not parse/);
    expect(() => metricNamesIn('up{job="x"')).to.throw(/does not parse/);
    expect(() => metricNamesIn('up{job="x}')).to.throw(/never closed/);
  });

  it("merges names across expressions", () => {
    expect(metricNamesInAll(["up", "rate(a_total[5m]) / rate(b_total[5m])", "up == 0"])).to.deep.equal(["a_total", "b_total", "up"]);
  });
});
