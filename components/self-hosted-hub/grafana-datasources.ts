/**
 * Grafana data sources of the self-hosted hub: one Prometheus data source per account,
 * pointed at the ingest proxy's `/accounts/<account>` path, where every query is confined
 * to `account="<account>"` before it reaches Prometheus (a Grafana data source cannot
 * enforce a label by itself), and one "All accounts" data source at `/all`. They present
 * the query token as a bearer header; the token is taken from Grafana's environment
 * (`${VAR}` interpolation of provisioning files, filled by ECS from Secrets Manager), never written into the file.
 */
import { stringify } from "yaml";
import { QUERY_TOKEN_ENV } from "./ingest-proxy/proxy-config";

export interface GrafanaDataSourceSettings {
  /** The proxy as Grafana reaches it, e.g. `https://metrics.hub.internal`. */
  proxyUrl: string;
  accounts: string[];
  scrapeInterval: string;
  /** The "All accounts" data source (default true); the shared hub's file holds it, an account's does not. */
  allAccounts?: boolean;
}

export const ALL_ACCOUNTS_DATA_SOURCE = "All accounts";
export const ALL_ACCOUNTS_DATA_SOURCE_UID = "prom-all-accounts";

/** Stable uid per account, so dashboards can name their data source. */
export function accountDataSourceUid(account: string): string {
  return `prom-${account}`.slice(0, 40);
}

function prometheusDataSource(name: string, uid: string, url: string, interval: string): Record<string, unknown> {
  return {
    name,
    uid,
    type: "prometheus",
    access: "proxy",
    url,
    editable: false,
    jsonData: { httpMethod: "POST", timeInterval: interval, httpHeaderName1: "Authorization" },
    secureJsonData: { httpHeaderValue1: `Bearer \${${QUERY_TOKEN_ENV}}` },
  };
}

/** One account's data source, in its own provisioning file (written by the account's hub stack). */
export function renderAccountDataSourceProvisioning(proxyUrl: string, account: string, scrapeInterval: string): string {
  return renderGrafanaDataSourceProvisioning({ proxyUrl, accounts: [account], scrapeInterval, allAccounts: false });
}

export function grafanaDataSources(settings: GrafanaDataSourceSettings): Record<string, unknown>[] {
  const base = settings.proxyUrl.replace(/\/+$/, "");
  return [
    ...[...settings.accounts].sort().map((account) => prometheusDataSource(account, accountDataSourceUid(account), `${base}/accounts/${encodeURIComponent(account)}`, settings.scrapeInterval)),
    ...(settings.allAccounts === false ? [] : [prometheusDataSource(ALL_ACCOUNTS_DATA_SOURCE, ALL_ACCOUNTS_DATA_SOURCE_UID, `${base}/all`, settings.scrapeInterval)]),
  ];
}

/** Grafana's provisioning file (`provisioning/datasources/*.yaml`). */
export function renderGrafanaDataSourceProvisioning(settings: GrafanaDataSourceSettings): string {
  return stringify({ apiVersion: 1, datasources: grafanaDataSources(settings) }, { lineWidth: 0 });
}
