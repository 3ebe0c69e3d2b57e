/**
 * Grafana data sources of the self-hosted hub: one Prometheus data source per account,
 * pointed at the ingest proxy's `/accounts/<account>` path, where every query is confined
 * to `account="<account>"` before it reaches Prometheus (a Grafana data source cannot
 * enforce a label by itself), and one "All accounts" data source at `/all`. They present
 * the query token as a bearer header, kept in the data source's secure settings (and secret
 * in state). Declared through the Grafana provider (`AccountFolder`, `SelfHostedGrafanaApi`).
 */
import * as pulumi from "@pulumi/pulumi";
import { PrometheusDataSource } from "../observability-hub/datasources";

export const ALL_ACCOUNTS_DATA_SOURCE = "All accounts";
export const ALL_ACCOUNTS_DATA_SOURCE_UID = "prom-all-accounts";

/** Stable uid per account, so dashboards can name their data source. */
export function accountDataSourceUid(account: string): string {
  return `prom-${account}`.slice(0, 40);
}

/** What Grafana sends the proxy: the query token as a bearer header. */
export function queryTokenHeader(token: pulumi.Input<string>): pulumi.Output<Record<string, string>> {
  return pulumi.secret(pulumi.output(token).apply((value): Record<string, string> => ({ httpHeaderValue1: `Bearer ${value}` })));
}

/** A data source on one of the proxy's query paths (`accounts/<account>`, `all`). */
function proxyDataSource(name: string, uid: string, proxyUrl: string, path: string, scrapeInterval: string, token: pulumi.Input<string>, resourceSuffix: string): PrometheusDataSource {
  return {
    uid,
    name,
    url: `${proxyUrl.replace(/\/+$/, "")}/${path}`,
    jsonData: { httpMethod: "POST", timeInterval: scrapeInterval, httpHeaderName1: "Authorization" },
    secureJsonData: queryTokenHeader(token),
    resourceSuffix,
  };
}

/** One account's data source: the proxy confines its every query to the account. */
export function accountProxyDataSource(proxyUrl: string, account: string, scrapeInterval: string, token: pulumi.Input<string>): PrometheusDataSource {
  return proxyDataSource(account, accountDataSourceUid(account), proxyUrl, `accounts/${encodeURIComponent(account)}`, scrapeInterval, token, "prometheus");
}

/** The "All accounts" data source (the shared hub stack's). */
export function allAccountsProxyDataSource(proxyUrl: string, scrapeInterval: string, token: pulumi.Input<string>): PrometheusDataSource {
  return proxyDataSource(ALL_ACCOUNTS_DATA_SOURCE, ALL_ACCOUNTS_DATA_SOURCE_UID, proxyUrl, "all", scrapeInterval, token, "all-accounts");
}
