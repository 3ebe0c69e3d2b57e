/**
 * SelfHostedHub: the hub backend for organisations that do not use AMP/AMG. In the hub
 * account, on ECS Fargate with EFS:
 *
 *   collectors --TLS, bearer token--> internal ALB --/prometheus-<x>/*--> ingest proxy --> Prometheus <x>
 *   (one or two independent servers; collectors write to each)           (rules) --> Alertmanager --> SNS topic
 *   CloudWatch exporter (YACE, assumes the accounts' CloudWatch read roles) <-- scraped by Prometheus
 *   users --ALB Cognito login--> Grafana --query token--> ALB --> proxy (/accounts/<a> confined, /all)
 *   stacks --ALB :8443, Grafana token--> Grafana API (folders, data sources, dashboards)
 *
 * Reads like a table of contents: key, config bucket, storage, network, load balancer,
 * credentials, then one single-writer Fargate service per task. Rendering is in the pure
 * modules beside it; IAM comes from the named builders in components/iam.
 *
 * Nothing here is per account: each account's ingest credential, rule files and CloudWatch
 * exporter jobs are declared by its own hub stack (`SelfHostedHubAccount`), and the tasks'
 * account sync picks them up while they run; its Grafana folder, data source and dashboards
 * too (`AccountFolder`, through Grafana's API).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertmanagerSettings } from "../alert-pipeline/alertmanager";
import { policyJson } from "../iam/policy-document";
import { iamRoleArn, logGroupArn, partitionOf } from "../shared/arns";
import { collectorRoleArnPattern } from "../shared/naming";
import { ACCOUNT_RULE_FILES_GLOB, ACCOUNTS_DIRECTORY, ACCOUNTS_PREFIX, CLOUDWATCH_JOBS_PREFIX, ingestSecretNamePrefix, RULES_DIRECTORY, RULES_PREFIX } from "./account-files";
import { accountSyncEnvironment, prometheusReloadCommand } from "./account-sync";
import { collectorMetricAllowlist } from "../workload-collector/metric-allowlist";
import { alertmanagerServerArgs, selfHostedAlertmanagerFiles } from "./alertmanager-files";
import { cloudWatchExporterAssembleCommand, cloudWatchExporterHeader, cloudWatchExporterWaitingCommand } from "./cloudwatch-exporter-config";
import { ConfigBucket } from "./config-bucket";
import { accountSyncContainer, CONFIG_PATH, ConfigFile, configLoaderContainer, ContainerDefinition, IMAGES, Images, LogSettings, mainContainer, renderContainerDefinitions, TOKENS_PATH, TOKENS_VOLUME } from "./container-definitions";
import { selfHostedKeyPolicy, taskRolePolicy, TaskPermissions } from "./documents";
import { FargateService } from "./fargate-service";
import { GeneratedSecret } from "./generated-secret";
import { GRAFANA_ADMIN_USER, SelfHostedGrafanaApi } from "./grafana-api";
import { bundleIngestProxy } from "./ingest-proxy/bundle";
import { QUERY_TOKEN_ENV, renderIngestProxyConfig } from "./ingest-proxy/proxy-config";
import { CognitoLogin, HubLoadBalancer } from "./load-balancer";
import { FederatedWorkload, prometheusServerArgs, renderCentralPrometheusConfig } from "./prometheus-config";
import { HubSecurityGroups, PORTS } from "./security-groups";
import { SharedStorage } from "./shared-storage";
import { assertFargateSize, SelfHostedSizing, TaskSize } from "./sizing";

/** How often the tasks' account sync runs, and how many cycles between full token re-reads (an hour). */
export const ACCOUNT_SYNC_INTERVAL_SECONDS = 60;
export const TOKEN_REFRESH_CYCLES = 60;

export interface SelfHostedHubArgs {
  environment: string;
  accountId: string;
  region: string;
  sizing: SelfHostedSizing;
  vpcId: string;
  privateSubnetIds: string[];
  collectorCidrs: string[];
  /** Networks the deployments run from: they reach Grafana's API listener (port 8443). */
  automationCidrs: string[];
  certificateArn: string;
  /** Host name of the ALB for collectors and Grafana's data sources (the certificate's name). */
  ingestHostName: string;
  grafanaHostName: string;
  login: CognitoLogin;
  /** The organisation: its accounts' collector roles may decrypt their own ingest credentials. */
  organizationId: string;
  /** The workload accounts' CloudWatch read role name, which the exporter assumes in any account of the organisation. */
  cloudWatchReadRoleName: string;
  /** The managed path's Alertmanager settings (topic, teams, timing): the same files run here. */
  alertmanager: AlertmanagerSettings;
  /** Key of the alert topic, when it is SSE-KMS encrypted. */
  alertTopicKeyArn?: pulumi.Input<string>;
  scrapeInterval: string;
  evaluationInterval: string;
  federation?: FederatedWorkload[];
  logRetentionDays: number;
  images?: Partial<Images>;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

/** `/prometheus-a`, `/prometheus-b`: each independent server's path on the load balancer. */
export function replicaBasePaths(replicas: number): string[] {
  return Array.from({ length: replicas }, (_, index) => `/prometheus-${String.fromCharCode(97 + index)}`);
}

const NOBODY = 65534;
const GRAFANA_UID = 472;

export class SelfHostedHub extends pulumi.ComponentResource {
  /** Per Prometheus server: the URL collectors remote-write to (each collector writes to all). */
  public readonly remoteWriteUrls: string[];
  /** The key the accounts' ingest secrets are encrypted with: a collector decrypts with it through Secrets Manager. */
  public readonly ingestSecretKeyArn: pulumi.Output<string>;
  /** Where each account's hub stack writes its files (`account-files.ts`). */
  public readonly configBucketName: string;
  /** The first server's proxy as Grafana reaches it: an account's data source points under it. */
  public readonly grafanaProxyUrl: string;
  public readonly grafanaUrl: string;
  public readonly loadBalancerDnsName: pulumi.Output<string>;
  public readonly fileSystemId: pulumi.Output<string>;
  public readonly grafanaAdminSecretArn: pulumi.Output<string>;
  /** Grafana's API as the stacks reach it, and the automation token they sign in with (secret). */
  public readonly grafanaApiUrl: string;
  public readonly grafanaApiToken: pulumi.Output<string>;
  /** The query token the accounts' data sources present to the proxy (secret). */
  public readonly queryToken: pulumi.Output<string>;
  /** The CloudWatch exporter's task role: each account's CloudWatch read role must trust it. */
  public readonly cloudWatchExporterRoleArn: string;

  constructor(name: string, args: SelfHostedHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:SelfHostedHub", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    const { environment, accountId, region, sizing, tags } = args;
    const images = { ...IMAGES, ...args.images };
    for (const task of ["prometheus", "alertmanager", "grafana", "cloudWatchExporter"] as const) assertFargateSize(`${name} ${task}`, sizing[task]);
    const basePaths = replicaBasePaths(sizing.prometheusReplicas);
    const logGroupPrefix = `/observability/${environment}/self-hosted`;
    const logGroupName = (task: string) => `${logGroupPrefix}/${task}`;
    const ingestPrefix = ingestSecretNamePrefix(environment);

    // Every task's log group, named before the key so the key policy can admit exactly them. The
    // CloudWatch exporter always runs: whether any account has alarm presets is the accounts' business.
    const tasks = [...basePaths.map((basePath) => basePath.slice(1)), "alertmanager", "grafana", "cloudwatch-exporter"];
    const taskLogGroupArns = tasks.map((task) => logGroupArn(region, accountId, logGroupName(task)));

    // Key: EFS, the credentials and the tasks' log groups.
    const key = new aws.kms.Key(`${name}-key`, {
      description: `Encrypts the ${environment} self-hosted hub's file system, credentials and logs`,
      enableKeyRotation: true,
      policy: policyJson(selfHostedKeyPolicy(accountId, region, {
        organizationId: args.organizationId,
        roleArnPattern: collectorRoleArnPattern(environment, partitionOf(region)),
        ingestSecretNamePrefix: ingestPrefix,
      }, taskLogGroupArns)),
      tags,
    }, child);

    // Shared credentials, generated in Secrets Manager, injected by ARN, never in config or state
    // in plain text. The accounts' ingest credentials are their hub stacks' (SelfHostedHubAccount).
    const queryToken = new GeneratedSecret(`${name}-query-token`, {
      secretName: `observability/${environment}/self-hosted/query-token`,
      description: `Bearer token Grafana's data sources present to the ${environment} hub's query paths`,
      field: "token",
      kmsKeyId: key.arn,
      awsProvider: args.awsProvider,
      tags,
    }, { parent: this });
    const grafanaAdmin = new GeneratedSecret(`${name}-grafana-admin`, {
      secretName: `observability/${environment}/self-hosted/grafana-admin`,
      description: `Password of the ${environment} hub Grafana's admin user`,
      field: "password",
      kmsKeyId: key.arn,
      awsProvider: args.awsProvider,
      tags,
    }, { parent: this });
    this.grafanaAdminSecretArn = grafanaAdmin.secretArn;

    // Rendered files, one folder per task in the config bucket. The accounts' own files are
    // under the account prefixes (account-files.ts), which the account sync keeps in step.
    const alertmanagerHost = `alertmanager.${environment}.hub.internal`;
    const exporterHost = `cloudwatch-exporter.${environment}.hub.internal`;
    const prometheusYml = renderCentralPrometheusConfig({
      scrapeInterval: args.scrapeInterval,
      evaluationInterval: args.evaluationInterval,
      selfAddress: "127.0.0.1:9090",
      hubAccountLabel: `${environment}-hub`,
      ruleDir: `${CONFIG_PATH}/rules`,
      ruleFileGlobs: [ACCOUNT_RULE_FILES_GLOB],
      alertmanagers: [`${alertmanagerHost}:${PORTS.alertmanager}`],
      cloudWatchExporter: `${exporterHost}:${PORTS.cloudWatchExporter}`,
      federation: args.federation ?? [],
      federationAllowlist: collectorMetricAllowlist(),
    }, []);
    const grafanaProxyUrl = `https://${args.ingestHostName}${basePaths[0]}`;
    const files: Record<string, Record<string, pulumi.Input<string>>> = {
      prometheus: { "prometheus.yml": prometheusYml },
      alertmanager: selfHostedAlertmanagerFiles(args.alertmanager),
      "cloudwatch-exporter": { "header.yml": cloudWatchExporterHeader(region) },
    };
    for (const basePath of basePaths) {
      const replica = basePath.slice(1);
      files[replica] = {
        "ingest-proxy.js": pulumi.output(bundleIngestProxy()),
        "ingest-proxy.json": renderIngestProxyConfig({ tokensDirectory: TOKENS_PATH, listen: { host: "0.0.0.0", port: PORTS.ingestProxy }, upstreamUrl: "http://127.0.0.1:9090", basePath }),
      };
    }
    const objects: Record<string, pulumi.Input<string>> = {};
    for (const [folder, folderFiles] of Object.entries(files)) for (const [file, content] of Object.entries(folderFiles)) objects[`${folder}/${file}`] = content;
    const bucketName = `${name}-config-${accountId}`;
    const bucket = new ConfigBucket(`${name}-config`, { bucketName, objects, awsProvider: args.awsProvider, tags }, { parent: this });
    // The name is ours, so object ARNs are known before the bucket exists (and in a plan).
    const bucketArn = `arn:${partitionOf(region)}:s3:::${bucketName}`;
    /** The files of these bucket folders, copied into /config (each folder's files at the top level). */
    const loadedFiles = (...folders: string[]): ConfigFile[] =>
      folders.flatMap((folder) => Object.keys(files[folder]).map((file) => ({ objectKey: `${folder}/${file}`, fileName: file })));
    const objectArns = (loaded: ConfigFile[]) => loaded.map((file) => `${bucketArn}/${file.objectKey}`);

    // Network, storage, load balancer, cluster, service discovery.
    const groups = new HubSecurityGroups(`${name}-sg`, { vpcId: args.vpcId, collectorCidrs: args.collectorCidrs, automationCidrs: args.automationCidrs, awsProvider: args.awsProvider, tags }, { parent: this });
    const storage = new SharedStorage(`${name}-efs`, {
      subnetIds: args.privateSubnetIds,
      securityGroupId: groups.storage,
      kmsKeyArn: key.arn,
      throughputMode: sizing.efsThroughputMode,
      provisionedThroughputMibps: sizing.efsProvisionedThroughputMibps,
      accessPoints: {
        ...Object.fromEntries(basePaths.map((basePath) => [basePath.slice(1), { path: basePath, uid: NOBODY, gid: NOBODY }])),
        alertmanager: { path: "/alertmanager", uid: NOBODY, gid: NOBODY },
        grafana: { path: "/grafana", uid: GRAFANA_UID, gid: GRAFANA_UID },
      },
      awsProvider: args.awsProvider,
      tags,
    }, { parent: this });
    const loadBalancer = new HubLoadBalancer(`${name}-lb`.slice(0, 28), {
      vpcId: args.vpcId,
      subnetIds: args.privateSubnetIds,
      securityGroupId: groups.loadBalancer,
      certificateArn: args.certificateArn,
      proxyBasePaths: basePaths,
      grafanaHostName: args.grafanaHostName,
      login: args.login,
      identityHeader: GRAFANA_IDENTITY_HEADER,
      awsProvider: args.awsProvider,
      tags,
    }, { parent: this });
    const cluster = new aws.ecs.Cluster(name, { name, settings: [{ name: "containerInsights", value: "enabled" }], tags }, child);
    const namespace = new aws.servicediscovery.PrivateDnsNamespace(name, { name: `${environment}.hub.internal`, vpc: args.vpcId, tags }, child);
    const discoverable = (service: string) => new aws.servicediscovery.Service(`${name}-${service}`, {
      name: service,
      namespaceId: namespace.id,
      dnsConfig: { namespaceId: namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
      tags,
    }, child);

    const service = (task: string, spec: {
      size: TaskSize;
      loaded: ConfigFile[];
      containers: (log: LogSettings) => pulumi.Input<ContainerDefinition>[];
      permissions: (configObjectArns: string[], storageArns: { fileSystemArn: string; accessPointArn: string } | undefined, topicKeyArn: string | undefined, hubKeyArn: string) => TaskPermissions;
      secrets: pulumi.Input<string>[];
      scratchVolumes?: string[];
      storage?: string;
      securityGroup: pulumi.Output<string>;
      loadBalancer?: { targetGroupArn: pulumi.Output<string>; containerName: string; containerPort: number };
      registry?: aws.servicediscovery.Service;
      waitForSteadyState?: boolean;
    }) => {
      if (!tasks.includes(task)) throw new Error(`${name}: task ${task} has no log group in the key policy`);
      const log = { logGroupName: logGroupName(task), region };
      const definitions = pulumi.all([bucket.bucketName, pulumi.all(spec.containers(log))]).apply(([bucketName, main]) =>
        renderContainerDefinitions([...(spec.loaded.length > 0 ? [configLoaderContainer(images.configLoader, bucketName, spec.loaded, log)] : []), ...main]));
      const accessPoint = spec.storage ? storage.accessPoints[spec.storage] : undefined;
      const taskPolicy = pulumi.all([objectArns(spec.loaded), storage.fileSystemArn, accessPoint ? accessPoint.arn : "", pulumi.output(args.alertTopicKeyArn ?? ""), key.arn]).apply(
        ([arns, fileSystemArn, accessPointArn, topicKeyArn, hubKeyArn]) =>
          policyJson(taskRolePolicy(spec.permissions(arns, accessPoint ? { fileSystemArn, accessPointArn } : undefined, topicKeyArn || undefined, hubKeyArn))));
      return new FargateService(`${name}-${task}`, {
        accountId,
        region,
        clusterArn: cluster.arn,
        logGroupName: log.logGroupName,
        logRetentionDays: args.logRetentionDays,
        kmsKeyArn: key.arn,
        size: spec.size,
        containerDefinitions: definitions,
        taskPolicy,
        injectedSecretArns: spec.secrets,
        scratchVolumes: spec.scratchVolumes,
        storage: accessPoint ? { fileSystemId: storage.fileSystemId, accessPointId: accessPoint.id } : undefined,
        subnetIds: args.privateSubnetIds,
        securityGroupIds: [spec.securityGroup],
        loadBalancer: spec.loadBalancer,
        serviceRegistryArn: spec.registry?.arn,
        waitForSteadyState: spec.waitForSteadyState,
        dependsOn: storage.mountTargets,
        awsProvider: args.awsProvider,
        tags,
      }, { parent: this });
    };
    const withStorage = (storageArns: { fileSystemArn: string; accessPointArn: string } | undefined) => {
      if (!storageArns) throw new Error("a writer task without its access point");
      return { region, accountId, accessPointArn: storageArns.accessPointArn };
    };

    // One independent Prometheus server per base path: its own TSDB, rules and ingest proxy.
    // The proxy runs beside Prometheus in the task, which listens on the task's loopback only.
    // Beside them the account sync: the accounts' rule files (then a reload) and ingest tokens
    // (the proxy re-reads them), so the task definition is the same at any number of accounts.
    const prometheusSync = accountSyncEnvironment({
      bucketName,
      prefixes: [{ prefix: ACCOUNTS_PREFIX, directory: ACCOUNTS_DIRECTORY }, { prefix: RULES_PREFIX, directory: RULES_DIRECTORY }],
      intervalSeconds: ACCOUNT_SYNC_INTERVAL_SECONDS,
      cycles: 0,
      onChange: prometheusReloadCommand("127.0.0.1:9090"),
      readyFile: `${TOKENS_PATH}/.first-cycle-done`,
      tokens: { accountsDirectory: ACCOUNTS_DIRECTORY, secretNamePrefix: ingestPrefix, tokensDirectory: TOKENS_PATH, refreshCycles: TOKEN_REFRESH_CYCLES },
    });
    basePaths.forEach((basePath, index) => {
      const replica = basePath.slice(1);
      service(replica, {
        size: sizing.prometheus,
        loaded: loadedFiles("prometheus", replica),
        secrets: [queryToken.secretArn],
        scratchVolumes: [TOKENS_VOLUME],
        storage: replica,
        securityGroup: groups.metrics,
        loadBalancer: { targetGroupArn: loadBalancer.proxyTargetGroupArns[index], containerName: "ingest-proxy", containerPort: PORTS.ingestProxy },
        containers: (log) => [
          mainContainer({
            name: "prometheus",
            image: images.prometheus,
            user: `${NOBODY}:${NOBODY}`,
            dataPath: "/prometheus",
            command: prometheusServerArgs({ configFile: `${CONFIG_PATH}/prometheus.yml`, storagePath: "/prometheus", retentionTime: sizing.retentionTime, retentionSize: sizing.retentionSize, listenAddress: "127.0.0.1:9090", lifecycleApi: true }),
            healthCheckCommand: "wget -q -O /dev/null http://127.0.0.1:9090/-/ready || exit 1",
          }, log),
          queryToken.valueFrom.apply((valueFrom) => mainContainer({
            name: "ingest-proxy",
            image: images.node,
            command: ["node", `${CONFIG_PATH}/ingest-proxy.js`, `${CONFIG_PATH}/ingest-proxy.json`],
            port: PORTS.ingestProxy,
            secrets: [{ name: QUERY_TOKEN_ENV, valueFrom }],
            mounts: [{ sourceVolume: TOKENS_VOLUME, containerPath: TOKENS_PATH, readOnly: true }],
            // After the first sync: the proxy starts knowing every account's token.
            dependsOn: [{ containerName: "prometheus", condition: "HEALTHY" }, { containerName: "account-sync", condition: "HEALTHY" }],
          }, log)),
          accountSyncContainer({ image: images.configLoader, environment: prometheusSync, writesTokens: true, readyFile: prometheusSync.READY_FILE }, log),
        ],
        permissions: (configObjectArns, storageArns, _topicKeyArn, hubKeyArn) => ({
          kind: "prometheus",
          configObjectArns,
          storage: withStorage(storageArns),
          accountSync: { bucketArn, prefixes: [ACCOUNTS_PREFIX, RULES_PREFIX], ingestSecrets: { region, accountId, namePrefix: ingestPrefix, keyArn: hubKeyArn } },
        }),
      });
    });

    // Alertmanager: the managed path's config and templates; silences and the notification log on EFS.
    service("alertmanager", {
      size: sizing.alertmanager,
      loaded: loadedFiles("alertmanager"),
      secrets: [],
      storage: "alertmanager",
      securityGroup: groups.alertmanager,
      registry: discoverable("alertmanager"),
      containers: (log) => [mainContainer({
        name: "alertmanager",
        image: images.alertmanager,
        user: `${NOBODY}:${NOBODY}`,
        dataPath: "/alertmanager",
        port: PORTS.alertmanager,
        command: alertmanagerServerArgs({ configDir: CONFIG_PATH, storagePath: "/alertmanager", listenAddress: `0.0.0.0:${PORTS.alertmanager}`, peers: [] }),
        healthCheckCommand: `wget -q -O /dev/null http://127.0.0.1:${PORTS.alertmanager}/-/ready || exit 1`,
      }, log)],
      permissions: (configObjectArns, storageArns, topicKeyArn) => ({
        kind: "alertmanager",
        configObjectArns,
        storage: withStorage(storageArns),
        topicArns: [args.alertmanager.topicArn, ...Object.values(args.alertmanager.teams).flatMap((team) => (team.topicArn ? [team.topicArn] : []))],
        topicKeyArn,
        region,
      }),
    });

    // Grafana: database on EFS, login by the load balancer (Cognito), admin password injected. It
    // loads no files: the stacks manage its folders, data sources and dashboards through its API
    // (below, and each account's hub stack), so the deploy waits until it serves.
    const grafanaService = service("grafana", {
      size: sizing.grafana,
      loaded: [],
      secrets: [grafanaAdmin.secretArn],
      storage: "grafana",
      securityGroup: groups.grafana,
      loadBalancer: { targetGroupArn: loadBalancer.grafanaTargetGroupArn, containerName: "grafana", containerPort: PORTS.grafana },
      waitForSteadyState: true,
      containers: (log) => [grafanaAdmin.valueFrom.apply((adminPassword) => mainContainer({
        name: "grafana",
        image: images.grafana,
        user: `${GRAFANA_UID}:${GRAFANA_UID}`,
        dataPath: "/var/lib/grafana",
        port: PORTS.grafana,
        command: [],
        environment: grafanaEnvironment(args.grafanaHostName),
        secrets: [{ name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: adminPassword }],
        healthCheckCommand: `wget -q -O /dev/null http://127.0.0.1:${PORTS.grafana}/api/health || exit 1`,
        loadsConfig: false,
      }, log))],
      permissions: (_configObjectArns, storageArns) => ({ kind: "grafana", storage: withStorage(storageArns) }),
    });
    const grafanaApi = new SelfHostedGrafanaApi(`${name}-grafana-api`, {
      environment,
      grafanaHostName: args.grafanaHostName,
      adminPassword: grafanaAdmin.value,
      proxyUrl: grafanaProxyUrl,
      scrapeInterval: args.scrapeInterval,
      queryToken: queryToken.value,
      dependsOn: [grafanaService, loadBalancer],
    }, { parent: this });

    // CloudWatch exporter: the accounts' alarm presets, read through their CloudWatch read roles.
    // Its account sync mirrors the accounts' job files, assembles them under the shared header
    // and has YACE reload; YACE starts once the first account's jobs are there.
    const exporterConfig = `${CONFIG_PATH}/config.yml`;
    const jobsDirectory = `${CONFIG_PATH}/cloudwatch-exporter-jobs`;
    const exporterSync = accountSyncEnvironment({
      bucketName,
      prefixes: [{ prefix: CLOUDWATCH_JOBS_PREFIX, directory: jobsDirectory }],
      intervalSeconds: ACCOUNT_SYNC_INTERVAL_SECONDS,
      cycles: 0,
      onChange: cloudWatchExporterAssembleCommand({ headerFile: `${CONFIG_PATH}/header.yml`, jobsDirectory, configFile: exporterConfig, exporterAddress: `127.0.0.1:${PORTS.cloudWatchExporter}` }),
    });
    service("cloudwatch-exporter", {
      size: sizing.cloudWatchExporter,
      loaded: loadedFiles("cloudwatch-exporter"),
      secrets: [],
      securityGroup: groups.cloudWatchExporter,
      registry: discoverable("cloudwatch-exporter"),
      containers: (log) => [mainContainer({
        name: "cloudwatch-exporter",
        image: images.cloudWatchExporter,
        port: PORTS.cloudWatchExporter,
        entryPoint: ["sh", "-c"],
        command: [cloudWatchExporterWaitingCommand(exporterConfig, `0.0.0.0:${PORTS.cloudWatchExporter}`)],
      }, log), accountSyncContainer({ image: images.configLoader, environment: exporterSync, writesTokens: false }, log)],
      permissions: (configObjectArns) => ({
        kind: "cloudwatch-exporter",
        configObjectArns,
        accountSync: { bucketArn, prefixes: [CLOUDWATCH_JOBS_PREFIX] },
        cloudWatchReadRole: { roleName: args.cloudWatchReadRoleName, organizationId: args.organizationId, partition: partitionOf(region) },
      }),
    });

    this.ingestSecretKeyArn = key.arn;
    this.configBucketName = bucketName;
    this.grafanaProxyUrl = grafanaProxyUrl;
    this.cloudWatchExporterRoleArn = iamRoleArn(accountId, `${name}-cloudwatch-exporter-task`, partitionOf(region));
    this.remoteWriteUrls = basePaths.map((basePath) => `https://${args.ingestHostName}${basePath}/api/v1/write`);
    this.grafanaUrl = `https://${args.grafanaHostName}`;
    this.grafanaApiUrl = grafanaApi.url;
    this.grafanaApiToken = grafanaApi.token;
    this.queryToken = queryToken.value;
    this.loadBalancerDnsName = loadBalancer.dnsName;
    this.fileSystemId = storage.fileSystemId;
    this.registerOutputs({ remoteWriteUrls: this.remoteWriteUrls, grafanaUrl: this.grafanaUrl, loadBalancerDnsName: this.loadBalancerDnsName });
  }
}

/** Where the load balancer's login puts the signed-in user, and the one header Grafana's auth proxy trusts. */
export const GRAFANA_IDENTITY_HEADER = "X-Amzn-Oidc-Identity";

/**
 * Grafana behind the load balancer's Cognito login: the ALB puts the signed-in user's
 * identity in `X-Amzn-Oidc-Identity` (and only the ALB reaches Grafana: security group), so
 * Grafana trusts that header and has no login form of its own.
 */
export function grafanaEnvironment(grafanaHostName: string): Record<string, string> {
  return {
    GF_SERVER_ROOT_URL: `https://${grafanaHostName}`,
    GF_PATHS_DATA: "/var/lib/grafana",
    GF_AUTH_PROXY_ENABLED: "true",
    GF_AUTH_PROXY_HEADER_NAME: GRAFANA_IDENTITY_HEADER,
    GF_AUTH_PROXY_HEADER_PROPERTY: "username",
    GF_AUTH_PROXY_AUTO_SIGN_UP: "true",
    GF_AUTH_DISABLE_LOGIN_FORM: "true",
    GF_USERS_AUTO_ASSIGN_ORG_ROLE: "Viewer",
    GF_SECURITY_ADMIN_USER: GRAFANA_ADMIN_USER,
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
  };
}
