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
export function agentServerFlags(): string[] {
  return [
    "--enable-feature=agent",
    `--config.file=${CHART_CONFIG_PATH}`,
    `--storage.agent.path=${CHART_STORAGE_MOUNT_PATH}`,
    `--web.console.libraries=${CHART_CONSOLE_LIBRARIES}`,
    `--web.console.templates=${CHART_CONSOLE_TEMPLATES}`,
    "--web.enable-lifecycle",
  ];
}

export function collectorHelmValues(settings: CollectorHelmSettings): Record<string, unknown> {
  const agent = settings.prometheusMode === "agent";
  const flags = agent
    ? { defaultFlagsOverride: agentServerFlags() }
    : { extraFlags: ["web.enable-lifecycle"], retention: "6h" };
  return {
    server: {
      configMapOverrideName: settings.configMapOverrideName,
      ...flags,
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
    "kube-state-metrics": { enabled: true },
    "prometheus-node-exporter": { enabled: true },
  };
}
