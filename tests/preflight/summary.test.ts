/** What the offline plan prints in its Quotas section. */
import { expect } from "chai";
import { planOf } from "../support/plans";
import { PROJECT_DIR } from "../support/org-model";
import { formatQuotaReport, quotaBanner } from "../../stacks/preflight/format";
import { hubConfigOfEnvironment } from "../../stacks/preflight/hub-config";
import { quotaSection } from "../../stacks/preflight/plan-section";
import { checkQuotas } from "../../stacks/preflight/quotas";
import { BENCH_HUB_ACCOUNT, generatedHubPlan, generatedOrg, planOfStacks, record } from "./support";

describe("preflight quotas in the plan summary", () => {
  it("keeps the committed dev environment's section short, with nothing to request", async () => {
    const section = quotaSection(hubConfigOfEnvironment(PROJECT_DIR, "dev"), await planOf("dev"));
    expect(section.failed).to.equal(false);
    expect(section.text).to.match(/^## Quotas/);
    expect(section.text).to.contain("No quota increase needed");
    expect(section.text).to.not.contain("!!");
    expect(section.text.split("\n").length).to.be.lessThan(25);
    expect(quotaBanner(section.report)).to.equal(undefined);
  });

  it("prints the increase a 26-account organisation must request, from the plan machinery, without failing the plan", async () => {
    const section = quotaSection(generatedOrg(26), await generatedHubPlan(26));
    expect(section.report.basis).to.equal("plan");
    expect(section.failed).to.equal(false);
    expect(section.text).to.contain(
      `!! REQUEST Amazon Managed Service for Prometheus "Workspaces per region per account" (aps L-8873DB23), account ${BENCH_HUB_ACCOUNT} eu-west-1: ` +
      "default 25, needs 26: request 33");
    expect(section.text).to.contain(
      `--service-code aps --quota-code L-8873DB23 --desired-value 33 --region eu-west-1   # with credentials of account ${BENCH_HUB_ACCOUNT}`);
    expect(section.text).to.contain("!! QUOTAS: 1 quota increase(s) MUST be granted before deploying");
    expect(section.text).to.match(/\| AMP: Workspaces per region per account +\| [^|]+\| 26 +\| 25 +\| EXCEEDS \|/);
  });

  it("prints both requests of a 1,000-account organisation, derived from the model, in a few lines", () => {
    const text = formatQuotaReport(checkQuotas({ config: generatedOrg(1000) }));
    expect(text).to.contain("usage derived from the organisation model, no plan");
    expect(text).to.contain(`"Workspaces per region per account" (aps L-8873DB23), account ${BENCH_HUB_ACCOUNT} eu-west-1: default 25, needs 1,000: request 1,250`);
    expect(text).to.contain(`!! REQUEST AWS Identity and Access Management (IAM) "Roles per account" (iam L-FE177D64), account ${BENCH_HUB_ACCOUNT} (global): default 1,000, needs 1,002: request 1,253`);
    expect(text).to.contain("--service-code iam --quota-code L-FE177D64 --desired-value 1253 --region us-east-1");
    expect(text).to.contain("!! QUOTAS: 2 quota increase(s) MUST be granted before deploying");
    expect(text.split("\n").length).to.be.lessThan(30);
  });

  it("prints a near quota as a request to file before the organisation grows", () => {
    const text = formatQuotaReport(checkQuotas({ config: generatedOrg(21) }));
    expect(text).to.contain(`!! NEAR Amazon Managed Service for Prometheus "Workspaces per region per account" (aps L-8873DB23), account ${BENCH_HUB_ACCOUNT} eu-west-1: 21 of 25 used: request 27`);
    expect(text).to.contain("1 quota(s) near the default");
  });

  it("prints a blocker when a quota cannot be raised far enough", () => {
    const report = checkQuotas({ config: generatedOrg(4999) });
    const text = formatQuotaReport(report);
    expect(text).to.contain(`!! BLOCKED AWS Identity and Access Management (IAM) "Roles per account", account ${BENCH_HUB_ACCOUNT} (global): 5,001 > 1,000`);
    expect(quotaBanner(report)).to.contain("1 quota(s) cannot be raised enough");
  });

  it("fails the plan only on a blocker", () => {
    const targets = Array.from({ length: 6 }, (_, i) =>
      record("aws:cloudwatch/eventTarget:EventTarget", `t${i}`, BENCH_HUB_ACCOUNT, { eventBusName: "bus", rule: "forwarded" }));
    const section = quotaSection(generatedOrg(2), planOfStacks({ stack: "bench", kind: "hub", accountId: BENCH_HUB_ACCOUNT, resources: targets }));
    expect(section.failed).to.equal(true);
    expect(section.text).to.contain(`!! BLOCKED Amazon EventBridge "Targets per rule", bus/forwarded in account ${BENCH_HUB_ACCOUNT} eu-west-1: 6 > 5: Targets per rule cannot be raised`);
  });
});
