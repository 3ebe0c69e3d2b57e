/**
 * SelfHostedHub under the plan's mocks: the IAM documents it deploys, the EFS settings,
 * the task sizes and retention per environment, the rendered files it ships, and that no
 * credential appears outside a secret.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { resolveAlertmanagerSettings, renderAlertmanagerConfig } from "../../components/alert-pipeline/alertmanager";
import { StackRun, ResourceRecord } from "../../stacks/plan/run-stack";
import { occurrences, ofType, single, unwrapSecret } from "../support/components-under-plan";
import { ACCOUNTS, HUB, ORGANIZATION, REGION, selfHostedHubAccountRun, selfHostedHubRun, TOPIC, TOPIC_KEY } from "./component-fixture";

const KEY = `arn:aws:kms:${REGION}:${HUB}:key/known-at-deploy-hub-selfhosted-key`;
const BUCKET = "arn:aws:s3:::hub-selfhosted-config-210987654321";
const INGEST_SECRETS = `arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/selfhosted/self-hosted/ingest/*`;
const doc = (value: unknown) => JSON.parse(String(value));
const bySidOf = (policy: any, sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
const named = (run: StackRun, type: string, name: string) => single(run.resources, type, (r) => r.name === name);
const policyOf = (run: StackRun, role: string) => doc(named(run, "aws:iam/rolePolicy:RolePolicy", role).inputs.policy);
const containers = (run: StackRun, task: string) => doc(named(run, "aws:ecs/taskDefinition:TaskDefinition", task).inputs.containerDefinitions) as Record<string, any>[];
const object = (run: StackRun, key: string) => String(single(run.resources, "aws:s3/bucketObjectv2:BucketObjectv2", (r) => r.inputs.key === key).inputs.content);
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/selfhosted/self-hosted/${name}-known-at-deploy`;

describe("SelfHostedHub component (mocked resources)", function () {
  this.timeout(120_000);
  let dev: StackRun;
  let prod: StackRun;
  before(async () => {
    // One at a time: the mock runtime is process-wide.
    dev = await selfHostedHubRun("dev");
    prod = await selfHostedHubRun("prod");
  });

  it("deploys every AWS resource through the given provider into the hub account, and Grafana's through its API listener", () => {
    const provider = single(dev.resources, "pulumi:providers:aws");
    const custom = dev.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const onAws = custom.filter((r) => r.type.startsWith("aws:"));
    expect(onAws.length).to.be.greaterThan(60);
    for (const r of onAws) expect([r.provider, r.accountId], `${r.type} ${r.name}`).to.deep.equal([provider.urn, HUB]);
    // The admin signs in once, to create the automation account and its token; the rest uses the token.
    const admin = named(dev, "pulumi:providers:grafana", "hub-selfhosted-grafana-api-admin");
    const automation = named(dev, "pulumi:providers:grafana", "hub-selfhosted-grafana-api-automation");
    expect(custom.filter((r) => !r.type.startsWith("aws:")).map((r) => [r.type, r.provider === admin.urn ? "admin" : r.provider === automation.urn ? "automation" : r.provider]).sort()).to.deep.equal([
      ["grafana:oss/dashboard:Dashboard", "automation"],
      ["grafana:oss/dataSource:DataSource", "automation"],
      ["grafana:oss/folder:Folder", "automation"],
      ["grafana:oss/serviceAccount:ServiceAccount", "admin"],
      ["grafana:oss/serviceAccountToken:ServiceAccountToken", "admin"],
    ]);
    expect(named(dev, "grafana:oss/serviceAccount:ServiceAccount", "hub-selfhosted-grafana-api-automation").inputs).to.deep.include({ name: "observability-selfhosted-automation", role: "Admin" });
    for (const grafanaProvider of [admin, automation]) expect(grafanaProvider.inputs.url).to.equal("https://grafana.hub.example.internal:8443");
    expect(unwrapSecret(admin.inputs.auth)).to.equal("admin:known-at-deploy-random-password");
    expect(occurrences(admin.inputs, "known-at-deploy-random-password").every((o) => o.secret)).to.equal(true);
    expect(unwrapSecret(automation.inputs.auth)).to.equal("glsa_known-at-deploy");
    // Not any one account's: the All accounts data source and the cross-account overview on it, in their own folder.
    const allAccounts = single(dev.resources, "grafana:oss/dataSource:DataSource").inputs;
    expect([allAccounts.uid, allAccounts.url, allAccounts.jsonDataEncoded]).to.deep.equal(["prom-all-accounts", "https://metrics.hub.example.internal/prometheus-a/all", JSON.stringify({ httpMethod: "POST", timeInterval: "30s", httpHeaderName1: "Authorization" })]);
    expect(JSON.parse(String(unwrapSecret(allAccounts.secureJsonDataEncoded)))).to.deep.equal({ httpHeaderValue1: "Bearer known-at-deploy-random-password" });
    const folder = single(dev.resources, "grafana:oss/folder:Folder").inputs;
    const overview = single(dev.resources, "grafana:oss/dashboard:Dashboard").inputs;
    expect([folder.title, overview.folder, JSON.parse(String(overview.configJson)).title]).to.deep.equal(["All accounts (selfhosted)", folder.uid, "All accounts / Overview"]);
    expect([...new Set([...String(overview.configJson).matchAll(/"datasource":\{[^}]*"uid":"([^"]+)"/g)].map((m) => m[1]))]).to.deep.equal(["prom-all-accounts"]);
    expect(occurrences(automation.inputs, "glsa_known-at-deploy").map((o) => o.secret)).to.deep.equal([true]);
  });

  it("task roles: only ECS tasks of this account may assume them; each may read only its own config objects and account prefixes, and mount only its own access point", () => {
    const trust = doc(named(dev, "aws:iam/role:Role", "hub-selfhosted-prometheus-a-task").inputs.assumeRolePolicy);
    expect(trust.Statement).to.deep.equal([{
      Sid: "TrustServiceForThisAccount", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": HUB }, ArnLike: { "aws:SourceArn": `arn:aws:ecs:${REGION}:${HUB}:*` } },
    }]);
    const accessPoint = (name: string) => `arn:aws:known-at-deploy:${REGION}:${HUB}:hub-selfhosted-efs-${name}`;
    // The file system's id exists only once created; the access point (one file system's) pins it.
    const fileSystem = `arn:aws:elasticfilesystem:${REGION}:${HUB}:file-system/*`;
    expect(policyOf(dev, "hub-selfhosted-prometheus-a-task").Statement).to.deep.equal([
      {
        Sid: "ReadOwnConfigObjects", Effect: "Allow", Action: "s3:GetObject",
        Resource: [`${BUCKET}/prometheus-a/ingest-proxy.js`, `${BUCKET}/prometheus-a/ingest-proxy.json`, `${BUCKET}/prometheus/prometheus.yml`],
      },
      // The account sync: the accounts' prefix, and the secrets under the environment's ingest prefix only.
      { Sid: "ListOwnConfigPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET, Condition: { StringLike: { "s3:prefix": ["prometheus/accounts/*", "prometheus/rules/*"] } } },
      { Sid: "ReadOwnConfigPrefixes", Effect: "Allow", Action: "s3:GetObject", Resource: [`${BUCKET}/prometheus/accounts/*`, `${BUCKET}/prometheus/rules/*`] },
      { Sid: "ReadAccountsIngestCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: INGEST_SECRETS },
      {
        Sid: "DecryptAccountsIngestCredentials", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` }, ArnLike: { "kms:EncryptionContext:SecretARN": INGEST_SECRETS } },
      },
      {
        Sid: "WriteOwnTsdb", Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: fileSystem,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint("prometheus-a") } },
      },
    ]);
    expect(policyOf(dev, "hub-selfhosted-alertmanager-task").Statement).to.deep.equal([
      { Sid: "ReadOwnConfigObjects", Effect: "Allow", Action: "s3:GetObject", Resource: [`${BUCKET}/alertmanager/alertmanager.yml`, `${BUCKET}/alertmanager/sns_notifier_json`] },
      {
        Sid: "WriteOwnSilencesAndNotificationLog", Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: fileSystem,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint("alertmanager") } },
      },
      { Sid: "PublishToAlertTopic0", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC },
      { Sid: "EncryptForEncryptedTopic", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: TOPIC_KEY, Condition: { StringEquals: { "kms:ViaService": `sns.${REGION}.amazonaws.com` } } },
    ]);
    // Grafana reads no files and no secrets: the stacks manage it through its API.
    expect(policyOf(dev, "hub-selfhosted-grafana-task").Statement).to.deep.equal([{
      Sid: "WriteOwnGrafanaDatabase", Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: fileSystem,
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint("grafana") } },
    }]);
    // The exporter assumes the named read role in the organisation's accounts, and reads the accounts' job files.
    expect(policyOf(dev, "hub-selfhosted-cloudwatch-exporter-task").Statement).to.deep.equal([
      { Sid: "ReadOwnConfigObjects", Effect: "Allow", Action: "s3:GetObject", Resource: [`${BUCKET}/cloudwatch-exporter/header.yml`] },
      { Sid: "ListOwnConfigPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET, Condition: { StringLike: { "s3:prefix": ["cloudwatch-exporter/jobs/*"] } } },
      { Sid: "ReadOwnConfigPrefixes", Effect: "Allow", Action: "s3:GetObject", Resource: [`${BUCKET}/cloudwatch-exporter/jobs/*`] },
      {
        Sid: "AssumeWorkloadCloudWatchReadRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/grafana-cloudwatch-read-selfhosted",
        Condition: { StringEquals: { "aws:ResourceOrgID": ORGANIZATION } },
      },
    ]);
  });

  it("execution roles: each writes its own log group and reads exactly the secrets its task injects", () => {
    const logs = (task: string) => ({ Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${HUB}:log-group:/observability/selfhosted/self-hosted/${task}:*` });
    const decrypt = { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } };
    // Mocked log group ARNs carry the resource name; the deployed one is the named group.
    const statements = (role: string) => policyOf(dev, role).Statement.map((s: any) => (s.Sid === "WriteOwnLogGroup" ? { ...s, Resource: s.Resource.replace(/^arn:aws:known-at-deploy:[^:]+:\d+:hub-selfhosted-(.+):\*$/, `arn:aws:logs:${REGION}:${HUB}:log-group:/observability/selfhosted/self-hosted/$1:*`) } : s));
    expect(statements("hub-selfhosted-prometheus-a-execution")).to.deep.equal([
      logs("prometheus-a"),
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("query-token")] },
      decrypt,
    ]);
    expect(statements("hub-selfhosted-grafana-execution")).to.deep.equal([
      logs("grafana"),
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("grafana-admin")] },
      decrypt,
    ]);
    expect(statements("hub-selfhosted-alertmanager-execution")).to.deep.equal([logs("alertmanager")]);
  });

  it("key: administered by the account, used via EFS and Secrets Manager, by the organisation's collectors only to read ingest credentials, and by CloudWatch Logs for the tasks' log groups", () => {
    const policy = doc(named(dev, "aws:kms/key:Key", "hub-selfhosted-key").inputs.policy);
    expect(policy.Statement.map((s: any) => s.Sid)).to.deep.equal(["AccountAdministersKey", "UseOnlyThroughService", "UseThroughSecretsManager", "CollectorsReadOwnIngestCredentials", "CloudWatchLogsUsesKeyForOwnLogGroups"]);
    const logGroups = ofType(dev.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(logGroups.length).to.be.greaterThan(0);
    expect(logGroups.map((g) => g.inputs.kmsKeyId)).to.deep.equal(logGroups.map(() => KEY));
    expect(bySidOf(policy, "CloudWatchLogsUsesKeyForOwnLogGroups").Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal(
      logGroups.map((g) => `arn:aws:logs:${REGION}:${HUB}:log-group:${g.inputs.name}`).sort());
    const bySid = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    expect(bySid("UseOnlyThroughService").Condition.StringEquals["kms:ViaService"]).to.equal(`elasticfilesystem.${REGION}.amazonaws.com`);
    // One statement at any number of accounts: the organisation's collector roles, through Secrets
    // Manager, for secrets under the ingest prefix only (each secret's own policy names its one role).
    expect(bySid("CollectorsReadOwnIngestCredentials")).to.deep.equal({
      Sid: "CollectorsReadOwnIngestCredentials", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*",
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": ORGANIZATION, "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/amp-collector-selfhosted-*", "kms:EncryptionContext:SecretARN": INGEST_SECRETS },
      },
    });
    expect(JSON.stringify(policy)).to.not.contain(ACCOUNTS[0].accountId);
    // No account's secret is the shared hub's.
    expect(ofType(dev.resources, "aws:secretsmanager/secret:Secret").map((r) => r.inputs.name).sort()).to.deep.equal(
      ["observability/selfhosted/self-hosted/grafana-admin", "observability/selfhosted/self-hosted/query-token"]);
  });

  it("EFS: encrypted with the hub key, backed up, TLS only, a mount target per subnet, an access point per writer, mounted with TLS and IAM", () => {
    const fileSystem = named(dev, "aws:efs/fileSystem:FileSystem", "hub-selfhosted-efs").inputs;
    expect([fileSystem.encrypted, fileSystem.kmsKeyId, fileSystem.performanceMode, fileSystem.throughputMode]).to.deep.equal([true, KEY, "generalPurpose", "elastic"]);
    expect(named(dev, "aws:efs/backupPolicy:BackupPolicy", "hub-selfhosted-efs").inputs.backupPolicy).to.deep.equal({ status: "ENABLED" });
    expect(doc(named(dev, "aws:efs/fileSystemPolicy:FileSystemPolicy", "hub-selfhosted-efs").inputs.policy).Statement[0]).to.include({ Effect: "Deny" }).and.to.have.nested.property("Condition.Bool.aws:SecureTransport", "false");
    expect(ofType(dev.resources, "aws:efs/mountTarget:MountTarget").map((r) => r.inputs.subnetId)).to.deep.equal(["subnet-a", "subnet-b"]);
    const accessPoints = Object.fromEntries(ofType(dev.resources, "aws:efs/accessPoint:AccessPoint").map((r) => [r.name, [r.inputs.rootDirectory, r.inputs.posixUser]]));
    expect(accessPoints["hub-selfhosted-efs-prometheus-a"]).to.deep.equal([{ path: "/prometheus-a", creationInfo: { ownerUid: 65534, ownerGid: 65534, permissions: "0750" } }, { uid: 65534, gid: 65534 }]);
    expect(Object.keys(accessPoints).sort()).to.deep.equal(["hub-selfhosted-efs-alertmanager", "hub-selfhosted-efs-grafana", "hub-selfhosted-efs-prometheus-a"]);
    const volume = (named(dev, "aws:ecs/taskDefinition:TaskDefinition", "hub-selfhosted-prometheus-a").inputs.volumes as any[]).find((v) => v.name === "data");
    expect(volume.efsVolumeConfiguration).to.deep.include({ transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "hub-selfhosted-efs-prometheus-a-known-at-deploy", iam: "ENABLED" } });
    // Each task's log group is its own, with the configured retention.
    expect(ofType(dev.resources, "aws:cloudwatch/logGroup:LogGroup").map((g) => [g.inputs.name, g.inputs.retentionInDays])).to.deep.equal(
      ["prometheus-a", "alertmanager", "grafana", "cloudwatch-exporter"].map((task) => [`/observability/selfhosted/self-hosted/${task}`, 30]));
  });

  it("sizes tasks and retention per environment; prod runs two independent Prometheus servers, each with its own TSDB, path and target group", () => {
    const taskSize = (run: StackRun, task: string) => [named(run, "aws:ecs/taskDefinition:TaskDefinition", task).inputs.cpu, named(run, "aws:ecs/taskDefinition:TaskDefinition", task).inputs.memory];
    expect(taskSize(dev, "hub-selfhosted-prometheus-a")).to.deep.equal(["1024", "4096"]);
    expect(taskSize(prod, "hub-selfhosted-prometheus-a")).to.deep.equal(["4096", "16384"]);
    expect(taskSize(prod, "hub-selfhosted-prometheus-b")).to.deep.equal(["4096", "16384"]);
    const flags = (run: StackRun, task: string) => containers(run, task).find((c) => c.name === "prometheus")!.command as string[];
    expect(flags(dev, "hub-selfhosted-prometheus-a")).to.include.members(["--storage.tsdb.retention.time=7d", "--web.enable-remote-write-receiver", "--web.listen-address=127.0.0.1:9090"]);
    expect(flags(prod, "hub-selfhosted-prometheus-b")).to.include("--storage.tsdb.retention.time=90d");
    expect(ofType(prod.resources, "aws:efs/accessPoint:AccessPoint").map((r) => (r.inputs.rootDirectory as { path: string }).path).sort()).to.deep.equal(["/alertmanager", "/grafana", "/prometheus-a", "/prometheus-b"]);
    expect(ofType(prod.resources, "aws:lb/listenerRule:ListenerRule").map((r) => (r.inputs.conditions as any[])[0].pathPattern?.values[0]).filter(Boolean)).to.deep.equal(["/prometheus-a/*", "/prometheus-b/*"]);
    expect(ofType(dev.resources, "aws:lb/targetGroup:TargetGroup").map((r) => r.name).sort()).to.deep.equal(["hub-selfhosted-lb-grafana", "hub-selfhosted-lb-prometheus-a"]);
    // One writer per TSDB at all times, deployments included.
    for (const service of ofType(prod.resources, "aws:ecs/service:Service")) {
      expect([service.inputs.desiredCount, service.inputs.deploymentMinimumHealthyPercent, service.inputs.deploymentMaximumPercent], service.name).to.deep.equal([1, 0, 100]);
      expect((service.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp).to.equal(false);
    }
  });

  it("ships the rendered files: the central config, the managed path's Alertmanager config, per-server proxy configs and the exporter header; nothing of Grafana's", () => {
    const prometheusYml = parse(object(dev, "prometheus/prometheus.yml"));
    expect(prometheusYml.alerting).to.deep.equal({ alertmanagers: [{ static_configs: [{ targets: ["alertmanager.selfhosted.hub.internal:9093"] }] }] });
    // The accounts' rule files are globbed from the account sync's copy, not listed.
    expect(prometheusYml.rule_files).to.deep.equal(["/config/rules/*.yml"]);
    expect(object(dev, "alertmanager/alertmanager.yml")).to.equal(renderAlertmanagerConfig(resolveAlertmanagerSettings({ region: REGION, topicArn: TOPIC }, { teams: { payments: {} } })));
    const proxyConfig = JSON.parse(object(prod, "prometheus-b/ingest-proxy.json"));
    expect(proxyConfig).to.deep.include({ basePath: "/prometheus-b", upstreamUrl: "http://127.0.0.1:9090", queryTokenEnv: "QUERY_TOKEN" });
    expect(proxyConfig).to.deep.include({ tokensDirectory: "/ingest-tokens", tokenRefreshSeconds: 15 });
    expect(proxyConfig).to.not.have.property("tenants");
    // Nothing under the accounts' prefixes is the shared stack's, and nothing is Grafana's.
    const keys = ofType(dev.resources, "aws:s3/bucketObjectv2:BucketObjectv2").map((r) => String(r.inputs.key));
    expect(keys.filter((key) => key.startsWith("prometheus/accounts/") || key.startsWith("prometheus/rules/") || key.startsWith("grafana/"))).to.deep.equal([]);
    expect(object(dev, "cloudwatch-exporter/header.yml")).to.equal("apiVersion: v1alpha1\nsts-region: eu-west-1\nstatic:\n");
    const exporter = containers(dev, "hub-selfhosted-cloudwatch-exporter").find((c) => c.name === "cloudwatch-exporter")!;
    expect([exporter.entryPoint, exporter.command]).to.deep.equal([["sh", "-c"], ["until [ -s /config/config.yml ]; do sleep 10; done; exec yace -config.file=/config/config.yml -listen-address=0.0.0.0:5000"]]);
    expect(object(dev, "prometheus-a/ingest-proxy.js")).to.match(/^"use strict";/);
    // The loader copies exactly the task's files into /config.
    const loader = containers(dev, "hub-selfhosted-alertmanager").find((c) => c.name === "config-loader")!;
    expect(loader.command[0]).to.equal("set -e && aws s3 cp --only-show-errors 's3://hub-selfhosted-config-210987654321/alertmanager/alertmanager.yml' '/config/alertmanager.yml' && aws s3 cp --only-show-errors 's3://hub-selfhosted-config-210987654321/alertmanager/sns_notifier_json' '/config/sns_notifier_json'");
  });

  it("runs the account sync beside Prometheus (not Grafana): the proxy waits for its first cycle and reads the tokens volume read-only", () => {
    const prometheusTask = containers(dev, "hub-selfhosted-prometheus-a");
    expect(prometheusTask.map((c) => c.name)).to.deep.equal(["config-loader", "prometheus", "ingest-proxy", "account-sync"]);
    const sync = prometheusTask.find((c) => c.name === "account-sync")!;
    expect(sync).to.deep.include({ essential: true, entryPoint: ["sh", "-c"] });
    expect(Object.fromEntries(sync.environment.map((e: { name: string; value: string }) => [e.name, e.value]))).to.deep.equal({
      ACCOUNTS_DIRECTORY: "/config/accounts",
      CONFIG_BUCKET: "hub-selfhosted-config-210987654321",
      INGEST_SECRET_PREFIX: "observability/selfhosted/self-hosted/ingest/",
      ON_CHANGE: "curl -fsS -X POST http://127.0.0.1:9090/-/reload",
      READY_FILE: "/ingest-tokens/.first-cycle-done",
      SYNC_CYCLES: "0",
      SYNC_INTERVAL_SECONDS: "60",
      SYNC_PREFIXES: "prometheus/accounts/=/config/accounts prometheus/rules/=/config/rules",
      TOKENS_DIRECTORY: "/ingest-tokens",
      TOKEN_REFRESH_CYCLES: "60",
    });
    expect(sync.secrets).to.deep.equal([]);
    const proxy = prometheusTask.find((c) => c.name === "ingest-proxy")!;
    expect(proxy.mountPoints).to.deep.include({ sourceVolume: "ingest-tokens", containerPath: "/ingest-tokens", readOnly: true });
    expect(proxy.dependsOn).to.deep.include({ containerName: "account-sync", condition: "HEALTHY" });
    expect(prometheusTask.find((c) => c.name === "prometheus")!.command).to.include("--web.enable-lifecycle");
    expect((named(dev, "aws:ecs/taskDefinition:TaskDefinition", "hub-selfhosted-prometheus-a").inputs.volumes as { name: string }[]).map((v) => v.name)).to.deep.equal(["config", "ingest-tokens", "data"]);
    // Grafana's task is Grafana alone: no loader, no sync, nothing to wait for but its database.
    const grafanaTask = containers(dev, "hub-selfhosted-grafana");
    expect(grafanaTask.map((c) => [c.name, c.dependsOn, c.mountPoints])).to.deep.equal([["grafana", [], [{ sourceVolume: "data", containerPath: "/var/lib/grafana", readOnly: false }]]]);
    expect(named(dev, "aws:ecs/service:Service", "hub-selfhosted-grafana").inputs.waitForSteadyState).to.equal(true);
  });

  it("keeps every credential inside Secrets Manager: containers get them by ARN, and no input holds one in plain text", () => {
    const proxy = containers(dev, "hub-selfhosted-prometheus-a").find((c) => c.name === "ingest-proxy")!;
    expect(proxy.secrets).to.deep.equal([{ name: "QUERY_TOKEN", valueFrom: `${secretArn("query-token")}:token::` }]);
    const grafana = containers(dev, "hub-selfhosted-grafana").find((c) => c.name === "grafana")!;
    expect(grafana.secrets).to.deep.equal([{ name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: `${secretArn("grafana-admin")}:password::` }]);
    expect(JSON.stringify(grafana.environment)).to.not.match(/PASSWORD|TOKEN/);
    // The generated values: in their secret versions, the admin's in the admin provider's auth and
    // the query token in the All accounts data source's secure settings; secret everywhere.
    const generated = "known-at-deploy-random-password";
    const found = dev.resources.flatMap((r: ResourceRecord) => occurrences(r.inputs, generated).map((o) => ({ ...o, at: `${r.type} ${r.name}${o.path}` })));
    expect(found.map((o) => o.at).sort()).to.deep.equal([
      "aws:secretsmanager/secretVersion:SecretVersion hub-selfhosted-grafana-admin.secretString",
      "aws:secretsmanager/secretVersion:SecretVersion hub-selfhosted-query-token.secretString",
      "grafana:oss/dataSource:DataSource hub-selfhosted-grafana-api-all-accounts.secureJsonDataEncoded",
      "pulumi:providers:grafana hub-selfhosted-grafana-api-admin.auth",
    ]);
    expect(found.filter((o) => !o.secret).map((o) => o.at)).to.deep.equal([]);
  });

  it("puts Grafana behind the load balancer's Cognito login and the ingest paths behind TLS on an internal load balancer", () => {
    const loadBalancer = named(dev, "aws:lb/loadBalancer:LoadBalancer", "hub-selfhosted-lb").inputs;
    expect([loadBalancer.internal, loadBalancer.dropInvalidHeaderFields]).to.deep.equal([true, true]);
    const listener = named(dev, "aws:lb/listener:Listener", "hub-selfhosted-lb").inputs;
    expect([listener.protocol, listener.port, listener.sslPolicy]).to.deep.equal(["HTTPS", 443, "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
    const grafanaRule = named(dev, "aws:lb/listenerRule:ListenerRule", "hub-selfhosted-lb-grafana").inputs;
    expect((grafanaRule.actions as { type: string }[]).map((a) => a.type)).to.deep.equal(["authenticate-cognito", "forward"]);
    expect((grafanaRule.conditions as any[])[0].hostHeader.values).to.deep.equal(["grafana.hub.example.internal"]);
    const ingress = ofType(dev.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.cidrIpv4);
    expect(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).to.deep.equal([["10.20.0.0/16", 443], ["10.30.0.0/16", 443], ["10.40.8.0/24", 8443]]);
  });

  it("opens Grafana's API to the deployments' networks only, for Grafana's own credentials only, and refuses a forged login identity", () => {
    const api = named(dev, "aws:lb/listener:Listener", "hub-selfhosted-lb-grafana-api").inputs;
    expect([api.protocol, api.port, api.sslPolicy]).to.deep.equal(["HTTPS", 8443, "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
    expect(api.defaultActions).to.deep.equal([{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "forbidden" } }]);
    const rule = (name: string) => named(dev, "aws:lb/listenerRule:ListenerRule", `hub-selfhosted-lb-grafana-api-${name}`).inputs;
    // The header Grafana's auth proxy trusts, present at all: refused, whatever else the request carries.
    expect([rule("forged-identity").priority, rule("forged-identity").conditions, (rule("forged-identity").actions as any[])[0].fixedResponse.statusCode])
      .to.deep.equal([1, [{ httpHeader: { httpHeaderName: "X-Amzn-Oidc-Identity", values: ["*"] } }], "403"]);
    const grafanaEnvironment = Object.fromEntries(containers(dev, "hub-selfhosted-grafana")[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(grafanaEnvironment.GF_AUTH_PROXY_HEADER_NAME).to.equal("X-Amzn-Oidc-Identity");
    expect([rule("credentials").priority, rule("credentials").conditions]).to.deep.equal([2, [{ httpHeader: { httpHeaderName: "Authorization", values: ["Bearer glsa_*", "Basic *"] } }]]);
    // To the same Grafana the login listener forwards to.
    const loginForward = (named(dev, "aws:lb/listenerRule:ListenerRule", "hub-selfhosted-lb-grafana").inputs.actions as any[])[1];
    expect(rule("credentials").actions).to.deep.equal([{ type: "forward", targetGroupArn: loginForward.targetGroupArn }]);
    // How the load balancer routes requests with these rules, and AWS's limits on them: grafana-api-listener.test.ts.
  });
});

describe("SelfHostedHubAccount component (mocked resources): one account's pieces in its own hub stack", function () {
  this.timeout(120_000);
  let payments: StackRun;
  before(async () => {
    payments = await selfHostedHubAccountRun(ACCOUNTS[0], "payments");
  });

  it("declares the account's ingest secret under the environment's prefix, encrypted with the hub key, readable by its collector role alone", () => {
    const secret = single(payments.resources, "aws:secretsmanager/secret:Secret").inputs;
    expect([secret.name, secret.kmsKeyId]).to.deep.equal(["observability/selfhosted/self-hosted/ingest/payments", `arn:aws:kms:${REGION}:${HUB}:key/hub-selfhosted-key`]);
    expect(secret.tags).to.deep.include({ "observability:account": "payments" });
    const policy = doc(single(payments.resources, "aws:secretsmanager/secretPolicy:SecretPolicy").inputs.policy);
    expect(policy.Statement).to.deep.equal([{ Sid: "CollectorReadsOwnIngestCredential", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/amp-collector-selfhosted-payments" } } }]);
    const found = payments.resources.flatMap((r: ResourceRecord) => occurrences(r.inputs, "known-at-deploy-random-password").map((o) => ({ ...o, at: `${r.type} ${r.name}${o.path}` })));
    expect(found.length).to.equal(1);
    expect(found.filter((o) => !o.secret).map((o) => o.at)).to.deep.equal([]);
  });

  it("writes its rule files and exporter jobs under the account prefixes of the hub's config bucket, and nothing else", () => {
    const objects = ofType(payments.resources, "aws:s3/bucketObjectv2:BucketObjectv2");
    expect([...new Set(objects.map((r) => r.inputs.bucket))]).to.deep.equal(["hub-selfhosted-config-210987654321"]);
    const keys = objects.map((r) => String(r.inputs.key)).sort();
    expect(keys.filter((key) => key.startsWith("prometheus/"))).to.deep.equal([
      "prometheus/accounts/payments/ingest-secret-name",
      ...["collector-health", "kubernetes-health", "service-red"].map((ns) => `prometheus/rules/payments-${ns}.yml`),
    ]);
    expect(keys.filter((key) => key.startsWith("grafana/"))).to.deep.equal([]);
    expect(keys.filter((key) => key.startsWith("cloudwatch-exporter/"))).to.deep.equal(["cloudwatch-exporter/jobs/payments.yml"]);
    expect(parse(String(objects.find((r) => r.inputs.key === "cloudwatch-exporter/jobs/payments.yml")!.inputs.content)).map((job: { name: string; roles: unknown }) => [job.name, job.roles])).to.deep.equal([["payments-lambda-charge", [{ roleArn: ACCOUNTS[0].cloudWatchReadRoleArn }]]]);
    expect(keys.every((key) => key === "cloudwatch-exporter/jobs/payments.yml" || key.startsWith("prometheus/accounts/payments/") || key.startsWith("prometheus/rules/payments-")), keys.join(" ")).to.equal(true);
    expect(String(objects.find((r) => r.inputs.key === "prometheus/accounts/payments/ingest-secret-name")!.inputs.content)).to.equal("observability/selfhosted/self-hosted/ingest/payments\n");
    // Every rule expression is confined to the account.
    const rules = parse(String(objects.find((r) => String(r.inputs.key).endsWith("payments-service-red.yml"))!.inputs.content));
    for (const group of rules.groups) for (const rule of group.rules) expect(rule.expr, rule.alert ?? rule.record).to.contain('account="payments"');
  });
});
