/**
 * The one Grafana "All accounts" Prometheus data source pointing at Promxy. The password
 * travels only in `secureJsonDataEncoded`, which Grafana stores encrypted and never returns.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { grafanaUid } from "../shared/naming";

/** Stable uid, so cross-account dashboards can name this data source before it exists. */
export function unifiedDataSourceUid(environment: string): string {
  return grafanaUid("all-accounts", environment);
}

export interface UnifiedDataSourceSettings {
  environment: string;
  queryUrl: pulumi.Input<string>;
  basicAuthUsername: pulumi.Input<string>;
  basicAuthPassword: pulumi.Input<string>;
  name?: string;
  /** Grafana's minimum step; match the collectors' scrape interval. */
  scrapeInterval?: string;
}

/** jsonData of the data source: POST queries (long PromQL), Prometheus flavour, scrape interval. */
export function unifiedDataSourceJsonData(scrapeInterval: string): Record<string, string> {
  return { httpMethod: "POST", prometheusType: "Prometheus", timeInterval: scrapeInterval };
}

export function createUnifiedQueryDataSource(
  name: string,
  settings: UnifiedDataSourceSettings,
  grafanaProvider: grafana.Provider,
  opts?: pulumi.CustomResourceOptions,
): grafana.oss.DataSource {
  return new grafana.oss.DataSource(
    name,
    {
      name: settings.name ?? "All accounts",
      uid: unifiedDataSourceUid(settings.environment),
      type: "prometheus",
      url: settings.queryUrl,
      accessMode: "proxy",
      basicAuthEnabled: true,
      basicAuthUsername: settings.basicAuthUsername,
      jsonDataEncoded: JSON.stringify(unifiedDataSourceJsonData(settings.scrapeInterval ?? "30s")),
      secureJsonDataEncoded: pulumi.secret(pulumi.output(settings.basicAuthPassword).apply((basicAuthPassword) => JSON.stringify({ basicAuthPassword }))),
    },
    { ...opts, provider: grafanaProvider },
  );
}
