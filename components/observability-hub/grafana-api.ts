/**
 * The explicit Grafana provider every folder, data source and dashboard is declared with:
 * the workspace's URL and the automation token, kept secret. Stacks that manage a part of
 * Grafana without owning the workspace (an account's hub stack) build theirs from the
 * shared hub stack's outputs with this same function.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";

export function grafanaApiProvider(
  name: string,
  url: pulumi.Input<string>,
  token: pulumi.Input<string>,
  opts?: pulumi.CustomResourceOptions,
): grafana.Provider {
  return new grafana.Provider(name, { url, auth: pulumi.secret(token) }, opts);
}
