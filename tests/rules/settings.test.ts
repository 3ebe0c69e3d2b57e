import { expect } from "chai";
import { parse } from "yaml";
import {
  alertingRules,
  allRuleExpressions,
  assertRuleNamespaceName,
  recordingRules,
  renderRuleNamespace,
  renderRuleNamespaces,
  resolveRuleSettings,
  ruleGroups,
} from "../../components/alert-pipeline/rules";
import { metricNamesInAll } from "../../components/promql";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";

describe("alerting rule settings and rendering", function () {
  it("ships at least 25 alerting and 12 recording rules by default", function () {
    expect(alertingRules()).to.have.length.of.at.least(25);
    expect(recordingRules()).to.have.length.of.at.least(12);
  });

  it("gives every alert severity, team, summary, description and runbook_url", function () {
    for (const rule of alertingRules()) {
      expect(["critical", "warning", "info"], rule.alert).to.include(rule.labels.severity);
      expect(rule.labels.team, rule.alert).to.be.a("string").and.not.empty;
      expect(rule.annotations.summary, rule.alert).to.not.be.empty;
      expect(rule.annotations.description, rule.alert).to.not.be.empty;
      expect(rule.annotations.runbook_url, rule.alert).to.match(/^https:\/\/.+#[a-z0-9]+$/);
    }
  });

  it("keeps account and cluster in every aggregation of raw metrics", function () {
    for (const expr of allRuleExpressions()) {
      for (const match of expr.matchAll(/\b(?:sum|max|avg|group) by \(([^)]*)\)/g)) {
        expect(match[1], expr).to.match(/^account\b/);
      }
    }
  });

  it("reads only metrics the collector ships (recording rules aside)", function () {
    const recorded = new Set(recordingRules().map((rule) => rule.record));
    const needed = metricNamesInAll(allRuleExpressions()).filter((name) => !recorded.has(name));
    const missing = needed.filter((name) => !collectorMetricAllowlist().includes(name));
    expect(missing, "metric names the rules read but the collector drops").to.deep.equal([]);
  });

  it("renders a plain Prometheus rules file per concern, with valid AMP namespace names", function () {
    for (const ns of renderRuleNamespaces()) {
      expect(assertRuleNamespaceName(ns.name)).to.equal(ns.name);
      const document = parse(ns.data) as { groups: { name: string; rules: unknown[] }[] };
      expect(Object.keys(document)).to.deep.equal(["groups"]);
      expect(document.groups.map((group) => group.name)).to.deep.equal(ruleGroups(undefined, ns.concern).map((group) => group.name));
    }
    const all = parse(renderRuleNamespace()) as { groups: unknown[] };
    expect(all.groups).to.have.length(ruleGroups().length);
  });

  it("refuses names AMP would refuse", function () {
    expect(() => assertRuleNamespaceName("-leading-dash")).to.throw(/not a valid AMP rule group namespace/);
    expect(() => assertRuleNamespaceName("has space")).to.throw(/not a valid/);
    expect(() => assertRuleNamespaceName("x".repeat(65))).to.throw(/at most 64/);
    expect(assertRuleNamespaceName("x".repeat(64))).to.equal("x".repeat(64));
  });

  it("lists recording and alerting rules apart, together every rule of the enabled groups", function () {
    const recording = recordingRules();
    const alerting = alertingRules();
    expect(recording.every((rule) => "record" in rule && !("alert" in rule))).to.equal(true);
    expect(alerting.every((rule) => "alert" in rule)).to.equal(true);
    expect(recording.length + alerting.length).to.equal(ruleGroups().flatMap((group) => group.rules).length);
  });

  it("disables a whole group from config, dropping its namespace when it was the only one", function () {
    const settings = resolveRuleSettings({ disabledGroups: ["kubernetes-storage", "amp-quota"] });
    const names = ruleGroups(settings).map((group) => group.name);
    expect(names).to.not.include("kubernetes-storage");
    expect(names).to.include("kubernetes-pods");
    expect(renderRuleNamespaces(settings).map((ns) => ns.name)).to.not.include("amp-quota");
    expect(alertingRules(settings).map((rule) => rule.alert)).to.not.include("KubePersistentVolumeFillingUp");
  });

  it("changes thresholds, pending times, quotas and teams from config", function () {
    const settings = resolveRuleSettings({
      team: "payments-sre",
      teams: { collector: "observability-oncall" },
      thresholds: { nodeCpuUtilisationRatio: 0.75, serviceAvailabilityObjective: 0.99 },
      pending: { NodeCPUSaturated: "5m" },
      quotas: { activeSeries: 20_000_000 },
    });
    const byName = (name: string, severity?: string) =>
      alertingRules(settings).find((rule) => rule.alert === name && (severity === undefined || rule.labels.severity === severity))!;
    expect(byName("NodeCPUSaturated").expr).to.equal("instance:node_cpu_utilisation:rate5m > 0.75");
    expect(byName("NodeCPUSaturated").for).to.equal("5m");
    expect(byName("NodeCPUSaturated").labels.team).to.equal("payments-sre");
    expect(byName("CollectorAbsent").labels.team).to.equal("observability-oncall");
    expect(byName("AmpActiveSeriesNearQuota", "warning").labels.team).to.equal("observability");
    // 14.4 x (1 - 0.99)
    expect(byName("ServiceErrorBudgetBurn", "critical").expr).to.contain("> 0.144 and");
    const ratio = recordingRules(settings).find((rule) => rule.record === "account:amp_active_series:ratio_quota")!;
    expect(ratio.expr).to.equal("account:amp_active_series:estimate / 20000000");
  });

  it("uses configured selectors everywhere their exporter is read", function () {
    const settings = resolveRuleSettings({ selectors: { nodeExporter: 'job="node", namespace="monitoring"' } });
    const nodeExprs = allRuleExpressions(settings).filter((expr) => /(?<![:\w])node_(cpu_seconds_total|memory_|filesystem_)/.test(expr));
    expect(nodeExprs).to.not.be.empty;
    for (const expr of nodeExprs) {
      expect(expr).to.contain('job="node", namespace="monitoring"');
      expect(expr).to.not.contain('job="node-exporter"');
    }
  });

  it("rejects invalid overrides, naming the config key", function () {
    expect(() => resolveRuleSettings({ disabledGroups: ["kubernetes-pod"] }, "alerting.rules")).to.throw(/alerting\.rules\.disabledGroups\.0/);
    expect(() => resolveRuleSettings({ thresholds: { nodeCpuRatio: 0.5 } })).to.throw(/Unrecognized key/);
    expect(() => resolveRuleSettings({ pending: { NodeCPUSaturated: "ten minutes" } })).to.throw(/Prometheus duration/);
    expect(() => resolveRuleSettings({ pending: { NoSuchAlert: "5m" } })).to.throw(/pending/);
    expect(() => resolveRuleSettings({ selectors: { kubelet: '{job="kubelet"}' } })).to.throw(/without braces/);
    expect(() => resolveRuleSettings({ thresholds: { nodeMemoryUtilisationRatio: 1.5 } })).to.throw(/nodeMemoryUtilisationRatio/);
    expect(() => resolveRuleSettings({ thresholds: { ampQuotaWarningRatio: 0.99 } })).to.throw(/ampQuotaWarningRatio must be below/);
  });
});
