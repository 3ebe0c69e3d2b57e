/**
 * What the managed-scraper mode installs in the cluster itself: the two exporters the
 * scrape jobs `node-exporter` and `kube-state-metrics` discover (in prometheus mode the
 * `prometheus` chart installs them as subcharts), and, when the cluster cannot use access
 * entries, the RBAC the AMP user guide prescribes for the scraper ("Configuring your
 * Amazon EKS cluster", manual configuration).
 */
/** The prometheus-community chart repository (also the `prometheus` chart's, helm-values.ts). */
const COMMUNITY_REPO = "https://prometheus-community.github.io/helm-charts";

/**
 * Pinned to exactly what chart `prometheus` 25.27.0 installs as subcharts (its Chart.yaml
 * asks for kube-state-metrics 5.25.* and prometheus-node-exporter 4.39.*; its Chart.lock
 * resolves them to 5.25.1 and 4.39.0), so both collector modes run the same exporters.
 */
export const NODE_EXPORTER_CHART = { chart: "prometheus-node-exporter", version: "4.39.0", repo: COMMUNITY_REPO } as const;
export const KUBE_STATE_METRICS_CHART = { chart: "kube-state-metrics", version: "5.25.1", repo: COMMUNITY_REPO } as const;

/**
 * The charts label their Services `app.kubernetes.io/name: <chart name>` (no nameOverride
 * here); the scrape jobs keep endpoints by exactly that label. Both charts also annotate
 * their Service with `prometheus.io/scrape: "true"` by default, which would make the
 * `annotated-services` job scrape them a second time (every series twice, under other
 * labels): switched off, in both modes (helm-values.ts passes the same values to the subcharts).
 */
export function nodeExporterValues(): Record<string, unknown> {
  return { service: { annotations: { "prometheus.io/scrape": "false" } } };
}

export function kubeStateMetricsValues(): Record<string, unknown> {
  return { prometheusScrape: false };
}

/** `accessConfig.authenticationMode` of an EKS cluster. */
export type ClusterAuthenticationMode = "API" | "API_AND_CONFIG_MAP" | "CONFIG_MAP";

/**
 * How the scraper gets into the cluster. With access entries enabled (API or
 * API_AND_CONFIG_MAP), AMP creates the scraper's access entry and its access policy itself
 * when the scraper is created; with CONFIG_MAP only, the cluster needs the
 * `aps-collector-role` ClusterRole bound to the user `aps-collector-user`, and an aws-auth
 * mapping of the scraper's service-linked role to that user.
 */
export type ScraperAccessMethod = "access-entry-by-amp" | "aws-auth";

export function scraperAccessMethod(mode: string): ScraperAccessMethod {
  if (mode === "API" || mode === "API_AND_CONFIG_MAP") return "access-entry-by-amp";
  if (mode === "CONFIG_MAP") return "aws-auth";
  throw new Error(`unknown EKS authentication mode "${mode}" (expected API, API_AND_CONFIG_MAP or CONFIG_MAP)`);
}

export const SCRAPER_K8S_USER = "aps-collector-user";
export const SCRAPER_CLUSTER_ROLE = "aps-collector-role";
export const SCRAPER_CLUSTER_ROLE_BINDING = "aps-collector-user-role-binding";

/** The rules of the AMP user guide's `clusterrole-binding.yml` (the same the automatic access policy grants). */
export interface ClusterRoleRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export function scraperClusterRoleRules(): ClusterRoleRule[] {
  return [
    { apiGroups: [""], resources: ["nodes", "nodes/proxy", "nodes/metrics", "services", "endpoints", "pods", "ingresses", "configmaps"], verbs: ["describe", "get", "list", "watch"] },
    { apiGroups: ["extensions", "networking.k8s.io"], resources: ["ingresses/status", "ingresses"], verbs: ["describe", "get", "list", "watch"] },
    { nonResourceURLs: ["/metrics"], verbs: ["get"] },
    { apiGroups: ["metrics.eks.amazonaws.com"], resources: ["kcm/metrics", "ksh/metrics"], verbs: ["get"] },
  ];
}

/**
 * aws-auth needs the scraper's role ARN without its path: AMP reports
 * `arn:aws:iam::<account>:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_<id>`,
 * EKS matches `arn:aws:iam::<account>:role/AWSServiceRoleForAmazonPrometheusScraper_<id>`.
 */
export function awsAuthRoleArn(scraperRoleArn: string): string {
  const match = /^(arn:[^:]+:iam::\d{12}:role)\/(?:.*\/)?([^/]+)$/.exec(scraperRoleArn);
  return match ? `${match[1]}/${match[2]}` : scraperRoleArn;
}
