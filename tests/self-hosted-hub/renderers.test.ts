/**
 * The self-hosted hub's rendered documents: checked by promtool and amtool where those tools
 * define validity, and read back for the values that matter (flags, labels, roles, tokens).
 */
import { expect } from "chai";
import { ecsTaskTrustPolicy } from "../../components/self-hosted-hub/documents";
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, ruleGroups } from "../../components/alert-pipeline/rules";
import {
  alertmanagerServerArgs,
  assertFargateSize,
  accountRuleFiles,
  centralPrometheusConfig,
  cloudWatchExporterConfig,
  cloudWatchReadRoles,
  accountProxyDataSource,
  allAccountsProxyDataSource,
  prometheusServerArgs,
  renderCentralPrometheusConfig,
  selfHostedAlertmanagerFiles,
  selfHostedRemoteWriteSection,
  selfHostedRemoteWriteSections,
  SIZING,
} from "../../components/self-hosted-hub";
import * as pulumi from "@pulumi/pulumi";
import { outputIsSecret, outputValue } from "../support/components-under-plan";
import { collectorMetricAllowlist } from "../../components/workload-collector/metric-allowlist";
import { remoteWriteSection } from "../../components/workload-collector/prometheus-config";
import { COLLECTOR_SERIES_CUTS } from "../../components/workload-collector/series-cuts";
import { requireTool } from "../support/tools";

function run(binary: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const PROMETHEUS_SETTINGS = {
  scrapeInterval: "30s",
  selfAddress: "127.0.0.1:9090",
  hubAccountLabel: "observability-hub",
  evaluationInterval: "30s",
  ruleDir: "/etc/prometheus/rules",
  alertmanagers: ["alertmanager.hub.internal:9093"],
  cloudWatchExporter: "cloudwatch-exporter.hub.internal:5000",
  federation: [{ account: "legacy", federateUrl: "https://metrics.legacy.example.com", bearerTokenFile: "/run/secrets/federate-legacy" }],
  federationAllowlist: collectorMetricAllowlist(),
};

describe("self-hosted hub: central Prometheus config", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "selfhosted-prom-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("gives each account its own rule files: its settings, every expression confined to its account, AMP's own quota rules left out", () => {
    const files = accountRuleFiles("payments", resolveRuleSettings({ team: "payments", thresholds: { targetDownPercent: 25 } }));
    expect(files.map((f) => f.fileName)).to.deep.equal(["payments-kubernetes-health.yml", "payments-service-red.yml", "payments-collector-health.yml"]);
    const rules = files.flatMap((f) => (parse(f.text) as { groups: { name: string; rules: { expr: string; alert?: string; labels?: Record<string, string> }[] }[] }).groups);
    // The account's team gets its workload alerts; the collector concern stays the platform team's (the rules' default).
    const teamOf = (group: string) => (group === "collector-health" ? "observability" : "payments");
    const expected = ruleGroups(resolveRuleSettings({})).filter((g) => g.name !== "amp-quota");
    expect(rules.map((g) => g.name)).to.deep.equal(expected.map((g) => g.name));
    for (const group of rules) {
      for (const rule of group.rules) {
        expect(rule.expr, rule.expr).to.contain('account="payments"');
        if (rule.alert) expect(rule.labels!.team, rule.alert).to.equal(teamOf(group.name));
      }
    }
    const targetDown = rules.flatMap((g) => g.rules).find((r) => r.alert === "CollectorTargetDown")!;
    expect(targetDown.expr).to.match(/> 25$/);
  });

  it("alerts to the hub's Alertmanager and scrapes the exporter and federated workloads", () => {
    const files = accountRuleFiles("payments", DEFAULT_RULE_SETTINGS);
    const config = centralPrometheusConfig(PROMETHEUS_SETTINGS, files) as { rule_files: string[]; alerting: unknown; scrape_configs: { job_name: string; metric_relabel_configs?: unknown[] }[] };
    expect(config.rule_files).to.deep.equal(files.map((f) => `/etc/prometheus/rules/${f.fileName}`));
    expect(config.alerting).to.deep.equal({ alertmanagers: [{ static_configs: [{ targets: ["alertmanager.hub.internal:9093"] }] }] });
    expect(config.scrape_configs.map((job) => job.job_name)).to.deep.equal(["prometheus", "cloudwatch-exporter", "federate-legacy"]);
    expect(config.scrape_configs[2].metric_relabel_configs).to.deep.equal([{ target_label: "account", replacement: "legacy", action: "replace" }]);
    expect(() => centralPrometheusConfig({ ...PROMETHEUS_SETTINGS, alertmanagers: [] }, files)).to.throw(/at least one Alertmanager/);
  });

  it("passes promtool check config, rule files included", function () {
    requireTool(this, "promtool", "prometheus");
    const files = [...accountRuleFiles("payments", DEFAULT_RULE_SETTINGS), ...accountRuleFiles("orders", resolveRuleSettings({ team: "orders" }))];
    for (const file of files) writeFileSync(join(dir, file.fileName), file.text);
    writeFileSync(join(dir, "federate-legacy"), "t".repeat(40));
    const settings = { ...PROMETHEUS_SETTINGS, ruleDir: dir, federation: [{ ...PROMETHEUS_SETTINGS.federation[0], bearerTokenFile: join(dir, "federate-legacy") }] };
    writeFileSync(join(dir, "prometheus.yml"), renderCentralPrometheusConfig(settings, files));
    const check = run("promtool", ["check", "config", join(dir, "prometheus.yml")]);
    expect(check.status, check.output).to.equal(0);
    expect(check.output).to.match(new RegExp(`SUCCESS: ${files.length} rule files found`));
  });

  it("runs the remote-write receiver with the environment's retention, listening on loopback", () => {
    const args = prometheusServerArgs({ configFile: "/etc/prometheus/prometheus.yml", storagePath: "/prometheus", retentionTime: SIZING.prod.retentionTime, retentionSize: SIZING.prod.retentionSize, listenAddress: "127.0.0.1:9090" });
    expect(args).to.include("--web.enable-remote-write-receiver");
    expect(args).to.include("--storage.tsdb.retention.time=90d");
    expect(args).to.include("--web.listen-address=127.0.0.1:9090");
    expect(SIZING.dev.retentionTime).to.equal("7d");
  });

  it("sizes every task as Fargate accepts, and refuses a size it does not", () => {
    for (const sizing of Object.values(SIZING)) {
      for (const task of ["prometheus", "alertmanager", "grafana", "cloudWatchExporter"] as const) assertFargateSize(task, sizing[task]);
    }
    expect(() => assertFargateSize("prometheus", { cpu: 1024, memoryMiB: 16384 })).to.throw(/no task size of 1024 CPU units with 16384 MiB/);
  });
});

describe("self-hosted hub: Alertmanager files", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "selfhosted-am-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = resolveAlertmanagerSettings({ region: "eu-west-1", topicArn: "arn:aws:sns:eu-west-1:111122223333:hub-alerts" }, { teams: { payments: {}, platform: {} } });

  it("are the managed backend's config and templates, SNS signed with SigV4 (credentials from the task role)", () => {
    const files = selfHostedAlertmanagerFiles(settings);
    const config = parse(files["alertmanager.yml"]) as { receivers: { sns_configs: { sigv4: unknown; topic_arn: string }[] }[]; templates: string[] };
    for (const receiver of config.receivers) {
      expect(receiver.sns_configs[0].sigv4).to.deep.equal({ region: "eu-west-1" });
      expect(receiver.sns_configs[0].topic_arn).to.equal("arn:aws:sns:eu-west-1:111122223333:hub-alerts");
    }
    for (const template of config.templates) expect(files).to.have.property(template);
  });

  it("pass amtool check-config, templates included", function () {
    requireTool(this, "amtool", "prometheus-alertmanager");
    for (const [name, text] of Object.entries(selfHostedAlertmanagerFiles(settings))) writeFileSync(join(dir, name), text);
    const check = run("amtool", ["check-config", join(dir, "alertmanager.yml")]);
    expect(check.status, check.output).to.equal(0);
    expect(check.output).to.match(/Found:\s+- global config\s+- route\s+- 2 inhibit rules\s+- 3 receivers\s+- 1 templates/);
    expect(check.output).to.match(/SUCCESS/);
  });

  it("keep silences on the storage path and gossip off for a single instance", () => {
    const args = alertmanagerServerArgs({ configDir: "/etc/alertmanager", storagePath: "/alertmanager", listenAddress: "0.0.0.0:9093", peers: [] });
    expect(args).to.deep.equal(["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager", "--web.listen-address=0.0.0.0:9093", "--cluster.listen-address="]);
    expect(alertmanagerServerArgs({ configDir: "/c", storagePath: "/s", listenAddress: "0.0.0.0:9093", peers: ["am-b:9094"] })).to.include("--cluster.peer=am-b:9094");
  });
});

describe("self-hosted hub: Grafana data sources", () => {
  it("one per account on its confined path and one for all accounts, presenting the query token as a secret bearer header", async () => {
    const sources = [
      accountProxyDataSource("https://metrics.hub.internal/", "payments", "30s", "query-token-value"),
      allAccountsProxyDataSource("https://metrics.hub.internal/", "30s", "query-token-value"),
    ];
    expect(sources.map((s) => [s.name, s.uid, s.url, s.resourceSuffix])).to.deep.equal([
      ["payments", "prom-payments", "https://metrics.hub.internal/accounts/payments", "prometheus"],
      ["All accounts", "prom-all-accounts", "https://metrics.hub.internal/all", "all-accounts"],
    ]);
    for (const source of sources) {
      expect(source.jsonData).to.deep.equal({ httpMethod: "POST", timeInterval: "30s", httpHeaderName1: "Authorization" });
      const secure = source.secureJsonData as pulumi.Output<Record<string, string>>;
      expect(await outputValue(secure)).to.deep.equal({ httpHeaderValue1: "Bearer query-token-value" });
      expect(await outputIsSecret(secure)).to.equal(true);
    }
  });
});

describe("self-hosted hub: CloudWatch exporter config", () => {
  const settings = {
    region: "eu-west-1",
    accounts: [
      {
        name: "payments",
        cloudWatchReadRoleArn: "arn:aws:iam::222233334444:role/observability-cloudwatch-read",
        alarms: [
          { preset: "lambda-errors" as const, resource: "charge" },
          { preset: "lambda-throttles" as const, resource: "charge" },
          { preset: "sqs-oldest-message-age" as const, resource: "payouts" },
        ],
      },
      { name: "idle", cloudWatchReadRoleArn: "arn:aws:iam::333344445555:role/observability-cloudwatch-read", alarms: [] },
    ],
  };

  it("has one static job per watched resource with the presets' metrics, read through the account's role, tagged with the account", () => {
    const config = cloudWatchExporterConfig(settings) as { apiVersion: string; "sts-region": string; static: Record<string, unknown>[] };
    expect(config.apiVersion).to.equal("v1alpha1");
    expect(config["sts-region"]).to.equal("eu-west-1");
    expect(config.static).to.deep.equal([
      {
        name: "payments-lambda-charge",
        namespace: "AWS/Lambda",
        regions: ["eu-west-1"],
        roles: [{ roleArn: "arn:aws:iam::222233334444:role/observability-cloudwatch-read" }],
        customTags: [{ key: "account", value: "payments" }],
        dimensions: [{ name: "FunctionName", value: "charge" }],
        metrics: [
          { name: "Errors", statistics: ["Sum"], period: 300, length: 300, nilToZero: true },
          { name: "Throttles", statistics: ["Sum"], period: 300, length: 300, nilToZero: true },
        ],
      },
      {
        name: "payments-sqs-payouts",
        namespace: "AWS/SQS",
        regions: ["eu-west-1"],
        roles: [{ roleArn: "arn:aws:iam::222233334444:role/observability-cloudwatch-read" }],
        customTags: [{ key: "account", value: "payments" }],
        dimensions: [{ name: "QueueName", value: "payouts" }],
        metrics: [{ name: "ApproximateAgeOfOldestMessage", statistics: ["Maximum"], period: 300, length: 300, nilToZero: true }],
      },
    ]);
    // The exporter's role may assume only the roles of accounts it reads.
    expect(cloudWatchReadRoles(settings)).to.deep.equal(["arn:aws:iam::222233334444:role/observability-cloudwatch-read"]);
  });
});

describe("self-hosted hub: collector remote-write section", function () {
  it("authenticates with the mounted token file, filters exactly as the managed path, and passes promtool", function () {
    const section = selfHostedRemoteWriteSection({ remoteWriteUrl: "https://metrics.hub.internal/api/v1/write", bearerTokenFile: "/etc/prometheus/secrets/ingest-token" }, collectorMetricAllowlist(), COLLECTOR_SERIES_CUTS) as Record<string, unknown>;
    expect(section.authorization).to.deep.equal({ type: "Bearer", credentials_file: "/etc/prometheus/secrets/ingest-token" });
    expect(section).to.not.have.property("sigv4");
    const managed = remoteWriteSection({ remoteWriteUrl: "https://aps", region: "eu-west-1", ingestRoleArn: "arn:aws:iam::111122223333:role/x" }, collectorMetricAllowlist(), COLLECTOR_SERIES_CUTS) as Record<string, unknown>;
    expect(section.write_relabel_configs).to.deep.equal(managed.write_relabel_configs);
    expect(section.queue_config).to.deep.equal(managed.queue_config);
    requireTool(this, "promtool", "prometheus");
    const dir = mkdtempSync(join(tmpdir(), "selfhosted-rw-"));
    try {
      writeFileSync(join(dir, "token"), "t".repeat(40));
      // A two-server hub: one section per server, named after its path, all with the same token file.
      const sections = selfHostedRemoteWriteSections(["https://metrics.hub.internal/prometheus-a/api/v1/write", "https://metrics.hub.internal/prometheus-b/api/v1/write"], join(dir, "token"), collectorMetricAllowlist(), COLLECTOR_SERIES_CUTS);
      expect(sections.map((s) => [s.name, s.url])).to.deep.equal([
        ["prometheus-a", "https://metrics.hub.internal/prometheus-a/api/v1/write"],
        ["prometheus-b", "https://metrics.hub.internal/prometheus-b/api/v1/write"],
      ]);
      writeFileSync(join(dir, "collector.yml"), stringify({ global: { external_labels: { account: "payments" } }, remote_write: sections }));
      const check = run("promtool", ["check", "config", join(dir, "collector.yml")]);
      expect(check.status, check.output).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("self-hosted hub: the tasks' trust policy", () => {
  it("pins the ECS task ARN in the region's own partition (China and GovCloud included)", () => {
    for (const [region, partition] of [["eu-west-1", "aws"], ["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"]]) {
      const [statement] = ecsTaskTrustPolicy("111122223333", region).Statement;
      expect(statement.Condition, region).to.deep.include({ ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${region}:111122223333:*` } });
    }
  });
});
