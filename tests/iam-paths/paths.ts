/**
 * The data paths the plan wires, read from what is actually deployed: the collector's
 * rendered prometheus.yml and Helm values, the managed scrapers, Grafana's data sources,
 * Promxy's config and service account, the alertmanager definitions, the notifier's
 * configuration and subscriptions, the alarm forwarders' event targets. The tests then ask
 * IAM whether each hop is allowed.
 */
import { parse } from "yaml";
import { PlannedStack } from "../../stacks/plan/plan";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { doc, ofType } from "../support/plans";
import { KNOWN_AT_DEPLOY, PlanIndex, PlannedEndpoint, ruleArnOf, workspaceArn } from "./simulate";

export interface HubWorkload {
  accountName: string;
  accountId: string;
  workspaceArn: string;
  ingestRoleArn: string;
  collectorRoleName: string;
  grafanaRoleArn: string;
  cloudWatchReadRoleName: string;
  collector: { mode: string; namespace: string; serviceAccount: string };
  clusters: Array<{ name: string; oidcProviderArn?: string; create?: unknown; vpcEndpoint?: { vpcId: string } }>;
}

/** The hub's `workloads` output: what the hub tells each workload stack. */
export function hubWorkloads(index: PlanIndex): HubWorkload[] {
  return Object.values(index.hub.outputs.workloads as Record<string, HubWorkload>);
}

export function hubWorkload(index: PlanIndex, accountName: string): HubWorkload {
  const found = hubWorkloads(index).find((w) => w.accountName === accountName);
  if (!found) throw new Error(`the ${index.environment} hub has no workload ${accountName}`);
  return found;
}

/** Every AMP workspace the hub declares. */
export function hubWorkspaces(index: PlanIndex): string[] {
  return [...index.resources.values()].filter((r) => r.type === "aws:amp/workspace:Workspace").map((r) => r.arn).sort();
}

function workspaceById(index: PlanIndex, id: string): string {
  const arn = hubWorkspaces(index).find((a) => a.endsWith(`:workspace/${id}`));
  if (!arn) throw new Error(`no workspace ${id} in the ${index.environment} hub (workspaces: ${hubWorkspaces(index).join(", ")})`);
  return arn;
}

/** The workspace a `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/...` URL addresses. */
export function workspaceOfUrl(index: PlanIndex, url: string): string {
  const match = /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/([^/]+)/.exec(url);
  if (!match) throw new Error(`not an AMP workspace URL: ${url}`);
  if (match[1] !== index.region) throw new Error(`${url} is in ${match[1]}, the hub is in ${index.region}`);
  return workspaceById(index, match[2]);
}

function stackOfAccount(index: PlanIndex, accountName: string): PlannedStack {
  const stack = index.workloads.find((s) => s.outputs.accountName === accountName);
  if (!stack) throw new Error(`no workload stack for ${accountName} in the ${index.environment} plan`);
  return stack;
}

/** The OIDC provider of a cluster: given for an existing cluster, created with a demo one. */
export function oidcProviderArnOf(index: PlanIndex, accountId: string, cluster: HubWorkload["clusters"][number]): string {
  if (cluster.oidcProviderArn) return cluster.oidcProviderArn;
  // eks.Cluster with createOidcProvider: the issuer id is assigned by EKS at deploy.
  return `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.${index.region}.amazonaws.com/id/${KNOWN_AT_DEPLOY}`;
}

export interface CollectorPath {
  accountName: string;
  accountId: string;
  stack: string;
  cluster: string;
  oidcProviderArn: string;
  namespace: string;
  serviceAccount: string;
  /** The IRSA role the service account is annotated with. */
  collectorRoleArn: string;
  /** remote_write sigv4.role_arn of the rendered prometheus.yml. */
  ingestRoleArn: string;
  /** The workspace remote_write's URL addresses. */
  workspaceArn: string;
  /** The aps-workspaces endpoint of the cluster's VPC, when it has one. */
  vpcEndpoint?: PlannedEndpoint;
}

/** Every Prometheus collector (collector.mode prometheus) of every workload cluster. */
export function collectorPaths(index: PlanIndex): CollectorPath[] {
  const paths: CollectorPath[] = [];
  for (const workload of hubWorkloads(index)) {
    if (workload.collector.mode !== "prometheus") continue;
    const stack = stackOfAccount(index, workload.accountName);
    const configMaps = ofType(stack, "kubernetes:core/v1:ConfigMap").filter((r) => (r.inputs.data as any)?.["prometheus.yml"]);
    for (const cluster of workload.clusters) {
      const configMap = configMaps.find((r) => parse((r.inputs.data as any)["prometheus.yml"])?.global?.external_labels?.cluster === cluster.name);
      if (!configMap) throw new Error(`${stack.stack}: no prometheus.yml labelled cluster=${cluster.name}`);
      const release = ofType(stack, "kubernetes:helm.sh/v3:Release").find((r) => r.provider === configMap.provider && r.inputs.chart === "prometheus");
      if (!release) throw new Error(`${stack.stack}: no prometheus Helm release on the cluster of ${configMap.name}`);
      const server = (release.inputs.values as any)?.serviceAccounts?.server ?? {};
      const remoteWrite = parse((configMap.inputs.data as any)["prometheus.yml"]).remote_write as Array<{ url: string; sigv4?: { region?: string; role_arn?: string } }>;
      if (remoteWrite?.length !== 1) throw new Error(`${stack.stack}/${configMap.name}: expected one remote_write, found ${remoteWrite?.length ?? 0}`);
      const [target] = remoteWrite;
      if (!target.sigv4?.role_arn) throw new Error(`${stack.stack}/${configMap.name}: remote_write has no sigv4.role_arn`);
      let vpcEndpoint: PlannedEndpoint | undefined;
      if (cluster.vpcEndpoint) {
        vpcEndpoint = index.endpoints.find((e) => e.stack === stack.stack && e.vpcId === cluster.vpcEndpoint!.vpcId && e.serviceName === `com.amazonaws.${index.region}.aps-workspaces`);
        if (!vpcEndpoint) throw new Error(`${stack.stack}: cluster ${cluster.name} has vpcEndpoint config but no aps-workspaces endpoint in ${cluster.vpcEndpoint.vpcId}`);
      }
      paths.push({
        accountName: workload.accountName,
        accountId: workload.accountId,
        stack: stack.stack,
        cluster: cluster.name,
        oidcProviderArn: oidcProviderArnOf(index, workload.accountId, cluster),
        namespace: String(release.inputs.namespace),
        serviceAccount: String(server.name),
        collectorRoleArn: String(server.annotations?.["eks.amazonaws.com/role-arn"]),
        ingestRoleArn: target.sigv4.role_arn,
        workspaceArn: workspaceOfUrl(index, target.url),
        vpcEndpoint,
      });
    }
  }
  return paths;
}

export interface ScraperPath {
  accountName: string;
  accountId: string;
  stack: string;
  /** The scraper's ARN; its id is assigned by AMP at deploy. */
  scraperArn: string;
  sourceRoleArn: string;
  targetRoleArn: string;
  workspaceArn: string;
}

/** Every AMP managed scraper of the workload stacks. */
export function scraperPaths(index: PlanIndex): ScraperPath[] {
  return index.workloads.flatMap((stack) =>
    ofType(stack, "aws:amp/scraper:Scraper").map((scraper) => {
      const i = scraper.inputs as any;
      const accountId = scraper.accountId ?? stack.accountId;
      return {
        accountName: String(stack.outputs.accountName),
        accountId,
        stack: stack.stack,
        scraperArn: `arn:aws:aps:${index.region}:${accountId}:scraper/s-${KNOWN_AT_DEPLOY}-${scraper.name}`,
        sourceRoleArn: String(i.roleConfiguration?.sourceRoleArn),
        targetRoleArn: String(i.roleConfiguration?.targetRoleArn),
        workspaceArn: String(i.destination?.amp?.workspaceArn),
      };
    }));
}

export interface GrafanaPath {
  roleArn: string;
  /** The Grafana workspace ARN (its id is assigned at deploy), the SourceArn of its AssumeRole. */
  workspaceArn: string;
  /** Workspaces of the AMP data sources that sign with the workspace role. */
  queriedWorkspaces: string[];
  /** assumeRoleArn of the CloudWatch data sources. */
  cloudWatchRoles: string[];
}

export function grafanaPath(index: PlanIndex): GrafanaPath {
  const [workspace, ...more] = ofType(index.hub, "aws:grafana/workspace:Workspace");
  if (!workspace || more.length) throw new Error(`the ${index.environment} hub should have one Grafana workspace`);
  const dataSources = ofType(index.hub, "grafana:oss/dataSource:DataSource").map((r) => ({ record: r, json: doc(r.inputs.jsonDataEncoded ?? "{}") }));
  return {
    roleArn: String(workspace.inputs.roleArn),
    workspaceArn: `arn:aws:grafana:${index.region}:${index.hubAccountId}:/workspaces/g-${KNOWN_AT_DEPLOY}`,
    queriedWorkspaces: dataSources
      .filter((d) => d.record.inputs.type === "prometheus" && d.json.sigV4Auth === true)
      .map((d) => {
        if (d.json.sigV4AuthType !== "ec2_iam_role" || d.json.sigV4AssumeRoleArn) throw new Error(`data source ${d.record.name} does not sign with the workspace role: not modelled here`);
        return workspaceOfUrl(index, String(d.record.inputs.url));
      }),
    cloudWatchRoles: dataSources.filter((d) => d.record.inputs.type === "cloudwatch" && d.json.assumeRoleArn).map((d) => String(d.json.assumeRoleArn)),
  };
}

export interface PromxyPath {
  oidcProviderArn: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  queriedWorkspaces: string[];
}

/** Promxy of the unified query, if the environment runs it. */
export function promxyPath(index: PlanIndex): PromxyPath | undefined {
  const configMap = ofType(index.hub, "kubernetes:core/v1:ConfigMap").find((r) => parse(String((r.inputs.data as any)?.["config.yaml"] ?? ""))?.promxy);
  if (!configMap) return undefined;
  const namespace = String((configMap.inputs.metadata as any).namespace);
  const config = parse(String((configMap.inputs.data as any)["config.yaml"]));
  const deployment = ofType(index.hub, "kubernetes:apps/v1:Deployment").find((r) => (r.inputs.metadata as any)?.namespace === namespace);
  const saName = (deployment?.inputs as any)?.spec?.template?.spec?.serviceAccountName;
  const sa = ofType(index.hub, "kubernetes:core/v1:ServiceAccount").find((r) => (r.inputs.metadata as any)?.namespace === namespace && (r.inputs.metadata as any)?.name === saName);
  if (!sa) throw new Error(`${index.hub.stack}: Promxy's service account ${namespace}/${saName} is not declared`);
  const clusters = ofType(index.hub, "eks:index:Cluster");
  if (clusters.length !== 1) throw new Error(`${index.hub.stack}: expected one EKS cluster for Promxy, found ${clusters.length}`);
  const groups = config.promxy.server_groups as Array<{ scheme: string; path_prefix: string; static_configs: Array<{ targets: string[] }>; http_client?: { sigv4?: { role_arn?: string } } }>;
  if (groups.some((g) => g.http_client?.sigv4?.role_arn)) throw new Error("a Promxy server group assumes a role: not modelled here");
  return {
    oidcProviderArn: `arn:aws:iam::${index.hubAccountId}:oidc-provider/oidc.eks.${index.region}.amazonaws.com/id/${KNOWN_AT_DEPLOY}`,
    namespace,
    serviceAccount: String(saName),
    roleArn: String((sa.inputs.metadata as any).annotations?.["eks.amazonaws.com/role-arn"]),
    queriedWorkspaces: groups.flatMap((g) => g.static_configs.flatMap((s) => s.targets.map((t) => workspaceOfUrl(index, `${g.scheme}://${t}${g.path_prefix}`)))),
  };
}

export interface AlertPublishPath {
  workspaceArn: string;
  topicArn: string;
}

/** Every (workspace, topic) an alertmanager definition publishes to. */
export function alertPublishPaths(index: PlanIndex): AlertPublishPath[] {
  return ofType(index.hub, "aws:amp/alertManagerDefinition:AlertManagerDefinition").flatMap((definition) => {
    const workspace = workspaceById(index, String(definition.inputs.workspaceId));
    const config = parse(String(parse(String(definition.inputs.definition)).alertmanager_config));
    const topics = new Set<string>((config.receivers ?? []).flatMap((r: any) => (r.sns_configs ?? []).map((s: any) => String(s.topic_arn))));
    return [...topics].map((topicArn) => ({ workspaceArn: workspace, topicArn }));
  });
}

export interface NotifierPath {
  functionArn: string;
  roleArn: string;
  /** secretArn of every destination in NOTIFIER_CONFIG. */
  secretArns: string[];
  /** On-failure destination of asynchronous invocations. */
  deadLetterQueueArn: string;
  /** Topics subscribed with protocol lambda. */
  topics: string[];
  /** Rules that target the function. */
  rules: string[];
}

export function notifierPath(index: PlanIndex): NotifierPath {
  const [fn, ...more] = ofType(index.hub, "aws:lambda/function:Function");
  if (!fn || more.length) throw new Error(`the ${index.environment} hub should have one Lambda function`);
  const functionName = String(fn.inputs.name ?? fn.name);
  const functionArn = `arn:aws:lambda:${index.region}:${index.hubAccountId}:function:${functionName}`;
  const config = doc((fn.inputs.environment as any).variables.NOTIFIER_CONFIG);
  const invokeConfig = ofType(index.hub, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").find((r) => r.inputs.functionName === functionName);
  const rules = ofType(index.hub, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.arn === functionArn).map((t) => {
    const rule = ofType(index.hub, "aws:cloudwatch/eventRule:EventRule").find((r) => (r.inputs.name ?? r.name) === t.inputs.rule && (r.inputs.eventBusName ?? "default") === (t.inputs.eventBusName ?? "default"));
    if (!rule) throw new Error(`event target ${t.name} names rule ${t.inputs.rule}, which the hub does not declare`);
    return ruleArnOf(rule, index.region, index.hubAccountId);
  });
  return {
    functionArn,
    roleArn: String(fn.inputs.role),
    secretArns: (config.destinations as Array<{ secretArn: string }>).map((d) => d.secretArn),
    deadLetterQueueArn: String((invokeConfig?.inputs as any)?.destinationConfig?.onFailure?.destination),
    topics: ofType(index.hub, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.protocol === "lambda" && s.inputs.endpoint === functionArn).map((s) => String(s.inputs.topic)),
    rules,
  };
}

export interface AlarmTopicPath {
  alarmArn: string;
  topicArn: string;
}

/** Hub alarms (the pipeline's own health) and the topics their actions publish to. */
export function hubAlarmPaths(index: PlanIndex): AlarmTopicPath[] {
  return ofType(index.hub, "aws:cloudwatch/metricAlarm:MetricAlarm").flatMap((alarm: ResourceRecord) => {
    const alarmArn = `arn:aws:cloudwatch:${index.region}:${index.hubAccountId}:alarm:${alarm.inputs.name ?? alarm.name}`;
    const topics = new Set<string>([...((alarm.inputs.alarmActions as string[]) ?? []), ...((alarm.inputs.okActions as string[]) ?? [])]);
    return [...topics].map((topicArn) => ({ alarmArn, topicArn }));
  });
}

export interface ForwarderPath {
  accountName: string;
  accountId: string;
  stack: string;
  roleArn: string;
  /** The workload rule (default bus) that forwards the alarms. */
  ruleArn: string;
  busArn: string;
  /** Where EventBridge dead-letters what it could not forward. */
  deadLetterQueueArn?: string;
  /** The alarm on that queue's depth and the topics it notifies. */
  deadLetterAlarm?: { alarmArn: string; topics: string[] };
}

/** Every workload event target that forwards alarms to another bus through a role. */
export function forwarderPaths(index: PlanIndex): ForwarderPath[] {
  return index.workloads.flatMap((stack) =>
    ofType(stack, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.roleArn && String(t.inputs.arn).includes(":event-bus/")).map((target) => {
      const accountId = target.accountId ?? stack.accountId;
      const rule = ofType(stack, "aws:cloudwatch/eventRule:EventRule").find((r) => (r.inputs.name ?? r.name) === target.inputs.rule);
      if (!rule) throw new Error(`${stack.stack}: event target ${target.name} names rule ${target.inputs.rule}, which is not declared`);
      return {
        accountName: String(stack.outputs.accountName),
        accountId,
        stack: stack.stack,
        roleArn: String(target.inputs.roleArn),
        ruleArn: ruleArnOf(rule, index.region, accountId),
        busArn: String(target.inputs.arn),
        ...deadLetterOf(stack, target, index.region, accountId),
      };
    }));
}

function deadLetterOf(stack: PlanIndex["workloads"][number], target: ResourceRecord, region: string, accountId: string): Pick<ForwarderPath, "deadLetterQueueArn" | "deadLetterAlarm"> {
  const queueArn = (target.inputs.deadLetterConfig as { arn?: string } | undefined)?.arn;
  if (!queueArn) return {};
  const queueName = queueArn.split(":").pop();
  const alarm = ofType(stack, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a: ResourceRecord) => (a.inputs.dimensions as any)?.QueueName === queueName);
  if (!alarm) return { deadLetterQueueArn: queueArn };
  const topics = [...new Set([...((alarm.inputs.alarmActions as string[]) ?? []), ...((alarm.inputs.okActions as string[]) ?? [])])];
  return { deadLetterQueueArn: queueArn, deadLetterAlarm: { alarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarm.inputs.name ?? alarm.name}`, topics } };
}

export { workspaceArn };
