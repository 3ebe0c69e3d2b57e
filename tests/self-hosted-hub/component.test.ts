/**
 * SelfHostedHub under the plan's mocks: the IAM documents it deploys, the EFS settings,
 * the task sizes and retention per environment, the rendered files it ships, and that no
 * credential appears outside a secret.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { resolveAlertmanagerSettings, renderAlertmanagerConfig } from "../../components/alert-pipeline/alertmanager";
import { StackRun, ResourceRecord } from "../../stacks/plan/run-stack";
import { occurrences, ofType, single } from "../support/components-under-plan";
import { ACCOUNTS, HUB, REGION, selfHostedHubRun, TOPIC, TOPIC_KEY } from "./component-fixture";

const KEY = `arn:aws:kms:${REGION}:${HUB}:key/known-at-deploy-hub-selfhosted-key`;
const BUCKET = "arn:aws:s3:::hub-selfhosted-config-210987654321";
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

  it("deploys every resource through the given provider into the hub account", () => {
    const provider = single(dev.resources, "pulumi:providers:aws");
    const custom = dev.resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws");
    expect(custom.length).to.be.greaterThan(60);
    for (const r of custom) expect([r.provider, r.accountId], `${r.type} ${r.name}`).to.deep.equal([provider.urn, HUB]);
  });

  it("task roles: only ECS tasks of this account may assume them; each may read only its own config objects and mount only its own access point", () => {
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
        Resource: [
          `${BUCKET}/prometheus-a/ingest-proxy.js`, `${BUCKET}/prometheus-a/ingest-proxy.json`, `${BUCKET}/prometheus/prometheus.yml`,
          ...["orders", "payments"].flatMap((account) => ["collector-health", "kubernetes-health", "service-red"].map((ns) => `${BUCKET}/prometheus/rules/${account}-${ns}.yml`)),
        ],
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
    // The exporter assumes the read roles of accounts it watches (orders has no alarms) and nothing else.
    expect(policyOf(dev, "hub-selfhosted-cloudwatch-exporter-task").Statement[1]).to.deep.equal(
      { Sid: "AssumeWorkloadCloudWatchReadRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: [ACCOUNTS[0].cloudWatchReadRoleArn] });
    expect(policyOf(dev, "hub-selfhosted-cloudwatch-exporter-task").Statement).to.have.length(2);
  });

  it("execution roles: each writes its own log group and reads exactly the secrets its task injects", () => {
    const logs = (task: string) => ({ Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${HUB}:log-group:/observability/selfhosted/self-hosted/${task}:*` });
    const decrypt = { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } } };
    // Mocked log group ARNs carry the resource name; the deployed one is the named group.
    const statements = (role: string) => policyOf(dev, role).Statement.map((s: any) => (s.Sid === "WriteOwnLogGroup" ? { ...s, Resource: s.Resource.replace(/^arn:aws:known-at-deploy:[^:]+:\d+:hub-selfhosted-(.+):\*$/, `arn:aws:logs:${REGION}:${HUB}:log-group:/observability/selfhosted/self-hosted/$1:*`) } : s));
    expect(statements("hub-selfhosted-prometheus-a-execution")).to.deep.equal([
      logs("prometheus-a"),
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("ingest/orders"), secretArn("ingest/payments"), secretArn("query-token")] },
      decrypt,
    ]);
    expect(statements("hub-selfhosted-grafana-execution")).to.deep.equal([
      logs("grafana"),
      { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [secretArn("grafana-admin"), secretArn("query-token")] },
      decrypt,
    ]);
    expect(statements("hub-selfhosted-alertmanager-execution")).to.deep.equal([logs("alertmanager")]);
  });

  it("key: administered by the account, used via EFS and Secrets Manager, by each collector only to read its credential, and by CloudWatch Logs for the tasks' log groups", () => {
    const policy = doc(named(dev, "aws:kms/key:Key", "hub-selfhosted-key").inputs.policy);
    expect(policy.Statement.map((s: any) => s.Sid)).to.deep.equal(["AccountAdministersKey", "UseOnlyThroughService", "UseThroughSecretsManager", "CollectorsReadOwnIngestCredentials", "CloudWatchLogsUsesKeyForOwnLogGroups"]);
    const logGroups = ofType(dev.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(logGroups.length).to.be.greaterThan(0);
    expect(logGroups.map((g) => g.inputs.kmsKeyId)).to.deep.equal(logGroups.map(() => KEY));
    expect(bySidOf(policy, "CloudWatchLogsUsesKeyForOwnLogGroups").Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal(
      logGroups.map((g) => `arn:aws:logs:${REGION}:${HUB}:log-group:${g.inputs.name}`).sort());
    const bySid = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    expect(bySid("UseOnlyThroughService").Condition.StringEquals["kms:ViaService"]).to.equal(`elasticfilesystem.${REGION}.amazonaws.com`);
    expect(bySid("CollectorsReadOwnIngestCredentials")).to.deep.equal({
      Sid: "CollectorsReadOwnIngestCredentials", Effect: "Allow",
      // The accounts, pinned to the collector roles: the hub is deployed before those roles exist.
      Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] },
      Action: "kms:Decrypt", Resource: "*",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/amp-collector-selfhosted-payments", "arn:aws:iam::444455556666:role/amp-collector-selfhosted-orders"] },
        StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` },
      },
    });
    const secretPolicy = doc(named(dev, "aws:secretsmanager/secretPolicy:SecretPolicy", "hub-selfhosted-ingest-payments").inputs.policy);
    expect(secretPolicy.Statement).to.deep.equal([{ Sid: "CollectorReadsOwnIngestCredential", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/amp-collector-selfhosted-payments" } } }]);
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

  it("ships the rendered files: the central config, the managed path's Alertmanager config, per-server proxy configs, data sources and exporter jobs", () => {
    const prometheusYml = parse(object(dev, "prometheus/prometheus.yml"));
    expect(prometheusYml.alerting).to.deep.equal({ alertmanagers: [{ static_configs: [{ targets: ["alertmanager.selfhosted.hub.internal:9093"] }] }] });
    expect(prometheusYml.rule_files).to.deep.equal(["payments", "orders"].flatMap((account) => ["kubernetes-health", "service-red", "collector-health"].map((ns) => `/config/rules/${account}-${ns}.yml`)));
    expect(object(dev, "alertmanager/alertmanager.yml")).to.equal(renderAlertmanagerConfig(resolveAlertmanagerSettings({ region: REGION, topicArn: TOPIC }, { teams: { payments: {} } })));
    const proxyConfig = JSON.parse(object(prod, "prometheus-b/ingest-proxy.json"));
    expect(proxyConfig).to.deep.include({ basePath: "/prometheus-b", upstreamUrl: "http://127.0.0.1:9090", queryTokenEnv: "QUERY_TOKEN" });
    expect(proxyConfig.tenants).to.deep.equal([{ account: "orders", tokenEnv: "INGEST_TOKEN_ORDERS" }, { account: "payments", tokenEnv: "INGEST_TOKEN_PAYMENTS" }]);
    const dataSources = parse(object(dev, "grafana/provisioning/datasources/hub.yaml")).datasources as { name: string; url: string }[];
    expect(dataSources.map((d) => d.url)).to.deep.equal(["https://metrics.hub.example.internal/prometheus-a/accounts/orders", "https://metrics.hub.example.internal/prometheus-a/accounts/payments", "https://metrics.hub.example.internal/prometheus-a/all"]);
    expect(parse(object(dev, "cloudwatch-exporter/config.yml")).static.map((job: { name: string }) => job.name)).to.deep.equal(["payments-lambda-charge"]);
    expect(object(dev, "prometheus-a/ingest-proxy.js")).to.match(/^"use strict";/);
    // The loader copies exactly the task's files into /config.
    const loader = containers(dev, "hub-selfhosted-alertmanager").find((c) => c.name === "config-loader")!;
    expect(loader.command[0]).to.equal("set -e && aws s3 cp --only-show-errors 's3://hub-selfhosted-config-210987654321/alertmanager/alertmanager.yml' '/config/alertmanager.yml' && aws s3 cp --only-show-errors 's3://hub-selfhosted-config-210987654321/alertmanager/sns_notifier_json' '/config/sns_notifier_json'");
  });

  it("keeps every credential inside Secrets Manager: containers get them by ARN, and no input holds one in plain text", () => {
    const proxy = containers(dev, "hub-selfhosted-prometheus-a").find((c) => c.name === "ingest-proxy")!;
    expect(proxy.secrets).to.deep.equal([
      { name: "INGEST_TOKEN_ORDERS", valueFrom: `${secretArn("ingest/orders")}:token::` },
      { name: "INGEST_TOKEN_PAYMENTS", valueFrom: `${secretArn("ingest/payments")}:token::` },
      { name: "QUERY_TOKEN", valueFrom: `${secretArn("query-token")}:token::` },
    ]);
    const grafana = containers(dev, "hub-selfhosted-grafana").find((c) => c.name === "grafana")!;
    expect(grafana.secrets.map((s: { name: string }) => s.name)).to.deep.equal(["GF_SECURITY_ADMIN_PASSWORD", "QUERY_TOKEN"]);
    expect(JSON.stringify(grafana.environment)).to.not.match(/PASSWORD|TOKEN/);
    const generated = "known-at-deploy-random-password";
    const found = dev.resources.flatMap((r: ResourceRecord) => occurrences(r.inputs, generated).map((o) => ({ ...o, at: `${r.type} ${r.name}${o.path}` })));
    expect(found.length).to.equal(4);
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
    expect(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).to.deep.equal([["10.20.0.0/16", 443], ["10.30.0.0/16", 443]]);
  });
});
