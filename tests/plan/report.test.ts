import { expect } from "chai";
import { accountLines, summariseAccounts } from "../../stacks/plan/accounts";
import { compareStacks, compareWithPrevious } from "../../stacks/plan/changes";
import { followUpsOf } from "../../stacks/plan/follow-ups";
import { buildPlanReport, formatReportSections, renderPlanMarkdown } from "../../stacks/plan/report";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { validateHubConfig } from "../../stacks/config/validate";
import { hubRawConfig } from "../support/org-model";
import { planOf } from "../support/plans";

const prod = () => validateHubConfig("prod", hubRawConfig("prod"));

describe("plan summary: per account", () => {
  it("prod payments: clusters, collector, VPC endpoints, alarms, and where each severity of its alerts goes", () => {
    const payments = summariseAccounts(prod()).find((a) => a.account === "payments")!;
    expect(payments).to.deep.include({
      accountId: "320987654321",
      stack: "prod-payments",
      team: "payments",
      clusters: [
        { name: "payments-prod-a", kind: "existing", vpcEndpoint: true },
        { name: "payments-prod-b", kind: "existing", vpcEndpoint: true },
      ],
      vpcEndpoints: ["payments-prod-a", "payments-prod-b"],
    });
    expect(payments.collector).to.deep.equal({ mode: "prometheus", prometheusMode: "agent", scrapeInterval: "30s" });
    expect(payments.alarms.length).to.be.greaterThan(0);
    expect(payments.routing).to.deep.include({ team: "payments", severity: "critical", sources: ["amp", "cloudwatch"], destinations: ["slack-payments", "pagerduty-oncall", "jira-ops"] });
    expect(payments.routing).to.deep.include({ team: "payments", severity: "info", sources: ["amp"], destinations: ["slack-payments"] });
  });

  it("prod search: the managed scraper, no VPC endpoint", () => {
    const search = summariseAccounts(prod()).find((a) => a.account === "search")!;
    expect(search.collector).to.deep.equal({ mode: "managed-scraper", scrapeInterval: "30s" });
    expect(search.vpcEndpoints).to.deep.equal([]);
  });

  it("prod search: the scraper's way into each cluster, as the planned stack decided it from the authentication mode", async () => {
    const plan = await planOf("prod");
    const search = summariseAccounts(prod(), Object.fromEntries(plan.stacks.map((s) => [s.stack, s.outputs]))).find((a) => a.account === "search")!;
    expect(search.collector.scraperAccess).to.deep.equal({ "search-prod": { authenticationMode: "CONFIG_MAP", method: "aws-auth" } });
    expect(accountLines(search)).to.include(
      "scraper access (authentication mode read at deploy): search-prod CONFIG_MAP -> aps-collector-role RBAC installed, aws-auth mapping by hand");
  });
});

describe("plan summary: manual steps from the config", () => {
  const steps = () => followUpsOf(prod());

  it("names every destination secret to fill, with the JSON its type reads", () => {
    const secrets = steps().filter((f) => f.kind === "destination-secret");
    expect(secrets.map((f) => f.command!.match(/--secret-id (\S+)/)![1])).to.deep.equal([
      "observability/prod/alerting/slack-payments",
      "observability/prod/alerting/slack-platform",
      "observability/prod/alerting/pagerduty-oncall",
      "observability/prod/alerting/jira-ops",
    ]);
    expect(secrets[2].command).to.include(`'{"routingKey":"<Events API v2 integration key>"}'`);
    expect(secrets.every((f) => f.when === "after" && f.account === "hub")).to.equal(true);
  });

  it("asks each pipeline health recipient to confirm the SNS subscription", () => {
    expect(steps().filter((f) => f.kind === "email-confirmation").map((f) => f.what.split(" ")[0]))
      .to.deep.equal(["observability-oncall@example.com", "platform-leads@example.com"]);
  });

  it("gives each deploy role access to the existing clusters it installs into, and the scraper its access", () => {
    const entries = steps().filter((f) => f.kind === "eks-access-entry");
    expect(entries.map((f) => `${f.account}/${f.command!.match(/--cluster-name (\S+)/)![1]}`)).to.deep.equal([
      "payments/payments-prod-a", "payments/payments-prod-b", "search/search-prod", "data/data-prod",
    ]);
    expect(entries[0].command).to.include("--principal-arn arn:aws:iam::320987654321:role/observability-deploy");
    expect(entries[0].when).to.equal("before");
    const [scraper, ...others] = steps().filter((f) => f.kind === "scraper-access");
    expect([scraper.account, others]).to.deep.equal(["search", []]);
    expect(scraper.what).to.match(/^only if cluster search-prod authenticates with CONFIG_MAP .* to the user aps-collector-user in aws-auth/);
    expect(scraper.command).to.equal("eksctl create iamidentitymapping --region eu-west-1 --cluster search-prod --username aps-collector-user " +
      "--arn \"$(pulumi stack output -s prod-search scraperAccess --json | jq -r '.[\"search-prod\"].awsAuthRoleArn')\"");
  });

  it("asks for the Promxy DNS record on the certificate's name", () => {
    const [dns] = steps().filter((f) => f.kind === "dns-record");
    expect(dns.what).to.match(/^point promxy\.observability\.example\.com \(CNAME or alias\) at the ALB of ingress promxy-alb in namespace ingress-nginx; the certificate arn:aws:acm:eu-west-1:220987654321:certificate\/\S+ must cover promxy\.observability\.example\.com/);
  });

  it("dev has no DNS step and no scraper step (no hostname, no managed scraper)", () => {
    const dev = followUpsOf(validateHubConfig("dev", hubRawConfig("dev")));
    expect(dev.filter((f) => f.kind === "dns-record" || f.kind === "scraper-access")).to.deep.equal([]);
    expect(dev.filter((f) => f.kind === "eks-access-entry").map((f) => f.account)).to.deep.equal(["payments"]);
  });
});

describe("plan summary: changes since the previous plan", () => {
  const record = (name: string, inputs: Record<string, unknown>, provider = "p1"): ResourceRecord => ({
    urn: `urn:pulumi:dev::p::aws:iam/role:Role::${name}`, type: "aws:iam/role:Role", name, custom: true, parent: null, provider, accountId: null, inputs,
  });

  it("lists added, removed and changed resources with the input keys that changed (key order does not count)", () => {
    const before = [record("a", { x: { b: 1, a: 2 }, y: 1 }), record("b", {}), record("c", { z: 1 })];
    const after = [record("a", { x: { a: 2, b: 1 }, y: 2, w: 0 }), record("c", { z: 1 }, "p2"), record("d", {})];
    expect(compareStacks("dev", before, after)).to.deep.equal({
      stack: "dev",
      status: "changed",
      added: [{ type: "aws:iam/role:Role", name: "d" }],
      removed: [{ type: "aws:iam/role:Role", name: "b" }],
      changed: [{ type: "aws:iam/role:Role", name: "a", keys: ["w", "y"] }, { type: "aws:iam/role:Role", name: "c", keys: ["(provider)"] }],
    });
  });

  it("says when there was nothing to compare with", () => {
    expect(compareWithPrevious(undefined, [{ stack: "dev", resources: [] }])).to.deep.equal({ compared: false, stacks: [] });
  });
});

describe("plan summary files", function () {
  this.timeout(60_000);

  it("plan.md: stacks, accounts, changes, policy findings and manual steps, ready for a pull-request comment", async () => {
    const plan = await planOf("prod");
    const config = prod();
    const report = buildPlanReport({
      plan, region: "eu-west-1", accounts: summariseAccounts(config), followUps: followUpsOf(config),
      policy: plan.stacks.map((s) => ({ stack: s.stack, violations: [] })),
      changes: compareWithPrevious(new Map([["prod", plan.stacks[0].resources.slice(1)]]), plan.stacks),
      plannedAt: new Date("2026-01-01T00:00:00Z"),
    });
    expect(report.plannedAt).to.equal("2026-01-01T00:00:00.000Z");
    const markdown = renderPlanMarkdown(report);
    for (const heading of ["## Offline plan of `prod`", "### Accounts", "### Changes since the previous plan", "### Policy findings", "### Manual steps"]) {
      expect(markdown).to.include(`${heading}\n`);
    }
    expect(markdown).to.include("| prod | hub | 220987654321 |");
    expect(markdown).to.include("| prod-payments | workload | 320987654321 |");
    expect(markdown).to.include("new stack");
    expect(markdown).to.include("**payments** (320987654321, stack `prod-payments`, team payments)");
    expect(markdown).to.include("- alerts of team payments, critical (rules+alarms) -> slack-payments, pagerduty-oncall, jira-ops");
    expect(markdown).to.include("`aws secretsmanager put-secret-value --region eu-west-1 --secret-id observability/prod/alerting/jira-ops");
    expect(formatReportSections(report)).to.include("## Manual steps\nbefore pulumi up:\n  - [payments] give the deploy role");
  });
});
