import { expect } from "chai";
import { ConfigErrors } from "../../stacks/config/errors";
import { resolveWorkloadRecord, validateHubAccountStackConfig, validateHubConfig, validateWorkloadStackConfig } from "../../stacks/config/validate";
import { parseConfigText } from "../../stacks/config/read";
import { hubAccountStackConfig } from "../../stacks/plan/stack-files";
import { WorkloadStackRecords } from "../../stacks/contract";
import { runStackUnderMocks, StackRunError } from "../../stacks/plan/run-stack";
import { HubConfigCase, expectConfigError, itRejectsHubConfig } from "../support/config-errors";
import { hubRawConfig } from "../support/org-model";

describe("hub config validation", () => {
  it("accepts the committed dev and prod organisation models", () => {
    expect(validateHubConfig("dev", hubRawConfig("dev")).workloads.map((w) => w.name)).to.deep.equal(["payments", "search"]);
    expect(validateHubConfig("prod", hubRawConfig("prod")).workloads).to.have.length(3);
  });

  it("fills defaults (collector mode prometheus, agent, 30s)", () => {
    const raw = hubRawConfig("dev");
    delete raw.workloads[0].collector;
    const collector = validateHubConfig("dev", raw).workloads[0].collector;
    expect(collector).to.deep.include({ mode: "prometheus", prometheusMode: "agent", scrapeInterval: "30s", namespace: "amp-collector" });
  });

  const cases: HubConfigCase[] = [
    ["malformed 12-digit account id", (r) => { r.workloads[0].accountId = "31098765432"; }, "observability:workloads[0].accountId", /12-digit/],
    ["account id given as a YAML number", (r) => { r.workloads[1].accountId = 410987654321; }, "observability:workloads[1].accountId", /quote/],
    ["duplicate account names", (r) => { r.workloads[1].name = "payments"; }, "observability:workloads", /"payments" is listed more than once/],
    ["duplicate account ids", (r) => { r.workloads[1].accountId = r.workloads[0].accountId; r.workloads[1].deployRoleArn = r.workloads[0].deployRoleArn; }, "observability:workloads", /listed more than once/],
    ["hub account listed as a workload", (r) => { r.workloads[0].accountId = r.hub.accountId; r.workloads[0].deployRoleArn = r.hub.deployRoleArn; r.workloads[0].clusters[0].oidcProviderArn = r.workloads[0].clusters[0].oidcProviderArn.replace("310987654321", r.hub.accountId); }, "observability:workloads[0].accountId", /uses the hub account/],
    ["bad region", (r) => { r.hub.region = "eu-westish-1"; }, "observability:hub.region", /region code/],
    ["missing cluster settings", (r) => { r.workloads[0].clusters = [{ name: "payments-dev" }]; }, "observability:workloads[0].clusters[0]", /oidcProviderArn/],
    ["no cluster at all", (r) => { r.workloads[0].clusters = []; }, "observability:workloads[0].clusters", /at least one EKS cluster/],
    ["workload deploy role in another account", (r) => { r.workloads[0].deployRoleArn = "arn:aws:iam::999999999999:role/observability-deploy"; }, "observability:workloads[0].deployRoleArn", /wrong account/],
    ["hub deploy role in another account", (r) => { r.hub.deployRoleArn = "arn:aws:iam::310987654321:role/observability-deploy"; }, "observability:hub.deployRoleArn", /wrong account/],
    ["OIDC issuer that does not match its provider", (r) => { r.workloads[0].clusters[0].oidcIssuerUrl = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"; }, "observability:workloads[0].clusters[0].oidcIssuerUrl", /does not match/],
    ["managed scraper without subnets", (r) => { r.workloads[0].collector = { mode: "managed-scraper" }; }, "observability:workloads[0].clusters[0].subnetIds", /subnets/],
    ["replicas for the managed scraper", (r) => { r.workloads[0].collector = { mode: "managed-scraper", replicas: 2 }; }, "observability:workloads[0].collector.replicas", /managed scraper .* no replicas/],
    ["no collector replica", (r) => { r.workloads[0].collector = { mode: "prometheus", replicas: 0 }; }, "observability:workloads[0].collector.replicas", /greater than or equal to 1/],
    ["a misspelt key", (r) => { r.workloads[0].colector = { mode: "prometheus" }; }, "observability:workloads[0]", /colector/],
    ["missing Grafana admin groups", (r) => { r.grafana.sso.adminGroupIds = []; }, "observability:grafana.sso.adminGroupIds", /at least one/],
    ["missing environment", (r) => { delete r.environment; }, "observability:environment", /required/],
    ["an unknown alarm preset", (r) => { r.workloads[1].alarms = [{ preset: "sqs-depth", resource: "q" }]; }, "observability:workloads[1].alarms[0].preset", /known alarm preset: sqs-oldest-message-age/],
    ["an alarm declared twice", (r) => { r.workloads[1].alarms = [{ preset: "lambda-errors", resource: "f" }, { preset: "lambda-errors", resource: "f" }]; }, "observability:workloads[1].alarms", /lambda-errors on f is declared more than once/],
    ["a route to an unknown destination", (r) => { r.alerting.routes[0].destination = "slack-typo"; }, "observability:alerting.routes[0].destination", /"slack-typo", which is not a destination/],
    ["a route for a team no alert carries", (r) => { r.alerting.routes[0].teams = ["paymnets"]; }, "observability:alerting.routes[0].teams", /team "paymnets" is carried by no alert/],
    ["two routes to one destination", (r) => { r.alerting.routes.push({ destination: r.alerting.routes[0].destination, severities: ["warning"] }); }, "observability:alerting.routes", /has more than one route/],
    ["a Jira destination without its project", (r) => { r.alerting.destinations.push({ name: "jira-ops", type: "jira" }); }, "observability:alerting.destinations[2].jira", /has no project/],
    ["an unknown destination type", (r) => { r.alerting.destinations[0].type = "teams"; }, "observability:alerting.destinations[0].type", /slack/],
    ["no pipeline health recipient", (r) => { r.alerting.pipelineHealthEmails = []; }, "observability:alerting.pipelineHealthEmails", /someone must hear/],
    ["missing alerting section", (r) => { delete r.alerting; }, "observability:alerting", /required/],
    ["a rule override with an unknown group", (r) => { r.workloads[0].rules = { disabledGroups: ["kubernetes-everything"] }; }, "observability:workloads[0].rules.disabledGroups[0]", /kubernetes-pods/],
    ["an alertmanager repeat interval beyond AMP's limit", (r) => { r.alerting.alertmanager = { timing: { repeatInterval: "10d" } }; }, "observability:alerting.alertmanager", /repeat/i],
    ["rule thresholds that contradict each other", (r) => { r.workloads[0].rules = { thresholds: { ampQuotaWarningRatio: 0.99 } }; }, "observability:workloads[0].rules", /ampQuotaWarningRatio must be below ampQuotaCriticalRatio/],
  ];
  itRejectsHubConfig("dev", cases);

  it("reports every problem of a file at once", () => {
    const raw = hubRawConfig("dev");
    raw.workloads[0].deployRoleArn = "arn:aws:iam::999999999999:role/x";
    raw.workloads[1].name = "payments";
    try {
      validateHubConfig("dev", raw);
      expect.fail("should have thrown");
    } catch (error) {
      expect((error as ConfigErrors).errors).to.have.length(2);
    }
  });

  it("stops the hub program before any resource is declared", async () => {
    const raw = hubRawConfig("dev");
    raw.workloads[0].accountId = "123";
    const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`observability:${k}`, v]));
    try {
      await runStackUnderMocks({ stack: "dev", config, fallbackTarget: { accountId: "210987654321", region: "eu-west-1" } });
      expect.fail("the program should have refused the config");
    } catch (error) {
      expect(error).to.be.instanceOf(StackRunError);
      expect((error as Error).message).to.include('config key "observability:workloads[0].accountId"');
      expect((error as StackRunError).declared).to.deep.equal([]);
    }
  });
});

describe("workload stack config validation", () => {
  const records = {
    payments: { accountName: "payments", accountId: "310987654321", environment: "dev", deployRoleArn: "arn:aws:iam::310987654321:role/observability-deploy" },
  } as unknown as WorkloadStackRecords;

  it("resolves its record from the hub output", () => {
    const config = validateWorkloadStackConfig("dev-payments", { hubStack: "acme/obs/dev", accountName: "payments" });
    expect(resolveWorkloadRecord("dev-payments", config, records).accountId).to.equal("310987654321");
  });

  it("rejects an account the hub does not know, listing the known ones", () => {
    const config = validateWorkloadStackConfig("dev-billing", { hubStack: "dev", accountName: "billing" });
    expectConfigError(() => resolveWorkloadRecord("dev-billing", config, records), "observability:accountName", /not registered.*registered: payments/);
  });

  it("rejects deploy credentials that land in a different account", () => {
    const config = validateWorkloadStackConfig("dev-payments", {
      hubStack: "dev", accountName: "payments", deployRoleArn: "arn:aws:iam::410987654321:role/ci-deploy",
    });
    expectConfigError(() => resolveWorkloadRecord("dev-payments", config, records), "observability:deployRoleArn", /is in account 410987654321/);
  });

  it("rejects a stack whose name does not match its environment and account", () => {
    const config = validateWorkloadStackConfig("prod-payments", { hubStack: "dev", accountName: "payments" });
    expectConfigError(() => resolveWorkloadRecord("prod-payments", config, records), "observability:accountName", /must be named "dev-payments"/);
  });

  it("rejects a hub stack that has not been deployed", () => {
    const config = validateWorkloadStackConfig("dev-payments", { hubStack: "dev", accountName: "payments" });
    expectConfigError(() => resolveWorkloadRecord("dev-payments", config, undefined), "observability:hubStack", /no "workloads" output/);
  });

  it("rejects a malformed hub stack name and account name", () => {
    expectConfigError(() => validateWorkloadStackConfig("dev-x", { hubStack: "a/b/c/d", accountName: "payments" }), "observability:hubStack", /stack name/);
    expectConfigError(() => validateWorkloadStackConfig("dev-x", { hubStack: "dev", accountName: "Payments!" }), "observability:accountName", /lower-case/);
  });

  it("stops the workload program before declaring anything when its account is unknown", async () => {
    try {
      await runStackUnderMocks({
        stack: "dev-billing",
        config: { "observability:hubStack": "dev", "observability:accountName": "billing" },
        referencedStacks: { dev: { workloads: records }, "dev-hub-payments": { workloads: records } },
        fallbackTarget: { accountId: "310987654321", region: "eu-west-1" },
      });
      expect.fail("should have thrown");
    } catch (error) {
      expect((error as Error).message).to.match(/the hub stack of account "billing", "dev-hub-billing", has no "workloads" output/);
      expect((error as Error).message).to.match(/register the account in the workloads of the hub's Pulumi.<env>.yaml/);
      // Only the read of the hub's outputs happened; nothing was declared in the account.
      expect((error as StackRunError).declared.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:StackReference"]);
    }
  });
});

describe("account hub stack config", () => {
  it("reads the account's entry as one JSON text, so an account id stays a string", () => {
    const entry = { name: "payments", accountId: "310987654321", deployRoleArn: "arn:aws:iam::310987654321:role/observability-deploy", team: "payments",
      clusters: [{ name: "payments-dev", create: { instanceType: "t3.medium", desiredCapacity: 1 } }] };
    const config = hubAccountStackConfig("dev", entry);
    expect(config["observability:account"]).to.be.a("string");
    const raw = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("observability:"))
      .map(([k, v]) => [k.slice("observability:".length), typeof v === "string" ? parseConfigText(v) : v]));
    const parsed = validateHubAccountStackConfig("dev-hub-payments", raw);
    expect(parsed.account.accountId).to.equal("310987654321");
    expect(parsed.account.name).to.equal("payments");
  });

  it("refuses an entry of another account than the stack's", () => {
    const raw = { hubStack: "dev", accountName: "payments", hubPart: "account",
      account: { name: "search", accountId: "410987654321", deployRoleArn: "arn:aws:iam::410987654321:role/observability-deploy", team: "search", clusters: [{ name: "s", create: {} }] } };
    expectConfigError(() => validateHubAccountStackConfig("dev-hub-payments", raw), "observability:account.name", /the account entry is "search", but the stack is for account "payments"/);
  });

  it("refuses an account entry on a workload stack", () => {
    expectConfigError(() => validateWorkloadStackConfig("dev-payments", { hubStack: "dev", accountName: "payments", account: { name: "payments" } }),
      "observability:account", /only an account's hub stack \(hubPart: account\) reads an account entry/);
  });
});
