/**
 * The committed self-hosted environment (Pulumi.selfhosted.yaml) under the offline plan: the
 * hub dispatches to the self-hosted program, each account's hub stack declares that account's
 * pieces, the pack finds nothing, and the files the tasks load (the shared stack's and the
 * accounts', together as they sit in the config bucket) pass promtool and amtool.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { parse } from "yaml";
import { evaluatePlan } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { planStacks, redactedOutputs, writePlan } from "../../stacks/plan/plan";
import { readHubStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";
import { planOf, stackOf } from "../support/plans";
import { requireTool } from "../support/tools";

function run(binary: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("selfhosted environment (offline plan)", function () {
  this.timeout(180_000);
  let dir: string;
  let files: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "selfhosted-plan-"));
    // The config bucket as the tasks see it: the shared stack's objects and every account stack's.
    const stacks = await Promise.all(["selfhosted", "selfhosted-hub-payments", "selfhosted-hub-search"].map((name) => stackOf("selfhosted", name)));
    files = join(dir, "files");
    for (const artifact of stacks.flatMap((stack) => stack.artifacts).filter((a) => a.path.startsWith("files/"))) {
      const file = join(dir, artifact.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, artifact.content);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the self-hosted hub program: the SelfHostedHub and the alert pipeline, no AMP workspace or Managed Grafana", async () => {
    const hub = await stackOf("selfhosted", "selfhosted");
    const types = new Set(hub.resources.map((r) => r.type));
    expect(types.has("observability:selfhosted:SelfHostedHub")).to.equal(true);
    expect(types.has("observability:index:AlertPipeline")).to.equal(true);
    for (const managed of ["aws:amp/workspace:Workspace", "aws:grafana/workspace:Workspace", "aws:amp/ruleGroupNamespace:RuleGroupNamespace", "aws:amp/alertManagerDefinition:AlertManagerDefinition"]) {
      expect(types.has(managed), managed).to.equal(false);
    }
    expect(hub.outputs.backend).to.equal("self-hosted");
    expect(hub.outputs.remoteWriteUrls).to.deep.equal(["https://metrics.selfhosted.observability.example.com/prometheus-a/api/v1/write"]);
    // The workload stacks take the self-hosted records: the read role trusts the hub's exporter only.
    const search = await stackOf("selfhosted", "selfhosted-search");
    const readRole = search.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "search-cloudwatch-read")!;
    expect(JSON.parse(String(readRole.inputs.assumeRolePolicy)).Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::210987654321:role/hub-selfhosted-cloudwatch-exporter-task" });
    // The account's hub stack declares the account's pieces in the hub account, with the hub's deploy
    // provider, and hands the account's record on; the query stack has nothing to build.
    const searchHub = await stackOf("selfhosted", "selfhosted-hub-search");
    const record = (searchHub.outputs.workloads as Record<string, { backend: string; ingestSecretArn: string; ingestSecretKeyArn: string }>).search;
    expect(record.backend).to.equal("self-hosted");
    expect(record.ingestSecretArn).to.match(/^arn:aws:secretsmanager:eu-west-1:210987654321:secret:observability\/selfhosted\/self-hosted\/ingest\/search/);
    expect(record.ingestSecretKeyArn).to.equal(hub.outputs.selfHostedSettings && (hub.outputs.selfHostedSettings as { ingestSecretKeyArn: string }).ingestSecretKeyArn);
    const provider = searchHub.resources.find((r) => r.type === "pulumi:providers:aws")!;
    expect(JSON.parse(String(provider.inputs.allowedAccountIds))).to.deep.equal(["210987654321"]);
    for (const type of ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretPolicy:SecretPolicy", "aws:secretsmanager/secretVersion:SecretVersion"]) {
      expect(searchHub.resources.filter((r) => r.type === type).length, type).to.equal(1);
      expect(hub.resources.filter((r) => r.type === type && String(r.name).includes("search")).length, `${type} in the shared stack`).to.equal(0);
    }
    expect(searchHub.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.accountId)).to.satisfy((ids: unknown[]) => ids.length > 0 && ids.every((id) => id === "210987654321"));
    expect((await stackOf("selfhosted", "selfhosted-query")).outputs).to.deep.equal({ backend: "self-hosted" });
    // ...and the collector: the same component and chart as with AMP, writing to the hub's servers.
    for (const type of ["observability:index:WorkloadAccountCollector", "kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:ConfigMap"]) {
      expect(search.resources.filter((r) => r.type === type).length, type).to.equal(1);
    }
    expect(search.artifacts.map((a) => a.path)).to.include("kubernetes/search-search-dev-config/prometheus.yml");
    expect(search.resources.some((r) => r.type === "aws:amp/scraper:Scraper" || r.type === "aws:ec2/vpcEndpoint:VpcEndpoint"), "AMP-only pieces").to.equal(false);
    expect(search.outputs.ingestSecretArn).to.match(/^arn:aws:secretsmanager:eu-west-1:210987654321:secret:observability\/selfhosted\/self-hosted\/ingest\/search/);
  });

  it("declares each account's Grafana folder, confined data source and dashboards through Grafana's API, signed in with the shared stack's token", async () => {
    const searchHub = await stackOf("selfhosted", "selfhosted-hub-search");
    const grafanaProvider = searchHub.resources.find((r) => r.type === "pulumi:providers:grafana")!;
    expect(grafanaProvider.inputs.url).to.equal("https://grafana.selfhosted.observability.example.com:8443");
    // Read through the StackReference as a secret: the plan shows it redacted.
    expect(grafanaProvider.inputs.auth).to.equal("[secret]");
    const onGrafana = searchHub.resources.filter((r) => r.custom && r.type.startsWith("grafana:"));
    expect(onGrafana.every((r) => r.provider === grafanaProvider.urn)).to.equal(true);
    const folder = onGrafana.find((r) => r.type === "grafana:oss/folder:Folder")!;
    expect(folder.inputs.title).to.equal("search (selfhosted)");
    const dataSources = onGrafana.filter((r) => r.type === "grafana:oss/dataSource:DataSource");
    expect(dataSources.map((d) => [d.inputs.uid, d.inputs.type, d.inputs.url])).to.deep.equal([["prom-search", "prometheus", "https://metrics.selfhosted.observability.example.com/prometheus-a/accounts/search"]]);
    // The query token (the shared stack's secret output) in the secure settings, secret in state.
    expect(dataSources[0].inputs.secureJsonDataEncoded).to.equal("[secret]");
    const dashboards = onGrafana.filter((r) => r.type === "grafana:oss/dashboard:Dashboard");
    expect(dashboards.length).to.be.greaterThan(2);
    for (const dashboard of dashboards) {
      expect(dashboard.inputs.folder).to.equal(folder.inputs.uid);
      const json = String(dashboard.inputs.configJson);
      expect([...new Set([...json.matchAll(/"datasource":\{[^}]*"uid":"([^"]+)"/g)].map((m) => m[1]))]).to.deep.equal(["prom-search"]);
    }
    // Revealed (a test-only plan): the provider signs in with the automation token, not the admin's
    // password, and the data source presents the query token; both still marked secret.
    const revealed = (await planStacks("selfhosted", readHubStackConfig(PROJECT_DIR, "selfhosted"), { workloads: false, revealSecrets: true })).stacks
      .find((s) => s.stack === "selfhosted-hub-search")!;
    expect(revealed.resources.find((r) => r.type === "pulumi:providers:grafana")!.inputs.auth).to.deep.equal({ "[secret]": "glsa_known-at-deploy" });
    const secure = revealed.resources.find((r) => r.type === "grafana:oss/dataSource:DataSource")!.inputs.secureJsonDataEncoded as Record<string, string>;
    expect(JSON.parse(secure["[secret]"])).to.deep.equal({ httpHeaderValue1: "Bearer known-at-deploy-random-password" });
    // The shared stack hands both tokens on as secrets only, and holds the All accounts folder.
    const hub = await stackOf("selfhosted", "selfhosted");
    expect([redactedOutputs(hub.outputs).grafanaApiToken, redactedOutputs(hub.outputs).grafanaQueryToken]).to.deep.equal(["[secret]", "[secret]"]);
    expect(hub.resources.filter((r) => r.type === "grafana:oss/folder:Folder").map((r) => r.inputs.title)).to.deep.equal(["All accounts (selfhosted)"]);
  });

  it("is clean under the policy pack with the project's reviewed exceptions (as npm run policy applies them)", async () => {
    const planDir = join(dir, "plan");
    writePlan(await planOf("selfhosted"), planDir);
    const evaluation = evaluatePlan(planDir, { config: loadProjectPolicyConfig() });
    // The scalable layout: shared hub, each account's hub stack, the query stack, the workload stacks.
    expect(evaluation.stacks.map((s) => s.stack)).to.deep.equal(["selfhosted", "selfhosted-hub-payments", "selfhosted-hub-search", "selfhosted-payments", "selfhosted-query", "selfhosted-search"]);
    expect([evaluation.mandatory, evaluation.advisory], JSON.stringify(evaluation.stacks.flatMap((s) => s.violations), null, 1)).to.deep.equal([0, 0]);
  });

  it("ships rule files, a Prometheus config and an Alertmanager config that promtool and amtool accept", function () {
    requireTool(this, "promtool", "prometheus");
    requireTool(this, "amtool", "prometheus-alertmanager");
    const ruleFiles = readdirSync(join(files, "prometheus", "rules")).map((f) => join(files, "prometheus", "rules", f)).sort();
    expect(ruleFiles.map((f) => f.split("/").pop())).to.deep.equal(["payments-collector-health.yml", "payments-kubernetes-health.yml", "payments-service-red.yml", "search-collector-health.yml", "search-kubernetes-health.yml", "search-service-red.yml"]);
    const rules = run("promtool", ["check", "rules", ...ruleFiles]);
    expect(rules.status, rules.output).to.equal(0);
    // The config globs the accounts' rule files by their path in the container (/config/rules): check its syntax here.
    const config = run("promtool", ["check", "config", "--syntax-only", join(files, "prometheus", "prometheus.yml")]);
    expect(config.status, config.output).to.equal(0);
    expect((parse(readFile(join(files, "prometheus", "prometheus.yml"))) as { rule_files: string[] }).rule_files).to.deep.equal(["/config/rules/*.yml"]);
    const alertmanager = run("amtool", ["check-config", join(files, "alertmanager", "alertmanager.yml")]);
    expect(alertmanager.status, alertmanager.output).to.equal(0);
    expect(alertmanager.output).to.match(/SUCCESS/);
    // The CloudWatch exporter reads search's two alarm resources through search's read role: the
    // shared header and the accounts' job files, assembled as the exporter task's sync does (payments has no alarms).
    const jobsDirectory = join(files, "cloudwatch-exporter", "jobs");
    expect(readdirSync(jobsDirectory)).to.deep.equal(["search.yml"]);
    const exporter = parse(readFile(join(files, "cloudwatch-exporter", "header.yml")) + readdirSync(jobsDirectory).sort().map((f) => readFile(join(jobsDirectory, f))).join("")) as { static: { name: string; roles: { roleArn: string }[] }[] };
    expect(exporter.static.map((job) => [job.name, job.roles[0].roleArn])).to.deep.equal([
      ["search-sqs-search-reindex-dev", "arn:aws:iam::410987654321:role/grafana-cloudwatch-read-selfhosted"],
      ["search-lambda-search-indexer-dev", "arn:aws:iam::410987654321:role/grafana-cloudwatch-read-selfhosted"],
    ]);
  });
});

function readFile(file: string): string {
  return readFileSync(file, "utf8");
}
