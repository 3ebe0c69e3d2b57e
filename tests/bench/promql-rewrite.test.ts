import { expect } from "chai";
import { compareResults } from "../../bench/query-equivalence";
import { comparableParts, inlineRecordingRules, substituteVariables } from "../../bench/promql-rewrite";

const rules = new Map([
  ["svc:requests:rate5m", "sum by (service) (rate(requests_total[5m]))"],
  ["svc:requests:estimate", "svc:requests:rate5m * 30"],
]);

describe("bench PromQL rewrites", () => {
  it("inlines recording rules, recursively", () => {
    expect(inlineRecordingRules("svc:requests:estimate > 10", rules, 30)).to.equal("((sum by (service) (rate(requests_total[5m]))) * 30) > 10");
  });

  it("pushes an offset on a recorded series into the rule's selectors", () => {
    expect(inlineRecordingRules("svc:requests:rate5m offset 1h >= 0.1", rules, 30)).to.equal("(sum by (service) (rate(requests_total[5m] offset 1h))) >= 0.1");
  });

  it("turns a range over a recorded series into a subquery at the given step", () => {
    expect(inlineRecordingRules("predict_linear(svc:requests:rate5m[6h], 3600)", rules, 15)).to.equal("predict_linear((sum by (service) (rate(requests_total[5m])))[6h:15s], 3600)");
  });

  it("leaves other series alone and refuses a recorded series read with matchers", () => {
    expect(inlineRecordingRules('up{job="x"}', rules, 30)).to.equal('up{job="x"}');
    expect(() => inlineRecordingRules('svc:requests:rate5m{service="a"}', rules, 30)).to.throw(/with matchers/);
  });

  it("lists the parts that decide an alert: both sides of and/unless, the non-constant side of a comparison", () => {
    expect(comparableParts("a > 0.9 and on (x) b == 1")).to.have.members(["a > 0.9 and on (x) b == 1", "a > 0.9", "b == 1", "a", "b"]);
    expect(comparableParts("c > d")).to.have.members(["c > d", "c", "d"]);
  });

  it("sets Grafana variables and refuses one it has no value for", () => {
    expect(substituteVariables('rate(x{ns="$namespace"}[$__rate_interval])', { namespace: "a", __rate_interval: "2m" })).to.equal('rate(x{ns="a"}[2m])');
    expect(() => substituteVariables('x{a="$unknown"}', {})).to.throw(/\$unknown/);
  });

  it("compares results as sets of series with values within float tolerance", () => {
    const series = (value: number, pod = "a") => [{ metric: { pod }, value }];
    expect(compareResults(series(1), series(1 + 1e-12))).to.equal(undefined);
    expect(compareResults(series(1), series(1.001))).to.match(/series/);
    expect(compareResults(series(1), series(1, "b"))).to.match(/missing/);
    expect(compareResults([{ metric: {}, value: NaN }], [{ metric: {}, value: NaN }])).to.equal(undefined);
  });
});
