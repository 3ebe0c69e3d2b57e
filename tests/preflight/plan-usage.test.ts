/** Quotas counted in the offline plan: the committed environments, and hand-made plans at the edges. */
import { expect } from "chai";
import { planOf, ofType, hubSideOf } from "../support/plans";
import { PROJECT_DIR } from "../support/org-model";
import { hubConfigOfEnvironment } from "../../stacks/preflight/hub-config";
import { checkQuotas } from "../../stacks/preflight/quotas";
import { alertmanagerCounts, rulesInNamespace, usageFromPlan } from "../../stacks/preflight/usage-from-plan";
import { usageFromConfig } from "../../stacks/preflight/usage-from-config";
import { QuotaUsage } from "../../stacks/preflight/usage";
import { BENCH_HUB_ACCOUNT, BENCH_REGION, generatedOrg, planOfStacks, record } from "./support";

/** Highest use per quota, account and region: what a Service Quotas request is about. */
function highest(usage: QuotaUsage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of usage) {
    const key = `${u.quotaId} ${u.scope.account} ${u.scope.region}`;
    out[key] = Math.max(out[key] ?? 0, u.used);
  }
  return out;
}

for (const environment of ["dev", "prod"]) {
  describe(`preflight quotas of the committed ${environment} environment`, () => {
    it("has nothing near or over a default quota, counted from the plan and from the model", async () => {
      const config = hubConfigOfEnvironment(PROJECT_DIR, environment);
      for (const report of [checkQuotas({ config, plan: await planOf(environment) }), checkQuotas({ config })]) {
        expect(report.entries.filter((e) => e.status !== "ok").map((e) => `${e.quotaId} ${e.scope.account}`), report.basis).to.deep.equal([]);
        expect(report.requests).to.deep.equal([]);
        expect(report.blockers).to.deep.equal([]);
      }
    });

    it("counts the same per-account usage in the plan as the organisation model predicts", async () => {
      const config = hubConfigOfEnvironment(PROJECT_DIR, environment);
      const fromPlan = highest(usageFromPlan(await planOf(environment), config.hub.region).usage);
      const fromConfig = highest(usageFromConfig(config));
      // The model covers the account-level quotas; the per-workspace ones only the plan can count.
      const modelled = Object.fromEntries(Object.entries(fromPlan).filter(([key]) => !/^amp-(rule|alertmanager)/.test(key)));
      expect(fromConfig).to.deep.equal(modelled);
    });

    it("counts the rules and alertmanager routes of every workspace from the rendered documents", async () => {
      const config = hubConfigOfEnvironment(PROJECT_DIR, environment);
      const report = checkQuotas({ config, plan: await planOf(environment) });
      const hub = await hubSideOf(environment);
      const namespaces = ofType(hub, "aws:amp/ruleGroupNamespace:RuleGroupNamespace");
      const perWorkspace = report.entries.filter((e) => e.quotaId === "amp-rule-namespaces");
      expect(perWorkspace).to.have.length(config.workloads.length);
      expect(perWorkspace.reduce((n, e) => n + e.used, 0)).to.equal(namespaces.length);
      const rules = report.entries.filter((e) => e.quotaId === "amp-rules");
      expect(rules.reduce((n, e) => n + e.used, 0)).to.equal(namespaces.reduce((n, r) => n + rulesInNamespace(r.inputs.data as string), 0));
      for (const e of rules) expect(e.used).to.be.greaterThan(0);
      for (const e of report.entries.filter((x) => x.quotaId === "amp-alertmanager-routes")) expect(e.used).to.be.greaterThan(1);
    });
  });
}

describe("preflight quotas counted in hand-made plans", () => {
  const config = generatedOrg(2);

  it("reads rule files and alertmanager definitions", () => {
    expect(rulesInNamespace("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n      - alert: Y\n        expr: up == 0\n  - name: b\n    rules: []\n")).to.equal(2);
    const definition = [
      "template_files:",
      "  a: '{{ define \"a\" }}{{ end }}'",
      "  b: ''",
      "alertmanager_config: |",
      "  route:",
      "    receiver: default",
      "    routes:",
      "      - receiver: team-a",
      "        routes:",
      "          - receiver: team-a-critical",
      "      - receiver: team-b",
      "  inhibit_rules:",
      "    - source_matchers: [severity=critical]",
      "      target_matchers: [severity=warning]",
    ].join("\n");
    expect(alertmanagerCounts(definition)).to.deep.equal({ routes: 4, inhibitRules: 1, templates: 2 });
  });

  it("adds the roles pulumi-eks creates inside its remote Cluster, unless it is given them", () => {
    const plan = planOfStacks({
      stack: "bench", kind: "hub", accountId: BENCH_HUB_ACCOUNT,
      resources: [
        record("aws:iam/role:Role", "a", BENCH_HUB_ACCOUNT),
        record("eks:index:Cluster", "own-roles", null),
        record("eks:index:Cluster", "given-roles", null, { serviceRole: "arn", instanceRoles: ["arn"] }),
      ],
    });
    const roles = usageFromPlan(plan, BENCH_REGION).usage.filter((u) => u.quotaId === "iam-roles");
    expect(roles).to.deep.equal([{ quotaId: "iam-roles", scope: { account: BENCH_HUB_ACCOUNT, region: "global" }, used: 3, basis: "plan" }]);
  });

  it("blocks a quota that cannot be raised: a sixth target on one EventBridge rule", () => {
    const targets = Array.from({ length: 6 }, (_, i) =>
      record("aws:cloudwatch/eventTarget:EventTarget", `t${i}`, BENCH_HUB_ACCOUNT, { eventBusName: "bus", rule: "forwarded" }));
    const report = checkQuotas({ config, plan: planOfStacks({ stack: "bench", kind: "hub", accountId: BENCH_HUB_ACCOUNT, resources: targets }) });
    expect(report.blockers).to.have.length(1);
    expect(report.blockers[0].entry).to.include({ quotaId: "eventbridge-targets", used: 6, defaultLimit: 5, status: "exceeds", adjustable: false });
    expect(report.blockers[0].entry.scope.resource).to.equal("bus/forwarded");
    expect(report.requests).to.deep.equal([]);
  });

  it("turns an over-quota workspace into one request for the account and region, naming the workspaces", () => {
    const namespaces = ["ws-a", "ws-b"].flatMap((ws) => Array.from({ length: 11 }, (_, i) =>
      record("aws:amp/ruleGroupNamespace:RuleGroupNamespace", `${ws}-${i}`, BENCH_HUB_ACCOUNT, { workspaceId: ws, data: "groups: []\n" })));
    const report = checkQuotas({ config, plan: planOfStacks({ stack: "bench", kind: "hub", accountId: BENCH_HUB_ACCOUNT, resources: namespaces }) });
    expect(report.requests).to.have.length(1);
    expect(report.requests[0]).to.deep.include({
      quotaId: "amp-rule-namespaces", status: "exceeds", account: BENCH_HUB_ACCOUNT, region: BENCH_REGION,
      resources: ["workspace ws-a", "workspace ws-b"], used: 11, requestedValue: 14,
    });
    expect(report.requests[0].quotaCode).to.equal(undefined);
  });
});
