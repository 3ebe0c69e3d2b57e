/**
 * The scalable layout: the shared hub stack, one hub stack per account, the query stack.
 * How the hub-side stacks find each other, refuse what does not fit, and that the component
 * library still composes the same hub as one stack for a small organisation.
 */
import { expect } from "chai";
import { AlertPipeline } from "../../components/alert-pipeline";
import { Severity } from "../../components/alert-pipeline/notifier/alert";
import { DestinationType } from "../../components/alert-pipeline/notifier/config";
import { ObservabilityHub } from "../../components/observability-hub";
import { validateHubConfig } from "../../stacks/config/validate";
import { workspacesOfModel } from "../../stacks/hub-query";
import { deployProvider } from "../../stacks/providers";
import { StackRunError, runStackUnderMocks } from "../../stacks/plan/run-stack";
import { hubAccountStackConfig, hubQueryStackConfig } from "../../stacks/plan/stack-files";
import { HubSettings } from "../../stacks/contract";
import { expectConfigError } from "../support/config-errors";
import { runUnderPlanMocks } from "../support/components-under-plan";
import { hubRawConfig } from "../support/org-model";
import { hubSide, planOf } from "../support/plans";

const HUB = "210987654321";
const target = { accountId: HUB, region: "eu-west-1" };

async function rejection(run: Promise<unknown>): Promise<StackRunError> {
  try {
    await run;
  } catch (error) {
    return error as StackRunError;
  }
  return expect.fail("the stack should have been refused");
}

describe("stack layout: shared hub, account hub stacks, query stack", () => {
  it("refuses an account hub stack for an account the shared hub does not list, before declaring anything", async () => {
    const shared = (await planOf("dev")).stacks.find((s) => s.stack === "dev")!;
    const error = await rejection(runStackUnderMocks({
      stack: "dev-hub-billing", config: hubAccountStackConfig("dev", { ...hubRawConfig("dev").workloads[0], name: "billing" }), referencedStacks: { dev: shared.outputs }, fallbackTarget: target,
    }));
    expect(error.message).to.contain('config key "observability:accountName": account "billing" is not in the organisation model of hub stack "dev" (accounts: payments, search)');
    expect(error.message).to.contain("pulumi destroy, then pulumi stack rm");
    expect(error.declared.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:StackReference"]);
  });

  it("refuses an account hub stack run under another stack's name", async () => {
    const shared = (await planOf("dev")).stacks.find((s) => s.stack === "dev")!;
    const error = await rejection(runStackUnderMocks({
      stack: "dev-payments", config: hubAccountStackConfig("dev", hubRawConfig("dev").workloads[0]), referencedStacks: { dev: shared.outputs }, fallbackTarget: target,
    }));
    expect(error.message).to.contain('this account stack of environment "dev" must be named "dev-hub-payments"');
  });

  it("refuses an account hub stack whose shared hub has not been deployed", async () => {
    const error = await rejection(runStackUnderMocks({ stack: "dev-hub-payments", config: hubAccountStackConfig("dev", hubRawConfig("dev").workloads[0]), fallbackTarget: target }));
    expect(error.message).to.contain('hub stack "dev" has no "hubSettings" output');
    expect(error.message).to.contain("deploy the shared hub stack first (pulumi up -s dev)");
  });

  describe("under a self-hosted shared hub", () => {
    const selfHostedTarget = { accountId: HUB, region: "eu-west-1" };
    const sharedSelfHosted = async () => (await planOf("selfhosted")).stacks.find((s) => s.stack === "selfhosted")!;

    it("refuses an account hub stack for an account the shared hub does not list, before declaring anything", async () => {
      const error = await rejection(runStackUnderMocks({
        stack: "selfhosted-hub-billing", config: hubAccountStackConfig("selfhosted", { ...hubRawConfig("selfhosted").workloads[0], name: "billing" }),
        referencedStacks: { selfhosted: (await sharedSelfHosted()).outputs }, fallbackTarget: selfHostedTarget,
      }));
      expect(error.message).to.contain('config key "observability:accountName": account "billing" is not in the organisation model of self-hosted hub stack "selfhosted" (accounts: payments, search)');
      expect(error.message).to.contain("pulumi destroy, then pulumi stack rm");
      expect(error.declared.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:StackReference"]);
    });

    it("refuses an account hub stack run under another stack's name", async () => {
      const error = await rejection(runStackUnderMocks({
        stack: "selfhosted-payments", config: hubAccountStackConfig("selfhosted", hubRawConfig("selfhosted").workloads[0]),
        referencedStacks: { selfhosted: (await sharedSelfHosted()).outputs }, fallbackTarget: selfHostedTarget,
      }));
      expect(error.message).to.contain('this account stack of environment "selfhosted" must be named "selfhosted-hub-payments"');
    });

    it("refuses an account hub stack whose shared hub predates the per-account layout (no selfHostedSettings)", async () => {
      const { selfHostedSettings: _, ...older } = (await sharedSelfHosted()).outputs as Record<string, unknown>;
      const error = await rejection(runStackUnderMocks({
        stack: "selfhosted-hub-payments", config: hubAccountStackConfig("selfhosted", hubRawConfig("selfhosted").workloads[0]),
        referencedStacks: { selfhosted: older }, fallbackTarget: selfHostedTarget,
      }));
      expect(error.message).to.contain('config key "observability:hubStack": self-hosted hub stack "selfhosted" has no "selfHostedSettings" output');
      expect(error.message).to.contain("update the shared hub stack first (pulumi up -s selfhosted)");
    });
  });

  it("AlertPipeline refuses an empty destination list when it is declared, not later inside the notifier's config", () => {
    expect(() => new AlertPipeline("alerts-x", {
      environment: "dev", accountId: HUB, region: "eu-west-1", workloads: [], destinations: [], routes: [], notifier: { code: "" }, pipelineHealthEmails: [],
    })).to.throw("AlertPipeline: no alert destinations: give at least one, or no alert reaches anybody");
  });

  it("refuses Promxy in a query stack when no workspace of the environment exists yet", async () => {
    const prod = await planOf("prod");
    const shared = prod.stacks.find((s) => s.stack === "prod")!;
    const error = await rejection(runStackUnderMocks({
      stack: "prod-query", config: hubQueryStackConfig("prod"), referencedStacks: { prod: shared.outputs }, fallbackTarget: { accountId: "220987654321", region: "eu-west-1" },
    }));
    expect(error.message).to.contain('no AMP workspace of environment "prod" exists yet');
    expect(error.message).to.contain("deploy the accounts' hub stacks first");
  });

  it("queries the model's accounts whose workspace exists, by alias, sorted by name, and no workspace of another environment", () => {
    const settings = { environment: "dev", accountNames: ["search", "payments", "billing"] } as unknown as HubSettings;
    const found = workspacesOfModel(settings, {
      aliases: ["dev-search", "dev-payments", "dev-payments-old", "devx-billing"],
      arns: ["arn:s", "arn:p", "arn:old", "arn:x"],
      workspaceIds: ["ws-s", "ws-p", "ws-old", "ws-x"],
    });
    expect(found).to.deep.equal([
      { accountName: "payments", workspaceId: "ws-p", workspaceArn: "arn:p" },
      { accountName: "search", workspaceId: "ws-s", workspaceArn: "arn:s" },
    ]);
  });

  it("the planned query stack found every account's workspace through the provider, and says none is missing", async () => {
    for (const environment of ["dev", "prod"]) {
      const query = (await planOf(environment)).stacks.find((s) => s.kind === "hub-query")!;
      expect(query.outputs.missingAccounts, environment).to.deep.equal([]);
      expect(query.outputs.queriedAccounts, environment).to.deep.equal(hubRawConfig(environment).workloads.map((w: { name: string }) => w.name).sort());
    }
  });

  for (const [name, reason] of [["query", "<env>-query"], ["hub-payments", "<env>-hub-<account>"]]) {
    it(`refuses the account name "${name}", whose workload stack would be named like a hub stack`, () => {
      const raw = hubRawConfig("dev");
      raw.workloads[0].name = name;
      expectConfigError(() => validateHubConfig("dev", raw), "observability:workloads[0].name", new RegExp(`would name its workload stack like a hub stack: "${reason.replace(/[<>]/g, "\\$&")}`));
    });
  }
});

describe("component library: the same hub as one stack", () => {
  it("ObservabilityHub with AlertPipeline in one stack declares exactly the per-account hub resources the account hub stacks declare", async () => {
    const raw = hubRawConfig("dev");
    const config = validateHubConfig("dev", raw);
    const oneStack = await runUnderPlanMocks(async () => {
      const provider = deployProvider("hub-dev", { ...config.hub, environment: "dev" });
      const hub = new ObservabilityHub("hub-dev", {
        environment: "dev",
        accountId: config.hub.accountId,
        region: config.hub.region,
        organizationId: config.hub.organizationId,
        workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, collectorMode: w.collector.mode })),
        amp: config.hub.amp,
        grafana: { version: config.grafana.version, sso: config.grafana.sso, tokenTtlDays: config.grafana.tokenTtlDays },
      }, { providers: { aws: provider } });
      new AlertPipeline("alerts-dev", {
        environment: "dev",
        accountId: config.hub.accountId,
        region: config.hub.region,
        organizationId: config.hub.organizationId,
        workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId, team: w.team, ruleOverrides: w.rules })),
        workspaces: Object.fromEntries(Object.entries(hub.workspaces).map(([n, ws]) => [n, { workspaceId: ws.workspaceId, workspaceArn: ws.workspaceArn }])),
        destinations: config.alerting.destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
        routes: config.alerting.routes.map((r) => ({ ...r, severities: r.severities as Severity[] | undefined, sources: r.sources as ("amp" | "cloudwatch")[] | undefined })),
        notifier: { code: "exports.handler = async () => undefined;" },
        pipelineHealthEmails: [],
      }, { providers: { aws: provider } });
      return {};
    }, target);
    const accountTypes = ["aws:amp/workspace:Workspace", "aws:amp/workspaceConfiguration:WorkspaceConfiguration", "aws:iam/role:Role",
      "aws:amp/ruleGroupNamespace:RuleGroupNamespace", "aws:amp/alertManagerDefinition:AlertManagerDefinition", "grafana:oss/folder:Folder", "grafana:oss/dataSource:DataSource"];
    const perAccount = (resources: Array<{ type: string; name: string }>) => resources
      .filter((r) => accountTypes.includes(r.type) && /payments|search/.test(r.name))
      .map((r) => `${r.type} ${r.name}`).sort();
    const split = hubSide(await planOf("dev")).resources;
    expect(perAccount(oneStack.resources)).to.have.length.greaterThan(10);
    expect(perAccount(oneStack.resources)).to.deep.equal(perAccount(split));
    // And it is one stack: every resource of it in the same program run, through the one provider.
    const providers = oneStack.resources.filter((r) => r.type === "pulumi:providers:aws");
    expect(providers).to.have.length(1);
  });
});
