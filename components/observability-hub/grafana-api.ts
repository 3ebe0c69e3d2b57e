/**
 * The explicit Grafana provider every folder, data source and dashboard is declared with:
 * the workspace's URL and the automation token, kept secret. Stacks that manage a part of
 * Grafana without owning the workspace (an account's hub stack) build theirs from the
 * shared hub stack's outputs with this same function.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { PrometheusDataSource } from "./datasources";

export function grafanaApiProvider(
  name: string,
  url: pulumi.Input<string>,
  token: pulumi.Input<string>,
  opts?: pulumi.CustomResourceOptions,
): grafana.Provider {
  return new grafana.Provider(name, { url, auth: pulumi.secret(token) }, opts);
}

/** A Prometheus data source as declared (`ampDataSource`, the self-hosted hub's proxy ones); its secure settings stay secret. */
export function grafanaPrometheusDataSource(name: string, spec: PrometheusDataSource, opts: pulumi.CustomResourceOptions): grafana.oss.DataSource {
  return new grafana.oss.DataSource(`${name}-${spec.resourceSuffix}`, {
    uid: spec.uid,
    name: spec.name,
    type: "prometheus",
    url: spec.url,
    jsonDataEncoded: JSON.stringify(spec.jsonData),
    ...(spec.secureJsonData ? { secureJsonDataEncoded: pulumi.secret(pulumi.output(spec.secureJsonData).apply((data) => JSON.stringify(data))) } : {}),
  }, opts);
}
