/**
 * The clusters a workload stack's collector runs in, for either hub backend: an existing
 * cluster (its Kubernetes access through the deploy role) or a demo cluster the stack creates.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import { ManagedEksCluster } from "../components/eks-cluster";
import { CollectorCluster } from "../components/workload-collector";
import { ClusterConfig, isDemoCluster } from "./config/schema";
import { AccountModelRecord } from "./contract";
import { existingClusterProvider } from "./kubernetes";

/** What the cluster helpers read of an account's record (the same fields in both backends' records). */
export type ClusterOwner = Pick<AccountModelRecord, "deployRoleArn" | "clusters" | "collector"> & { accountName: string; region: string };

export async function collectorClusters(record: ClusterOwner, provider: aws.Provider): Promise<CollectorCluster[]> {
  // pulumi-eks is a remote component: with default providers disabled it needs its own provider.
  const eksProvider = record.clusters.some(isDemoCluster) ? new eks.Provider(`${record.accountName}-eks`) : undefined;
  return Promise.all(record.clusters.map((cluster) =>
    isDemoCluster(cluster) ? demoCluster(record, cluster, provider, eksProvider!) : existingCluster(record, cluster, provider)));
}

async function existingCluster(record: ClusterOwner, cluster: Exclude<ClusterConfig, { create: unknown }>, provider: aws.Provider): Promise<CollectorCluster> {
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

function demoCluster(record: ClusterOwner, cluster: Extract<ClusterConfig, { create: unknown }>, awsProvider: aws.Provider, eksProvider: eks.Provider): CollectorCluster {
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
