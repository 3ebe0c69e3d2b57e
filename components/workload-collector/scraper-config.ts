/**
 * Pure renderer of the AMP managed scraper's scrape configuration: the same discovery
 * jobs as the Prometheus collector, with the allow-list applied per job, because the
 * scraper writes to its destination itself and has no remote_write section.
 *
 * The scraper runs outside the cluster's nodes and resolves no name but the API server's
 * (AMP user guide, "Scraper configuration"): the kubelet and cAdvisor jobs reach each node
 * through the API server's node proxy (`nodes/proxy`, granted by the scraper's access entry
 * or by the aps-collector-role ClusterRole), with the Bearer token form AMP requires.
 */
import { stringify } from "yaml";
import { allowlistRegex, collectorPrometheusConfig, CollectorConfigSettings } from "./prometheus-config";
import { seriesCutRelabelRules } from "./series-cuts";

const SCRAPER_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
const API_SERVER = "kubernetes.default.svc:443";

/** Node-role jobs scraped through the API server: job name -> kubelet path. */
const THROUGH_API_SERVER: Record<string, string> = { kubelet: "metrics", cadvisor: "metrics/cadvisor" };

function throughApiServer(job: Record<string, unknown>): Record<string, unknown> {
  const path = THROUGH_API_SERVER[job.job_name as string];
  if (path === undefined) return job;
  const { tls_config: _tls, metrics_path: _path, authorization: _auth, ...rest } = job;
  return {
    ...rest,
    scheme: "https",
    authorization: { type: "Bearer", credentials_file: SCRAPER_TOKEN_FILE },
    relabel_configs: [
      ...(job.relabel_configs as object[]),
      // Every target's address becomes the API server's: name each node's series by the node.
      { source_labels: ["__meta_kubernetes_node_name"], target_label: "instance" },
      { replacement: API_SERVER, target_label: "__address__" },
      { source_labels: ["__meta_kubernetes_node_name"], regex: "(.+)", target_label: "__metrics_path__", replacement: `/api/v1/nodes/$1/proxy/${path}` },
    ],
  };
}

export function renderScraperConfig(settings: CollectorConfigSettings): string {
  const full = collectorPrometheusConfig(settings) as { global: Record<string, unknown>; scrape_configs: Array<Record<string, unknown>> };
  const keep = { source_labels: ["__name__"], regex: allowlistRegex(settings.metricAllowlist), action: "keep" };
  const cuts = seriesCutRelabelRules(settings.seriesCuts ?? []);
  return stringify({
    global: full.global,
    // The scraper has no local Prometheus to scrape itself.
    scrape_configs: full.scrape_configs
      .filter((job) => job.job_name !== "prometheus")
      .map((job) => ({ ...throughApiServer(job), metric_relabel_configs: [keep, ...cuts] })),
  }, { lineWidth: 0 });
}
