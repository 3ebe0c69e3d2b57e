/**
 * The project's dashboards for the self-hosted Grafana, as provisioning files: one folder per
 * account, each dashboard pointed at that account's confined data source, and the cross-account
 * overview on the "All accounts" data source (AMP's usage dashboard has no place here). Rendered
 * by the same dashboard code as the managed backend (components/dashboards); Grafana loads them
 * from files because the self-hosted Grafana sits behind the load balancer's login, which the
 * Grafana provider cannot pass.
 */
import { stringify } from "yaml";
import { renderAccountDashboards, renderCrossAccountOverview } from "../dashboards";
import { ALL_ACCOUNTS_DATA_SOURCE, ALL_ACCOUNTS_DATA_SOURCE_UID, accountDataSourceUid } from "./grafana-datasources";

/** The cross-account folder's directory; no account may be named so (account names are lower-case). */
const ALL_ACCOUNTS_DIRECTORY = "All-accounts";

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
  const overview = renderCrossAccountOverview(settings.environment, ALL_ACCOUNTS_DATA_SOURCE_UID);
  files[`dashboards/${ALL_ACCOUNTS_DIRECTORY}/${overview.uid}.json`] = overview.json;
  providers.push({
    name: ALL_ACCOUNTS_DATA_SOURCE,
    folder: ALL_ACCOUNTS_DATA_SOURCE,
    type: "file",
    disableDeletion: true,
    allowUiUpdates: false,
    options: { path: `${settings.dashboardsPath}/${ALL_ACCOUNTS_DIRECTORY}` },
  });
  files["provisioning/dashboards/hub.yaml"] = stringify({ apiVersion: 1, providers }, { lineWidth: 0 });
  return files;
}
