/**
 * A workload stack (`<env>-<account>`): reads its account's record from its hub stack
 * (`<env>-hub-<account>`),
 * then deploys the collector side into that account.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { alarmForwarding } from "./alarm-forwarding";
import { ManagedEksCluster } from "../components/eks-cluster";
import { CollectorCluster, WorkloadAccountCollector } from "../components/workload-collector";
import { collectorMetricAllowlist } from "../components/workload-collector/metric-allowlist";
import { resolveWorkloadRecord } from "./config/validate";
import { ClusterConfig, WorkloadStackConfig, isDemoCluster } from "./config/schema";
import { WORKLOADS_OUTPUT, WorkloadStackRecord, WorkloadStackRecords, hubAccountStackName } from "./contract";
import { existingClusterProvider } from "./kubernetes";
import { deployProvider } from "./providers";
import { isSelfHostedRecord } from "./self-hosted-contract";
import { selfHostedWorkloadProgram } from "./self-hosted-workload";

async function existingCluster(record: WorkloadStackRecord, cluster: Exclude<ClusterConfig, { create: unknown }>, provider: aws.Provider): Promise<CollectorCluster> {
  const access = existingClusterProvider(`${record.accountName}-${cluster.name}-k8s`,
    { clusterName: cluster.name, region: record.region, deployRoleArn: record.deployRoleArn }, provider);
  const scraper = record.collector.mode === "managed-scraper";
  // The managed scraper's access depends on the cluster's authentication mode, read when
  // the program runs (preview and up), through the stack's provider.
  const authenticationMode = scraper
    ? (await aws.eks.getCluster({ name: cluster.name }, { provider })).accessConfigs[0]?.authenticationMode ?? "CONFIG_MAP"
    : undefined;
  return {
    name: cluster.name,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
    clusterArn: access.clusterArn,
    subnetIds: cluster.subnetIds,
    securityGroupIds: cluster.securityGroupIds,
    vpcEndpoint: cluster.vpcEndpoint,
    // Both modes install into the cluster: the collector chart, or the exporters and the scraper's RBAC.
    kubernetesProvider: access.provider(),
    authenticationMode,
  };
}

function demoCluster(record: WorkloadStackRecord, cluster: Extract<ClusterConfig, { create: unknown }>, awsProvider: aws.Provider, eksProvider: eks.Provider): CollectorCluster {
  const created = new ManagedEksCluster(`${record.accountName}-${cluster.name}`, {
    clusterName: cluster.name,
    region: record.region,
    deployRoleArn: record.deployRoleArn,
    apiEndpoint: cluster.create.apiEndpoint,
    instanceType: cluster.create.instanceType,
    desiredCapacity: cluster.create.desiredCapacity,
    minSize: 1,
    maxSize: cluster.create.desiredCapacity + 1,
    tags: { "observability:account": record.accountName },
    awsProvider,
    eksProvider,
  });
  return {
    name: cluster.name,
    oidcProviderArn: created.oidcProviderArn,
    oidcIssuerUrl: created.oidcProviderUrl,
    kubernetesProvider: created.kubernetesProvider,
  };
}

export async function workloadProgram(stack: string, config: WorkloadStackConfig) {
  // The account's record comes from its own hub stack, named after the shared one.
  const hubStack = new pulumi.StackReference("hub", { name: hubAccountStackName(config.hubStack, config.accountName) });
  const details = await hubStack.getOutputDetails(WORKLOADS_OUTPUT);
  const records = (details.value ?? details.secretValue) as WorkloadStackRecords | undefined;
  const record = resolveWorkloadRecord(stack, config, records);
  if (isSelfHostedRecord(record)) return selfHostedWorkloadProgram(record);

  const provider = deployProvider(`${record.accountName}-deploy`, record);
  // pulumi-eks is a remote component: with default providers disabled it needs its own provider.
  const eksProvider = record.clusters.some(isDemoCluster) ? new eks.Provider(`${record.accountName}-eks`) : undefined;
  const clusters = await Promise.all(record.clusters.map((cluster) =>
    isDemoCluster(cluster) ? demoCluster(record, cluster, provider, eksProvider!) : existingCluster(record, cluster, provider)));

  const collector = new WorkloadAccountCollector(record.accountName, {
    environment: record.environment,
    accountName: record.accountName,
    accountId: record.accountId,
    hub: {
      region: record.region,
      workspaceArn: record.workspaceArn,
      remoteWriteUrl: record.remoteWriteUrl,
      ingestRoleArn: record.ingestRoleArn,
      grafanaRoleArn: record.grafanaRoleArn,
    },
    collector: record.collector,
    metricAllowlist: [...collectorMetricAllowlist(), ...record.collector.extraMetrics],
    clusters,
  }, { providers: { aws: provider } });

  const alarms = alarmForwarding(record, provider);

  return {
    accountName: record.accountName,
    accountId: record.accountId,
    collectorRoleArn: collector.collectorRoleArn,
    cloudWatchReadRoleArn: collector.cloudWatchReadRoleArn,
    forwardedAlarmArns: alarms?.alarmArns ?? [],
    // Managed scraper: per cluster, the authentication mode read at deploy time and how the
    // scraper gets in (AMP's own access entry, or our RBAC plus an aws-auth mapping to add).
    ...(record.collector.mode === "managed-scraper" ? { scraperAccess: collector.scraperAccess } : {}),
    ...(alarms ? { alarmForwarderRoleArn: alarms.forwarderRoleArn } : {}),
  };
}
