/**
 * The project's per-account dashboards for the self-hosted Grafana, as provisioning files: one
 * folder per account, each dashboard pointed at that account's confined data source. Rendered
 * by the same dashboard code as the managed backend (components/dashboards); Grafana loads them
 * from files because the self-hosted Grafana sits behind the load balancer's login, which the
 * Grafana provider cannot pass.
 */
import { stringify } from "yaml";
import { renderAccountDashboards } from "../dashboards";
import { accountDataSourceUid } from "./grafana-datasources";

export interface GrafanaDashboardSettings {
  environment: string;
  accounts: { name: string; collectorMode: "prometheus" | "managed-scraper" }[];
  /** Where the dashboard files are in the Grafana container. */
  dashboardsPath: string;
}

/** File path (under Grafana's config directory) -> content: the dashboards provider and every dashboard. */
export function grafanaDashboardFiles(settings: GrafanaDashboardSettings): Record<string, string> {
  const files: Record<string, string> = {};
  const providers = [...settings.accounts].sort((a, b) => a.name.localeCompare(b.name)).map((account) => {
    for (const dashboard of renderAccountDashboards({
      environment: settings.environment,
      accountName: account.name,
      prometheusDatasourceUid: accountDataSourceUid(account.name),
      collectorMode: account.collectorMode,
    })) {
      files[`dashboards/${account.name}/${dashboard.uid}.json`] = dashboard.json;
    }
    return {
      name: account.name,
      folder: account.name,
      type: "file",
      disableDeletion: true,
      allowUiUpdates: false,
      options: { path: `${settings.dashboardsPath}/${account.name}` },
    };
  });
  files["provisioning/dashboards/hub.yaml"] = stringify({ apiVersion: 1, providers }, { lineWidth: 0 });
  return files;
}
