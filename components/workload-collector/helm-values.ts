/**
 * Pure renderer of the values for the prometheus-community `prometheus` chart: the
 * collector runs with our rendered prometheus.yml, node-exporter and kube-state-metrics,
 * and a service account bound to the IRSA collector role.
 */
import {
  CHART_CONFIG_PATH,
  CHART_CONSOLE_LIBRARIES,
  CHART_CONSOLE_TEMPLATES,
  CHART_STORAGE_MOUNT_PATH,
} from "./chart-server-args";
import { kubeStateMetricsValues, nodeExporterValues } from "./exporters";
import { HubCredentialsSource, hubCredentialsServerValues } from "./hub-credentials";

export const PROMETHEUS_CHART = {
  chart: "prometheus",
  /** Pinned: values below are written against this chart version. */
  version: "25.27.0",
  repo: "https://prometheus-community.github.io/helm-charts",
} as const;

export interface CollectorHelmSettings {
  serviceAccountName: string;
  collectorRoleArn: string;
  /** agent: forward only (no local TSDB queries, no rules); server: keeps a local copy. */
  prometheusMode: "agent" | "server";
  /** The chart mounts `<release>-<this>` instead of rendering its own prometheus.yml. */
  configMapOverrideName: string;
  /** Collector pods per cluster; more than one runs an HA group AMP deduplicates (default 1). */
  replicas?: number;
  /** A self-hosted hub: the secret the pod's credentials step reads the ingest token from (hub-credentials.ts). */
  hubCredentials?: HubCredentialsSource;
}

/**
 * The env var each replica's name comes from, and the external label value that reads it:
 * Prometheus expands `${VAR}` in external label values only with
 * --enable-feature=expand-external-labels (2.x; always on from 3.0).
 */
export const REPLICA_NAME_ENV = "POD_NAME";
export const REPLICA_EXTERNAL_LABEL_VALUE = `\${${REPLICA_NAME_ENV}}`;
export const EXPAND_EXTERNAL_LABELS_FEATURE = "expand-external-labels";

/** True when the collector runs as an HA group (more than one replica). */
export function isHighlyAvailable(settings: { replicas?: number }): boolean {
  return (settings.replicas ?? 1) > 1;
}

/**
 * The agent's whole command line. Without server.defaultFlagsOverride the chart always
 * renders --storage.tsdb.path, which Prometheus refuses in agent mode (it exits with "can not
 * be used in agent mode"). With an override the chart renders only this list and ignores
 * extraFlags, extraArgs, retention, prefixURL and baseURL, so it holds everything the agent
 * needs: the config file from the chart's config mount, the agent WAL on the persistent
 * volume, the console flags the chart sets, and lifecycle for the chart's configmap-reload
 * sidecar (it POSTs /-/reload). No listen address: like the chart, the binary's :9090.
 */
export function agentServerFlags(options: { expandExternalLabels?: boolean } = {}): string[] {
  const features = options.expandExternalLabels ? `agent,${EXPAND_EXTERNAL_LABELS_FEATURE}` : "agent";
  return [
    `--enable-feature=${features}`,
    `--config.file=${CHART_CONFIG_PATH}`,
    `--storage.agent.path=${CHART_STORAGE_MOUNT_PATH}`,
    `--web.console.libraries=${CHART_CONSOLE_LIBRARIES}`,
    `--web.console.templates=${CHART_CONSOLE_TEMPLATES}`,
    "--web.enable-lifecycle",
  ];
}

/**
 * More than one replica: the chart's StatefulSet (its Deployment shares one ReadWriteOnce
 * claim between all pods, see chart-server-args.ts), each pod's name in POD_NAME from the
 * downward API for the `__replica__` external label, a PodDisruptionBudget so a node drain
 * evicts one replica at a time, and a preferred anti-affinity across nodes (preferred, so a
 * cluster short of nodes still runs both replicas rather than leaving one Pending; the PDB
 * is what keeps a drain from taking both at once).
 */
function highAvailabilityValues(replicas: number): Record<string, unknown> {
  return {
    replicaCount: replicas,
    statefulSet: { enabled: true },
    env: [{ name: REPLICA_NAME_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    podAntiAffinity: "soft",
    podAntiAffinityTopologyKey: "kubernetes.io/hostname",
  };
}

export function collectorHelmValues(settings: CollectorHelmSettings): Record<string, unknown> {
  const agent = settings.prometheusMode === "agent";
  const replicas = settings.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`collector replicas must be a whole number from 1, not ${replicas}`);
  const ha = isHighlyAvailable(settings);
  const flags = agent
    ? { defaultFlagsOverride: agentServerFlags({ expandExternalLabels: ha }) }
    : { extraFlags: ["web.enable-lifecycle", ...(ha ? [`enable-feature=${EXPAND_EXTERNAL_LABELS_FEATURE}`] : [])], retention: "6h" };
  return {
    server: {
      configMapOverrideName: settings.configMapOverrideName,
      ...flags,
      ...(ha ? highAvailabilityValues(replicas) : {}),
      ...(settings.hubCredentials ? hubCredentialsServerValues(settings.hubCredentials) : {}),
      // The chart defaults, stated: the agent flags above point at these two paths.
      configPath: CHART_CONFIG_PATH,
      persistentVolume: { enabled: true, size: agent ? "10Gi" : "50Gi", mountPath: CHART_STORAGE_MOUNT_PATH },
      resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "3Gi" } },
    },
    serviceAccounts: {
      server: {
        create: true,
        name: settings.serviceAccountName,
        annotations: { "eks.amazonaws.com/role-arn": settings.collectorRoleArn },
      },
    },
    alertmanager: { enabled: false },
    "prometheus-pushgateway": { enabled: false },
    // The same exporter values as the managed-scraper mode's releases (exporters.ts).
    "kube-state-metrics": { enabled: true, ...kubeStateMetricsValues() },
    "prometheus-node-exporter": { enabled: true, ...nodeExporterValues() },
  };
}
