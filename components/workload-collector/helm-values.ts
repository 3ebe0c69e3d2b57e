/**
 * Pure renderer of the values for the prometheus-community `prometheus` chart: the
 * collector runs with our rendered prometheus.yml, node-exporter and kube-state-metrics,
 * and a service account bound to the IRSA collector role.
 */

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

export function collectorHelmValues(settings: CollectorHelmSettings): Record<string, unknown> {
  const agent = settings.prometheusMode === "agent";
  return {
    server: {
      configMapOverrideName: settings.configMapOverrideName,
      extraFlags: ["web.enable-lifecycle", ...(agent ? ["enable-feature=agent"] : [])],
      // Agent mode refuses TSDB retention flags; an empty value makes the chart omit them.
      retention: agent ? "" : "6h",
      persistentVolume: { enabled: true, size: agent ? "10Gi" : "50Gi" },
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
