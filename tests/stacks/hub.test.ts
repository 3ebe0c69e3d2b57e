import { expect } from "chai";
import { PlannedStack } from "../../stacks/plan/plan";
import { isSecretValue } from "../../stacks/plan/mocks";
import { redactedOutputs } from "../../stacks/plan/plan";
import { doc, named, ofType, hubSideOf, planOf } from "../support/plans";

const HUB = "210987654321";
const PAYMENTS = "310987654321";
const SEARCH = "410987654321";

describe("hub stack (dev) under mocks", () => {
  let hub: PlannedStack;
  before(async () => {
    hub = await hubSideOf("dev");
  });

  it("deploys every AWS resource of each hub-side stack through that stack's provider, pinned to the hub account via its deploy role", async () => {
    const stacks = (await planOf("dev")).stacks.filter((s) => s.kind !== "workload");
    expect(stacks.map((s) => s.stack)).to.deep.equal(["dev", "dev-hub-payments", "dev-hub-search", "dev-query"]);
    for (const stack of stacks) {
      const providers = ofType(stack, "pulumi:providers:aws");
      expect(providers, stack.stack).to.have.length(1);
      const inputs = providers[0].inputs;
      expect(JSON.parse(inputs.allowedAccountIds as string)).to.deep.equal([HUB]);
      expect(JSON.parse(inputs.assumeRoles as string)[0].roleArn).to.equal(`arn:aws:iam::${HUB}:role/observability-deploy`);
      for (const r of stack.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
        expect(r.provider, `${stack.stack} ${r.type} ${r.name}`).to.equal(providers[0].urn);
        expect(r.accountId, `${stack.stack} ${r.type} ${r.name}`).to.equal(HUB);
      }
    }
    expect(hub.resources.filter((r) => r.custom && r.type.startsWith("aws:")).length).to.be.greaterThan(10);
  });

  it("drives every Grafana resource through its stack's explicit provider, authenticated by the secret token", async () => {
    const stacks = (await planOf("dev")).stacks.filter((s) => s.resources.some((r) => r.type.startsWith("grafana:")));
    expect(stacks.map((s) => s.stack)).to.deep.equal(["dev-hub-payments", "dev-hub-search", "dev-query"]);
    for (const stack of stacks) {
      const providers = ofType(stack, "pulumi:providers:grafana");
      expect(providers, stack.stack).to.have.length(1);
      expect(providers[0].inputs.auth).to.equal("[secret]");
      expect(providers[0].inputs.url).to.equal("https://g-known-at-deploy.grafana-workspace.eu-west-1.amazonaws.com");
      for (const r of stack.resources.filter((x) => x.type.startsWith("grafana:"))) expect(r.provider, r.name).to.equal(providers[0].urn);
    }
    // 3 folders, 5 data sources, 4 dashboards per account and the AMP usage dashboard.
    expect(hub.resources.filter((r) => r.type.startsWith("grafana:"))).to.have.length(3 + 5 + 2 * 4 + 1);
  });

  it("keeps the token a secret from the shared stack's output to the account stacks' providers", async () => {
    const shared = (await planOf("dev")).stacks.find((s) => s.stack === "dev")!;
    expect(isSecretValue(shared.outputs.grafanaApiToken), "the shared stack exports the token as a secret").to.equal(true);
    expect(redactedOutputs(shared.outputs).grafanaApiToken).to.equal("[secret]");
  });

  it("creates one AMP workspace per account with alias, retention and logging", () => {
    const workspaces = ofType(hub, "aws:amp/workspace:Workspace");
    expect(workspaces.map((w) => w.inputs.alias)).to.have.members(["dev-payments", "dev-search"]);
    const payments = named(hub, "hub-dev-payments-workspace");
    expect((payments.inputs.loggingConfiguration as any).logGroupArn).to.equal(
      `arn:aws:logs:eu-west-1:${HUB}:log-group:/aws/vendedlogs/prometheus/dev-payments:*`);
    expect((payments.inputs.tags as any)["observability:account"]).to.equal("payments");
    for (const c of ofType(hub, "aws:amp/workspaceConfiguration:WorkspaceConfiguration")) expect(c.inputs.retentionPeriodInDays).to.equal(30);
  });

  for (const [account, accountId, other] of [["payments", PAYMENTS, "search"], ["search", SEARCH, "payments"]]) {
    it(`lets only the ${account} collector assume the ${account} ingest role`, () => {
      const role = named(hub, `hub-dev-${account}-ingest`);
      expect(role.inputs.name).to.equal(`amp-ingest-dev-${account}`);
      expect(role.inputs.managedPolicyArns ?? []).to.deep.equal([]);
      expect(doc(role.inputs.assumeRolePolicy)).to.deep.equal({
        Version: "2012-10-17",
        Statement: [{
          Sid: "TrustNamedRoleOfAccount",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: "sts:AssumeRole",
          Condition: { ArnEquals: { "aws:PrincipalArn": [`arn:aws:iam::${accountId}:role/amp-collector-dev-${account}`] } },
        }],
      });
    });

    it(`lets the ${account} ingest role remote-write to its own workspace and nothing else`, () => {
      const policy = doc(named(hub, `hub-dev-${account}-ingest-remote-write`).inputs.policy);
      expect(policy.Statement).to.deep.equal([{
        Sid: "RemoteWriteToOwnWorkspace",
        Effect: "Allow",
        Action: "aps:RemoteWrite",
        Resource: `arn:aws:aps:eu-west-1:${HUB}:workspace/ws-known-at-deploy-dev-${account}`,
      }]);
      expect(JSON.stringify(policy)).not.to.include(`dev-${other}`);
    });
  }

  it("never attaches a managed policy", () => {
    expect(ofType(hub, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.deep.equal([]);
    expect(ofType(hub, "aws:iam/policyAttachment:PolicyAttachment")).to.deep.equal([]);
  });

  it("runs Grafana as its own role: query the environment's hub workspaces, assume the CloudWatch read role of the organisation's accounts", () => {
    const role = named(hub, "hub-dev-grafana-role");
    const trust = doc(role.inputs.assumeRolePolicy).Statement[0];
    expect(trust.Principal).to.deep.equal({ Service: "grafana.amazonaws.com" });
    expect(trust.Condition).to.deep.equal({
      StringEquals: { "aws:SourceAccount": HUB },
      ArnLike: { "aws:SourceArn": `arn:aws:grafana:eu-west-1:${HUB}:/workspaces/*` },
    });
    const [query, assume] = doc(named(hub, "hub-dev-grafana-role-access").inputs.policy).Statement;
    expect(query.Action).to.deep.equal(["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"]);
    // Scoped by tag and organisation: the same size for 2 accounts or 1,000.
    expect(query.Resource).to.equal(`arn:aws:aps:eu-west-1:${HUB}:workspace/*`);
    expect(query.Condition).to.deep.equal({ StringEquals: { "aws:ResourceTag/observability:environment": "dev" } });
    for (const workspace of ofType(hub, "aws:amp/workspace:Workspace")) {
      expect((workspace.inputs.tags as Record<string, string>)["observability:environment"], workspace.name).to.equal("dev");
    }
    expect(assume).to.deep.equal({
      Sid: "AssumeWorkloadCloudWatchReadRoles", Effect: "Allow", Action: "sts:AssumeRole",
      Resource: "arn:aws:iam::*:role/grafana-cloudwatch-read-dev",
      Condition: { StringEquals: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } },
    });
  });

  it("logs into Grafana with SSO only, with the configured groups per role", () => {
    const [workspace] = ofType(hub, "aws:grafana/workspace:Workspace");
    expect(workspace.inputs).to.deep.include({
      authenticationProviders: ["AWS_SSO"], permissionType: "CUSTOMER_MANAGED", accountAccessType: "CURRENT_ACCOUNT",
      roleArn: `arn:aws:iam::${HUB}:role/grafana-workspace-dev`, grafanaVersion: "10.4",
    });
    const associations = Object.fromEntries(ofType(hub, "aws:grafana/roleAssociation:RoleAssociation").map((a) => [a.inputs.role, a.inputs.groupIds]));
    expect(associations).to.deep.equal({
      ADMIN: ["9067729b3d-1c2e8f4a-7d3b-4c1e-9f0a-2b5d6e7f8a90"],
      EDITOR: ["9067729b3d-3e4f5a6b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"],
    });
    const [token] = ofType(hub, "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken");
    expect(token.inputs.secondsToLive).to.equal(7 * 24 * 3600);
  });

  it("gives each account a folder, an AMP data source on its own workspace and a CloudWatch data source on its own read role", () => {
    const folders = ofType(hub, "grafana:oss/folder:Folder").map((f) => [f.inputs.uid, f.inputs.title]);
    expect(folders).to.have.deep.members([["dev-payments", "payments (dev)"], ["dev-search", "search (dev)"], ["dev-all-accounts", "All accounts (dev)"]]);
    for (const [account, accountId] of [["payments", PAYMENTS], ["search", SEARCH]]) {
      const amp = named(hub, `hub-dev-${account}-grafana-amp`).inputs;
      expect(amp).to.deep.include({ uid: `amp-dev-${account}`, type: "prometheus", url: `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-known-at-deploy-dev-${account}` });
      expect(JSON.parse(amp.jsonDataEncoded as string)).to.deep.include({ sigV4Auth: true, sigV4AuthType: "ec2_iam_role", sigV4Region: "eu-west-1", httpMethod: "POST" });
      const cw = named(hub, `hub-dev-${account}-grafana-cloudwatch`).inputs;
      expect(cw).to.deep.include({ uid: `cw-dev-${account}`, type: "cloudwatch" });
      expect(JSON.parse(cw.jsonDataEncoded as string)).to.deep.equal({
        authType: "ec2_iam_role", defaultRegion: "eu-west-1", assumeRoleArn: `arn:aws:iam::${accountId}:role/grafana-cloudwatch-read-dev`,
      });
    }
  });

  it("puts each account's dashboards in its folder, on its own AMP data source", () => {
    for (const account of ["payments", "search"]) {
      const dashboards = ofType(hub, "grafana:oss/dashboard:Dashboard").filter((d) => d.name.startsWith(`hub-dev-${account}-`));
      expect(dashboards.map((d) => JSON.parse(d.inputs.configJson as string).uid)).to.have.members(
        ["cluster", "nodes", "workloads", "collector"].map((kind) => `dev-${account}-${kind}`));
      for (const d of dashboards) {
        expect(d.inputs.folder).to.equal(`dev-${account}`);
        expect(d.inputs.configJson).to.include(`amp-dev-${account}`);
      }
    }
  });

  it("shows AMP usage from the hub's own CloudWatch, and no unified data source when Promxy is off", () => {
    const hubCloudWatch = named(hub, "hub-dev-all-accounts-hub-cloudwatch").inputs;
    expect(JSON.parse(hubCloudWatch.jsonDataEncoded as string)).to.deep.equal({ authType: "ec2_iam_role", defaultRegion: "eu-west-1" });
    const statements = doc(named(hub, "hub-dev-grafana-role-access").inputs.policy).Statement;
    expect(statements.find((s: any) => s.Sid === "ReadAlarmsOfThisAccount").Resource).to.equal(`arn:aws:cloudwatch:*:${HUB}:alarm:*`);
    const hubDashboards = ofType(hub, "grafana:oss/dashboard:Dashboard").filter((d) => d.inputs.folder === "dev-all-accounts");
    expect(hubDashboards.map((d) => JSON.parse(d.inputs.configJson as string).uid)).to.deep.equal(["dev-amp-usage"]);
    expect(ofType(hub, "grafana:oss/dataSource:DataSource").map((d) => d.inputs.uid)).not.to.include("all-accounts-dev");
    expect(ofType(hub, "observability:index:UnifiedQuery")).to.deep.equal([]);
  });

  it("publishes one workloads output keyed by account name with everything a workload stack needs", () => {
    const workloads = hub.outputs.workloads as Record<string, any>;
    expect(Object.keys(workloads)).to.deep.equal(["payments", "search"]);
    expect(workloads.payments).to.deep.include({
      accountId: PAYMENTS, environment: "dev", region: "eu-west-1",
      workspaceId: "ws-known-at-deploy-dev-payments",
      workspaceArn: `arn:aws:aps:eu-west-1:${HUB}:workspace/ws-known-at-deploy-dev-payments`,
      remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-known-at-deploy-dev-payments/api/v1/remote_write",
      queryUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-known-at-deploy-dev-payments",
      ingestRoleArn: `arn:aws:iam::${HUB}:role/amp-ingest-dev-payments`,
      grafanaRoleArn: `arn:aws:iam::${HUB}:role/grafana-workspace-dev`,
      collectorRoleName: "amp-collector-dev-payments",
      cloudWatchReadRoleName: "grafana-cloudwatch-read-dev",
      deployRoleArn: `arn:aws:iam::${PAYMENTS}:role/observability-deploy`,
    });
  });
});

describe("hub stack (prod) under mocks", () => {
  it("runs Promxy over exactly the hub's workspaces behind an 'All accounts' data source with secret basic auth", async () => {
    const hub = await hubSideOf("prod");
    expect(ofType(hub, "observability:index:UnifiedQuery")).to.have.length(1);
    const [configMap] = ofType(hub, "kubernetes:core/v1:ConfigMap").filter((c) => c.name.includes("unified-query"));
    const promxy = JSON.stringify(configMap.inputs.data);
    for (const account of ["payments", "search", "data"]) expect(promxy).to.include(`/workspaces/ws-known-at-deploy-prod-${account}`);
    const allAccounts = ofType(hub, "grafana:oss/dataSource:DataSource").find((d) => d.inputs.uid === "all-accounts-prod")!;
    expect(allAccounts.inputs.secureJsonDataEncoded).to.equal("[secret]");
    expect(allAccounts.inputs.basicAuthEnabled).to.equal(true);
    const overview = ofType(hub, "grafana:oss/dashboard:Dashboard").find((d) => d.name.endsWith("prod-all-accounts"))!;
    expect(overview.inputs.configJson).to.include("all-accounts-prod");
  });


  it("encrypts every workspace with one customer-managed key usable only through AMP", async () => {
    const hub = await hubSideOf("prod");
    const [key] = ofType(hub, "aws:kms/key:Key");
    expect(key.inputs.enableKeyRotation).to.equal(true);
    const use = doc(key.inputs.policy).Statement.find((s: any) => s.Sid === "UseOnlyThroughService");
    expect(use.Condition.StringEquals).to.deep.equal({ "kms:ViaService": "aps.eu-west-1.amazonaws.com", "kms:CallerAccount": "220987654321" });
    const workspaces = ofType(hub, "aws:amp/workspace:Workspace");
    expect(workspaces).to.have.length(3);
    for (const w of workspaces) expect(w.inputs.kmsKeyArn).to.equal("arn:aws:kms:eu-west-1:220987654321:key/known-at-deploy-hub-prod-amp-key");
  });
});
