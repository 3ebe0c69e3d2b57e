/** Quotas derived from the organisation model alone, for generated organisations of any size. */
import { expect } from "chai";
import { checkQuotas, QuotaEntry, QuotaReport } from "../../stacks/preflight/quotas";
import { QuotaId } from "../../stacks/preflight/catalog";
import { hubRoleCount } from "../../stacks/preflight/usage-from-config";
import { BENCH_HUB_ACCOUNT, BENCH_REGION, generatedOrg } from "./support";

function entry(report: QuotaReport, quotaId: QuotaId, account = BENCH_HUB_ACCOUNT): QuotaEntry {
  const found = report.entries.filter((e) => e.quotaId === quotaId && e.scope.account === account);
  expect(found, `${quotaId} in ${account}`).to.have.length(1);
  return found[0];
}

describe("preflight quotas from the organisation model", () => {
  describe("AMP workspaces per region per account (hub: one per workload account, default 25)", () => {
    const cases: Array<[number, string]> = [[19, "ok"], [20, "near"], [24, "near"], [25, "near"], [26, "exceeds"]];
    for (const [accounts, status] of cases) {
      it(`${accounts} accounts: ${status}`, () => {
        const report = checkQuotas({ config: generatedOrg(accounts) });
        const amp = entry(report, "amp-workspaces");
        expect(amp).to.include({ used: accounts, defaultLimit: 25, status, adjustable: true, quotaCode: "L-8873DB23", basis: "config" });
        expect(amp.scope).to.deep.equal({ account: BENCH_HUB_ACCOUNT, region: BENCH_REGION });
        const request = report.requests.find((r) => r.quotaId === "amp-workspaces");
        if (status === "ok") expect(request).to.equal(undefined);
        else expect(request).to.include({ status, account: BENCH_HUB_ACCOUNT, region: BENCH_REGION, used: accounts, requestedValue: Math.ceil(accounts / 0.8) });
        expect(report.blockers).to.deep.equal([]);
      });
    }
  });

  describe("IAM roles per account (default 1,000, at most 5,000)", () => {
    it("counts one ingest role per account plus the hub's own roles", () => {
      expect(hubRoleCount(generatedOrg(10))).to.equal(12);
      expect(entry(checkQuotas({ config: generatedOrg(10) }), "iam-roles").scope.region).to.equal("global");
    });

    it("is near at ~800 roles and exceeds at 1,000 accounts, as a request for the hub account", () => {
      expect(entry(checkQuotas({ config: generatedOrg(797) }), "iam-roles").status).to.equal("ok");
      expect(entry(checkQuotas({ config: generatedOrg(798) }), "iam-roles").status).to.equal("near");
      expect(entry(checkQuotas({ config: generatedOrg(998) }), "iam-roles")).to.include({ used: 1000, status: "near" });
      const report = checkQuotas({ config: generatedOrg(1000) });
      expect(entry(report, "iam-roles")).to.include({ used: 1002, status: "exceeds", quotaCode: "L-FE177D64" });
      expect(report.requests.find((r) => r.quotaId === "iam-roles")).to.include({
        status: "exceeds", account: BENCH_HUB_ACCOUNT, region: "global", used: 1002, requestedValue: 1253,
      });
      expect(report.blockers).to.deep.equal([]);
    });

    it("keeps workload accounts far from the quota: a few roles each", () => {
      const report = checkQuotas({ config: generatedOrg(1000) });
      const workloadRoles = report.entries.filter((e) => e.quotaId === "iam-roles" && e.scope.account !== BENCH_HUB_ACCOUNT);
      expect(workloadRoles).to.have.length(1000);
      for (const e of workloadRoles) expect(e).to.include({ status: "ok" });
      expect(Math.max(...workloadRoles.map((e) => e.used))).to.be.lessThan(10);
    });

    it("blocks above the highest value IAM grants: one hub account cannot hold 5,000 accounts' ingest roles", () => {
      const report = checkQuotas({ config: generatedOrg(4999) });
      expect(report.blockers.map((b) => b.entry.quotaId)).to.deep.equal(["iam-roles"]);
      expect(report.blockers[0].reason).to.match(/5000 at most/);
      expect(report.requests.find((r) => r.quotaId === "iam-roles")?.requestedValue).to.equal(5000);
    });
  });

  it("leaves the quotas that do not grow with the organisation far from their limits at 1,000 accounts", () => {
    const report = checkQuotas({ config: generatedOrg(1000) });
    expect(report.requests.map((r) => r.quotaId).sort()).to.deep.equal(["amp-workspaces", "iam-roles"]);
    for (const id of ["grafana-workspaces", "eventbridge-rules", "eventbridge-targets", "eventbridge-buses", "sns-subscriptions"] as QuotaId[]) {
      for (const e of report.entries.filter((x) => x.quotaId === id)) expect(e.status, `${id} ${e.scope.account}`).to.equal("ok");
    }
    expect(report.basis).to.equal("config");
    // Per-workspace quotas need the rendered documents: only a plan has them.
    expect(report.entries.filter((e) => e.quotaId.startsWith("amp-rule") || e.quotaId.startsWith("amp-alertmanager"))).to.deep.equal([]);
  });
});
