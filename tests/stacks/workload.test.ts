import { expect } from "chai";
import { parse } from "yaml";
import { chartServerArgs } from "../../components/workload-collector/chart-server-args";
import { PlannedStack } from "../../stacks/plan/plan";
import { doc, named, ofType, stackOf, hubSideOf } from "../support/plans";

const HUB = "210987654321";
const PAYMENTS = "310987654321";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/5C1A7E3B9D2F4A6C8E0B1D3F5A7C9E2B";

describe("workload stack dev-payments under mocks", () => {
  let hub: PlannedStack;
  let stack: PlannedStack;
  before(async () => {
    hub = await hubSideOf("dev");
    stack = await stackOf("dev", "dev-payments");
  });

  it("deploys every AWS resource into its own account through its deploy role, never the hub's", () => {
    const [provider] = ofType(stack, "pulumi:providers:aws");
    expect(JSON.parse(provider.inputs.allowedAccountIds as string)).to.deep.equal([PAYMENTS]);
    expect(JSON.parse(provider.inputs.assumeRoles as string)[0].roleArn).to.equal(`arn:aws:iam::${PAYMENTS}:role/observability-deploy`);
    const awsResources = stack.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(awsResources).to.have.length(4);
    for (const r of awsResources) expect([r.provider, r.accountId], r.name).to.deep.equal([provider.urn, PAYMENTS]);
    const [k8sProvider] = ofType(stack, "pulumi:providers:kubernetes");
    for (const r of stack.resources.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider, r.name).to.equal(k8sProvider.urn);
  });

  it("reads the hub through a StackReference to its account's hub stack, named after the environment's", () => {
    const [reference] = ofType(stack, "pulumi:pulumi:StackReference");
    expect(reference.inputs.name).to.equal("dev-hub-payments");
  });

  it("renders remote_write from the hub's actual outputs (through the StackReference)", () => {
    const record = (hub.outputs.workloads as any).payments;
    const config = parse(named(stack, "payments-payments-dev-config").inputs.data!["prometheus.yml" as never] as string);
    expect(config.remote_write).to.have.length(1);
    expect(config.remote_write[0].url).to.equal(record.remoteWriteUrl);
    expect(config.remote_write[0].sigv4).to.deep.equal({ region: "eu-west-1", role_arn: record.ingestRoleArn });
    expect(config.remote_write[0].queue_config).to.deep.equal({ max_samples_per_send: 1000, max_shards: 200, capacity: 2500 });
    expect(config.global.external_labels).to.deep.equal({ account: "payments", cluster: "payments-dev", environment: "dev" });
    expect(config.global.scrape_interval).to.equal("60s");
  });

  it("trusts exactly one service account of the cluster (sub and aud pinned) for the collector role", () => {
    const role = named(stack, "payments-collector");
    expect(role.inputs.name).to.equal("amp-collector-dev-payments");
    expect(doc(role.inputs.assumeRolePolicy).Statement).to.deep.equal([{
      Sid: "TrustCollectorOfpaymentsdev",
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${PAYMENTS}:oidc-provider/${ISSUER}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: {
        [`${ISSUER}:sub`]: "system:serviceaccount:amp-collector:amp-collector",
        [`${ISSUER}:aud`]: "sts.amazonaws.com",
      } },
    }]);
  });

  it("lets the collector role only assume its hub ingest role", () => {
    expect(doc(named(stack, "payments-collector-assume-ingest").inputs.policy).Statement).to.deep.equal([{
      Sid: "AssumeHubIngestRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: [`arn:aws:iam::${HUB}:role/amp-ingest-dev-payments`],
    }]);
  });

  it("lets only the hub's Grafana role assume the CloudWatch read role", () => {
    const role = named(stack, "payments-cloudwatch-read");
    expect(role.inputs.name).to.equal("grafana-cloudwatch-read-dev");
    expect(doc(role.inputs.assumeRolePolicy).Statement).to.deep.equal([{
      Sid: "TrustExactRole", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:role/grafana-workspace-dev` }, Action: "sts:AssumeRole",
    }]);
    const statements = doc(named(stack, "payments-cloudwatch-read-access").inputs.policy).Statement;
    const scoped = statements.filter((s: any) => s.Resource !== "*");
    for (const s of scoped) for (const r of [s.Resource].flat()) expect(r).to.include(`:${PAYMENTS}:`);
    const anywhere = statements.find((s: any) => s.Resource === "*").Action;
    expect(anywhere).to.include("cloudwatch:GetMetricData");
    expect(anywhere).not.to.include("logs:StartQuery");
  });

  it("installs the pinned Prometheus chart in its own namespace with the IRSA-annotated service account", () => {
    const [namespace] = ofType(stack, "kubernetes:core/v1:Namespace");
    expect((namespace.inputs.metadata as any).name).to.equal("amp-collector");
    const [release] = ofType(stack, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).to.deep.include({ chart: "prometheus", version: "25.27.0", namespace: "amp-collector", name: "collector" });
    const values = release.inputs.values as any;
    expect(values.serviceAccounts.server).to.deep.equal({
      create: true, name: "amp-collector", annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::${PAYMENTS}:role/amp-collector-dev-payments` },
    });
    expect(values.server.configMapOverrideName).to.equal("prometheus-config");
    expect((named(stack, "payments-payments-dev-config").inputs.metadata as any).name).to.equal("collector-prometheus-config");
    // The chart's container args for these values: agent mode, and no server-only TSDB flag.
    const args = chartServerArgs(values);
    expect(args).to.include("--enable-feature=agent");
    expect(args.filter((arg) => arg.startsWith("--storage.tsdb."))).to.deep.equal([]);
    expect(values["kube-state-metrics"].enabled).to.equal(true);
    expect(values["prometheus-node-exporter"].enabled).to.equal(true);
    expect(values.alertmanager.enabled).to.equal(false);
  });
});

describe("workload stacks of prod under mocks", () => {
  it("prod-search uses the managed scraper with a cross-account role configuration", async () => {
    const stack = await stackOf("prod", "prod-search");
    const [scraper] = ofType(stack, "aws:amp/scraper:Scraper");
    expect(scraper.inputs.roleConfiguration).to.deep.equal({
      sourceRoleArn: "arn:aws:iam::420987654321:role/amp-collector-prod-search",
      targetRoleArn: "arn:aws:iam::220987654321:role/amp-ingest-prod-search",
    });
    expect((scraper.inputs.destination as any).amp.workspaceArn).to.equal("arn:aws:aps:eu-west-1:220987654321:workspace/ws-known-at-deploy-prod-search");
    expect((scraper.inputs.source as any).eks.subnetIds).to.deep.equal(["subnet-0c1d2e3f4a5b60001", "subnet-0c1d2e3f4a5b60002"]);
    const scrape = parse(scraper.inputs.scrapeConfiguration as string);
    expect(scrape.remote_write).to.equal(undefined);
    for (const job of scrape.scrape_configs) expect(job.metric_relabel_configs[0].action).to.equal("keep");
    // The exporters its node-exporter and kube-state-metrics jobs discover, pinned as the prometheus chart pins them.
    const [k8sProvider] = ofType(stack, "pulumi:providers:kubernetes");
    const releases = ofType(stack, "kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => `${r.inputs.name}=${r.inputs.chart}@${r.inputs.version}`).sort())
      .to.deep.equal(["kube-state-metrics=kube-state-metrics@5.25.1", "node-exporter=prometheus-node-exporter@4.39.0"]);
    for (const r of releases) expect([r.provider, r.inputs.namespace], r.name).to.deep.equal([k8sProvider.urn, "amp-collector"]);
    const trust = doc(named(stack, "search-collector").inputs.assumeRolePolicy).Statement[0];
    expect(trust.Principal).to.deep.equal({ Service: "scraper.aps.amazonaws.com" });
    expect(trust.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": "420987654321" });
  });

  it("prod-search lets the scraper in as its cluster's authentication mode (read at deploy time) allows", async () => {
    const stack = await stackOf("prod", "prod-search");
    // The plan's getCluster reports CONFIG_MAP (the EKS API's default): no access entries, so
    // the AMP user guide's RBAC is installed and the aws-auth mapping is the manual step.
    expect(named(stack, "search-search-prod-scraper-role").inputs.metadata).to.deep.include({ name: "aps-collector-role" });
    const binding = named(stack, "search-search-prod-scraper-binding").inputs as any;
    expect(binding.subjects).to.deep.equal([{ kind: "User", name: "aps-collector-user", apiGroup: "rbac.authorization.k8s.io" }]);
    expect(binding.roleRef).to.deep.equal({ kind: "ClusterRole", name: "aps-collector-role", apiGroup: "rbac.authorization.k8s.io" });
    expect(stack.outputs.scraperAccess).to.deep.equal({
      "search-prod": {
        authenticationMode: "CONFIG_MAP",
        method: "aws-auth",
        awsAuthRoleArn: "arn:aws:iam::420987654321:role/AWSServiceRoleForAmazonPrometheusScraper_known-at-deploy",
      },
    });
  });

  it("prod-payments keeps remote writes on the AWS network through aps-workspaces endpoints admitting only the cluster", async () => {
    const stack = await stackOf("prod", "prod-payments");
    const endpoints = ofType(stack, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints).to.have.length(2);
    for (const e of endpoints) {
      expect(e.inputs).to.deep.include({ serviceName: "com.amazonaws.eu-west-1.aps-workspaces", vpcEndpointType: "Interface", privateDnsEnabled: true });
      // The request through the endpoint is signed by the assumed hub ingest role, so that is the principal it admits.
      expect(doc(e.inputs.policy).Statement[0].Condition).to.deep.equal({
        ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::220987654321:role/amp-ingest-prod-payments" },
        StringEquals: { "aws:PrincipalAccount": "220987654321" },
      });
    }
    const rules = ofType(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(rules).to.have.length(2);
    for (const r of rules) expect([r.fromPort, r.toPort, r.ipProtocol]).to.deep.equal([443, 443, "tcp"]);
    expect(rules.map((r) => r.referencedSecurityGroupId ?? r.cidrIpv4)).to.have.members(["sg-0a1b2c3d4e5f60911", "10.42.0.0/16"]);
  });

  it("prod-data ships its extra metrics and runs Prometheus in server mode", async () => {
    const stack = await stackOf("prod", "prod-data");
    const config = parse((ofType(stack, "kubernetes:core/v1:ConfigMap")[0].inputs.data as any)["prometheus.yml"]);
    expect(config.remote_write[0].write_relabel_configs[0].regex.split("|")).to.include("spark_executor_count");
    const values = ofType(stack, "kubernetes:helm.sh/v3:Release")[0].inputs.values as any;
    const args = chartServerArgs(values);
    expect(args).not.to.include("--enable-feature=agent");
    expect(args).to.include("--storage.tsdb.retention.time=6h");
  });
});
