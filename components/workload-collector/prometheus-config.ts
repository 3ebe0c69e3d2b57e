/**
 * Pure renderer of the collector's Prometheus configuration: Kubernetes discovery of the
 * cluster's exporters, and the remote_write to the account's hub, filtered by the metric
 * allow-list and the series cuts: to its AMP workspace, signed with SigV4 through the hub
 * ingest role; or, with a self-hosted hub, to each of its servers with the account's bearer
 * token read from a file (`self-hosted-hub/collector-remote-write.ts`).
 */
import { stringify } from "yaml";
import { selfHostedRemoteWriteSections } from "../self-hosted-hub/collector-remote-write";
import { AMP_QUEUE_CONFIG, allowlistRegex, shippedSeriesFilter } from "./remote-write-filter";
import { SeriesCut } from "./series-cuts";

export { AMP_QUEUE_CONFIG, allowlistRegex };

export interface RemoteWriteTarget {
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write` */
  remoteWriteUrl: string;
  region: string;
  /** Hub role the collector assumes (its own IRSA credentials sign the AssumeRole call). */
  ingestRoleArn: string;
}

/** A self-hosted hub: every server's remote-write URL, and where the account's token file is mounted. */
export interface SelfHostedRemoteWriteTargets {
  /** One URL per independent Prometheus server of the hub (`SelfHostedHub.remoteWriteUrls`). */
  remoteWriteUrls: string[];
  /** The file the collector pod's credentials step writes the ingest token to. */
  bearerTokenFile: string;
}

export function isSelfHostedTarget(target: RemoteWriteTarget | SelfHostedRemoteWriteTargets): target is SelfHostedRemoteWriteTargets {
  return "remoteWriteUrls" in target;
}

export interface CollectorConfigSettings {
  accountName: string;
  clusterName: string;
  environment: string;
  scrapeInterval: string;
  /** The annotated-services job's own interval (scrape-intervals.ts); the global one when absent. */
  serviceScrapeInterval?: string;
  remoteWrite: RemoteWriteTarget | SelfHostedRemoteWriteTargets;
  /** Metric names shipped to the hub; everything else is dropped before it leaves the cluster. */
  metricAllowlist: readonly string[];
  /** Series of allow-listed metrics that no rule or dashboard reads (series-cuts.ts); none when absent. */
  seriesCuts?: readonly SeriesCut[];
  /** Where Kubernetes mounts the service account token and CA for in-cluster scraping. */
  serviceAccountDir?: string;
  /**
   * HA group of several replicas: this replica's name, as the `__replica__` external label
   * (in the cluster `${POD_NAME}`, expanded by Prometheus from the downward API).
   */
  replicaLabel?: string;
}

/**
 * AMP's HA deduplication ("Deduplicating high availability metrics sent to Amazon Managed
 * Service for Prometheus"): samples carrying both `cluster` and `__replica__` external labels
 * are deduplicated per cluster, only one replica's samples are accepted at a time, and
 * `__replica__` is stripped on ingestion, so the workspace stores one stream per series and
 * the rules and dashboards (which sum over `cluster`) count each sample once. `cluster` is
 * already one of our external labels and is the same on every replica of a cluster.
 * Dedup is per cluster, not per series: the workspace holds only the elected replica's
 * samples, its own `prometheus_*` self-metrics included, so the other replica's health is
 * not visible there; if the elected one stops sending, AMP switches to the other.
 * tests/collector/ha-replicas.test.ts shows both labelled streams leave the agents; the
 * deduplication itself happens only in AMP.
 */
export const AMP_REPLICA_LABEL = "__replica__";

const IN_CLUSTER_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

function kubernetesScrapeJobs(serviceAccountDir: string, serviceScrapeInterval: string | undefined): object[] {
  const apiServerAuth = {
    scheme: "https",
    authorization: { credentials_file: `${serviceAccountDir}/token` },
    tls_config: { ca_file: `${serviceAccountDir}/ca.crt` },
  };
  return [
    {
      job_name: "kubelet",
      ...apiServerAuth,
      kubernetes_sd_configs: [{ role: "node" }],
      relabel_configs: [{ action: "labelmap", regex: "__meta_kubernetes_node_label_(.+)" }],
    },
    {
      job_name: "cadvisor",
      ...apiServerAuth,
      metrics_path: "/metrics/cadvisor",
      kubernetes_sd_configs: [{ role: "node" }],
      relabel_configs: [{ action: "labelmap", regex: "__meta_kubernetes_node_label_(.+)" }],
    },
    {
      job_name: "node-exporter",
      kubernetes_sd_configs: [{ role: "endpoints" }],
      relabel_configs: [
        { source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"], regex: "prometheus-node-exporter", action: "keep" },
        { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
        { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "instance" },
      ],
    },
    {
      job_name: "kube-state-metrics",
      honor_labels: true,
      kubernetes_sd_configs: [{ role: "endpoints" }],
      relabel_configs: [
        { source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"], regex: "kube-state-metrics", action: "keep" },
        { source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: "http", action: "keep" },
      ],
    },
    {
      // Application services opt in with the conventional prometheus.io annotations.
      job_name: "annotated-services",
      ...(serviceScrapeInterval === undefined ? {} : { scrape_interval: serviceScrapeInterval }),
      kubernetes_sd_configs: [{ role: "endpoints" }],
      relabel_configs: [
        { source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_scrape"], regex: "true", action: "keep" },
        { source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_path"], regex: "(.+)", target_label: "__metrics_path__" },
        {
          source_labels: ["__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"],
          regex: "([^:]+)(?::\\d+)?;(\\d+)",
          replacement: "$1:$2",
          target_label: "__address__",
        },
        { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
        { source_labels: ["__meta_kubernetes_service_name"], target_label: "service" },
        { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      ],
    },
  ];
}

export function remoteWriteSection(target: RemoteWriteTarget, metricAllowlist: readonly string[], seriesCuts: readonly SeriesCut[] = []): object {
  return {
    url: target.remoteWriteUrl,
    sigv4: { region: target.region, role_arn: target.ingestRoleArn },
    queue_config: { ...AMP_QUEUE_CONFIG },
    write_relabel_configs: shippedSeriesFilter(metricAllowlist, seriesCuts),
  };
}

/** The collector's remote_write sections: one to its AMP workspace, or one per self-hosted server. */
export function remoteWriteSections(settings: Pick<CollectorConfigSettings, "remoteWrite" | "metricAllowlist" | "seriesCuts">): object[] {
  const target = settings.remoteWrite;
  return isSelfHostedTarget(target)
    ? selfHostedRemoteWriteSections(target.remoteWriteUrls, target.bearerTokenFile, settings.metricAllowlist, settings.seriesCuts)
    : [remoteWriteSection(target, settings.metricAllowlist, settings.seriesCuts)];
}

/** The whole prometheus.yml as an object (agent and server mode share it: it has no rules). */
export function collectorPrometheusConfig(settings: CollectorConfigSettings): Record<string, unknown> {
  return {
    global: {
      scrape_interval: settings.scrapeInterval,
      // Every series says where it came from; dashboards and alert routing rely on these.
      external_labels: {
        account: settings.accountName,
        cluster: settings.clusterName,
        environment: settings.environment,
        ...(settings.replicaLabel === undefined ? {} : { [AMP_REPLICA_LABEL]: settings.replicaLabel }),
      },
    },
    scrape_configs: [
      { job_name: "prometheus", static_configs: [{ targets: ["localhost:9090"] }] },
      ...kubernetesScrapeJobs(settings.serviceAccountDir ?? IN_CLUSTER_SERVICE_ACCOUNT_DIR, settings.serviceScrapeInterval),
    ],
    remote_write: remoteWriteSections(settings),
  };
}

export function renderCollectorPrometheusConfig(settings: CollectorConfigSettings): string {
  return stringify(collectorPrometheusConfig(settings), { lineWidth: 0 });
}
