/**
 * From one measured node to clusters of N nodes. Each stored series is attributed to a pod
 * (it carries a `pod` label: cAdvisor containers, kube-state-metrics pod objects, the pod's
 * own service metrics, its kubelet log usage), to the node (everything else a node brings:
 * node-exporter, the kubelet, node cgroups, the node's share of kube-state-metrics objects
 * such as its Deployments), or to the cluster (the collector's own metrics, job prometheus).
 * A cluster of N nodes with P pods each then ships N x (node + P x pod) + cluster.
 */
import { ingestionUsdPerMonth, queryUsdPerMonth, storageUsdPerMonth } from "./amp-pricing";

export interface Attribution {
  /** Per pod (averaged over the node's pods), per node, per cluster. */
  perPod: { series: number; samplesPerSecond: number };
  perNode: { series: number; samplesPerSecond: number };
  perCluster: { series: number; samplesPerSecond: number };
}

export interface StoredSeries {
  metric: Record<string, string>;
  samples: number;
}

export function attribute(stored: StoredSeries[], pods: number, windowSeconds: number): Attribution {
  const totals = { pod: { series: 0, samples: 0 }, node: { series: 0, samples: 0 }, cluster: { series: 0, samples: 0 } };
  for (const series of stored) {
    const share = series.metric.job === "prometheus" ? totals.cluster : series.metric.pod ? totals.pod : totals.node;
    share.series++;
    share.samples += series.samples;
  }
  return {
    perPod: { series: totals.pod.series / pods, samplesPerSecond: totals.pod.samples / windowSeconds / pods },
    perNode: { series: totals.node.series, samplesPerSecond: totals.node.samples / windowSeconds },
    perCluster: { series: totals.cluster.series, samplesPerSecond: totals.cluster.samples / windowSeconds },
  };
}

export interface ClusterFigures {
  nodes: number;
  podsPerNode: number;
  activeSeries: number;
  samplesPerSecond: number;
  ingestionUsdPerMonth: number;
  storageUsdPerMonth: number;
}

export function projectCluster(a: Attribution, nodes: number, podsPerNode: number): ClusterFigures {
  const activeSeries = nodes * (a.perNode.series + podsPerNode * a.perPod.series) + a.perCluster.series;
  const samplesPerSecond = nodes * (a.perNode.samplesPerSecond + podsPerNode * a.perPod.samplesPerSecond) + a.perCluster.samplesPerSecond;
  return {
    nodes,
    podsPerNode,
    activeSeries,
    samplesPerSecond,
    ingestionUsdPerMonth: ingestionUsdPerMonth(samplesPerSecond),
    storageUsdPerMonth: storageUsdPerMonth(samplesPerSecond, activeSeries),
  };
}

export interface ClusterComparison {
  nodes: number;
  podsPerNode: number;
  filtered: ClusterFigures;
  everything: ClusterFigures;
  /** 1 - filtered/everything samples. */
  sampleReduction: number;
  /** Rules and panels read only the series they select, so this is the same for both. */
  queryUsdPerMonth: number;
}

export function compareClusters(filtered: Attribution, everything: Attribution, nodeCounts: number[], podsPerNode: number, scrapeIntervalSeconds: number): ClusterComparison[] {
  return nodeCounts.map((nodes) => {
    const f = projectCluster(filtered, nodes, podsPerNode);
    const e = projectCluster(everything, nodes, podsPerNode);
    return { nodes, podsPerNode, filtered: f, everything: e, sampleReduction: 1 - f.samplesPerSecond / e.samplesPerSecond, queryUsdPerMonth: queryUsdPerMonth(f.activeSeries, scrapeIntervalSeconds) };
  });
}
