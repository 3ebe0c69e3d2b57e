/**
 * The project's per-account dashboards for the self-hosted Grafana, as provisioning files: one
 * folder per account, each dashboard pointed at that account's confined data source. Rendered
 * by the same dashboard code as the managed backend (components/dashboards); Grafana loads them
 * from files because the self-hosted Grafana sits behind the load balancer's login, which the
 * Grafana provider cannot pass.
 *
 * One dashboards provider (the shared hub's file) reads every account's folder: folders come
 * from the directory structure (`<dashboards>/<account>/*.json`, each written by the account's
 * own hub stack), and Grafana re-reads the directory on its own, so a new account's folder
 * appears without touching the shared stack.
 */
import { stringify } from "yaml";
import { renderAccountDashboards, renderCrossAccountOverview } from "../dashboards";
import { ALL_ACCOUNTS_DATA_SOURCE, ALL_ACCOUNTS_DATA_SOURCE_UID, accountDataSourceUid } from "./grafana-datasources";

/** How often Grafana re-reads the dashboard files the account sync keeps current. */
export const DASHBOARD_RESCAN_SECONDS = 60;

/** The shared provider file: every sub-directory of `dashboardsPath` is an account's folder. */
export function renderDashboardProvider(dashboardsPath: string): string {
  return stringify({
    apiVersion: 1,
    providers: [{
      name: "accounts",
      type: "file",
      disableDeletion: true,
      allowUiUpdates: false,
      updateIntervalSeconds: DASHBOARD_RESCAN_SECONDS,
      options: { path: dashboardsPath, foldersFromFilesStructure: true },
    }],
  }, { lineWidth: 0 });
}

export interface AccountDashboardSettings {
  environment: string;
  account: string;
  collectorMode: "prometheus" | "managed-scraper";
}

/** `<account>/<uid>.json` -> dashboard JSON: one account's folder. */
export function accountDashboardFiles(settings: AccountDashboardSettings): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dashboard of renderAccountDashboards({
    environment: settings.environment,
    accountName: settings.account,
    prometheusDatasourceUid: accountDataSourceUid(settings.account),
    collectorMode: settings.collectorMode,
  })) {
    files[`${settings.account}/${dashboard.uid}.json`] = dashboard.json;
  }
  return files;
}

/**
 * `All accounts/<uid>.json` -> the cross-account overview on the "All accounts" data source (AMP's
 * usage dashboard has no counterpart here). Written by the shared hub stack beside the accounts'
 * folders; no account's folder can take its name (account names are lower-case, without spaces).
 */
export function crossAccountDashboardFiles(environment: string): Record<string, string> {
  const overview = renderCrossAccountOverview(environment, ALL_ACCOUNTS_DATA_SOURCE_UID);
  return { [`${ALL_ACCOUNTS_DATA_SOURCE}/${overview.uid}.json`]: overview.json };
}
