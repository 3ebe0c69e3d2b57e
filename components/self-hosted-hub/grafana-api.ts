/**
 * The self-hosted Grafana as the stacks manage it: through its API listener (port 8443 of the
 * load balancer, `load-balancer.ts`), with the same `@pulumiverse/grafana` resources as the
 * managed backend.
 *
 * The shared hub stack signs in once as Grafana's admin (the generated password, a Pulumi
 * secret) to create the automation service account and its token; everything else, here and
 * in every account's hub stack, uses that token (`grafanaApiToken` output, secret). Here it
 * declares what is not any one account's: the "All accounts" data source and the cross-account
 * overview in its own folder. Accounts' folders, data sources and dashboards are `AccountFolder`s
 * in their own hub stacks.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { GrafanaDashboards, renderCrossAccountOverview } from "../dashboards";
import { allAccountsFolder } from "../observability-hub/cross-account-views";
import { grafanaApiProvider, grafanaPrometheusDataSource } from "../observability-hub/grafana-api";
import { allAccountsProxyDataSource } from "./grafana-datasources";
import { PORTS } from "./security-groups";

/** The Grafana API as the stacks reach it: the load balancer's API listener under Grafana's name. */
export function grafanaApiUrl(grafanaHostName: string): string {
  return `https://${grafanaHostName}:${PORTS.grafanaApi}`;
}

/** Grafana's built-in admin user (its password is the generated `grafana-admin` secret). */
export const GRAFANA_ADMIN_USER = "admin";

export interface SelfHostedGrafanaApiArgs {
  environment: string;
  grafanaHostName: string;
  adminPassword: pulumi.Input<string>;
  /** The first server's proxy, under which the "All accounts" data source reads. */
  proxyUrl: string;
  scrapeInterval: string;
  queryToken: pulumi.Input<string>;
  /** What must be up before the first API call: Grafana's service and the API listener's rules. */
  dependsOn: pulumi.Resource[];
}

export class SelfHostedGrafanaApi extends pulumi.ComponentResource {
  public readonly url: string;
  /** The automation service account's token (secret): what every stack's Grafana provider signs in with. */
  public readonly token: pulumi.Output<string>;

  constructor(name: string, args: SelfHostedGrafanaApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:SelfHostedGrafanaApi", name, {}, opts);
    this.url = grafanaApiUrl(args.grafanaHostName);
    const admin = grafanaApiProvider(`${name}-admin`, this.url, pulumi.interpolate`${GRAFANA_ADMIN_USER}:${args.adminPassword}`, { parent: this, dependsOn: args.dependsOn });
    const account = new grafana.oss.ServiceAccount(`${name}-automation`, {
      name: `observability-${args.environment}-automation`,
      role: "Admin",
    }, { parent: this, provider: admin });
    const token = new grafana.oss.ServiceAccountToken(`${name}-automation`, {
      name: `observability-${args.environment}-stacks`,
      serviceAccountId: account.id,
    }, { parent: this, provider: admin, additionalSecretOutputs: ["key"] });
    this.token = pulumi.secret(token.key);

    const api = grafanaApiProvider(`${name}-automation`, this.url, this.token, { parent: this });
    const child = { parent: this, provider: api };
    const allAccounts = allAccountsProxyDataSource(args.proxyUrl, args.scrapeInterval, args.queryToken);
    grafanaPrometheusDataSource(name, allAccounts, child);
    const folder = allAccountsFolder(`${name}-all-accounts`, args.environment, child);
    new GrafanaDashboards(`${name}-all-accounts`, {
      grafanaProvider: api,
      folderUid: folder.uid,
      dashboards: [renderCrossAccountOverview(args.environment, allAccounts.uid)],
    }, { parent: this });
    this.registerOutputs({ url: this.url });
  }
}
