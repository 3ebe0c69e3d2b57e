/**
 * Deploys rendered dashboards into a Grafana folder. The JSON sent is exactly what the
 * renderers produced (and what the offline plan writes to disk).
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { AccountDashboardSettings, renderAccountDashboards } from "./account-dashboards";
import { RenderedDashboard } from "./panels";

function deploy(parent: pulumi.ComponentResource, name: string, provider: grafana.Provider, folderUid: pulumi.Input<string>, dashboards: RenderedDashboard[]) {
  const uids = new Set<string>();
  const urls = dashboards.map((rendered) => {
    if (uids.has(rendered.uid)) throw new Error(`${name}: dashboard uid "${rendered.uid}" is used twice`);
    uids.add(rendered.uid);
    const resource = new grafana.oss.Dashboard(
      `${name}-${rendered.uid}`,
      { configJson: rendered.json, folder: folderUid, overwrite: true, message: "Managed by the observability program" },
      { provider, parent },
    );
    return resource.url.apply((url) => [rendered.uid, url] as const);
  });
  return pulumi.all(urls).apply((pairs) => Object.fromEntries(pairs) as Record<string, string>);
}

export interface AccountDashboardsArgs extends AccountDashboardSettings {
  grafanaProvider: grafana.Provider;
  /** The account's folder. */
  folderUid: pulumi.Input<string>;
}

/** One workload account's dashboards, rendered and deployed into its folder. */
export class AccountDashboards extends pulumi.ComponentResource {
  /** Dashboard uid -> URL. */
  public readonly urls: pulumi.Output<Record<string, string>>;
  public readonly dashboards: RenderedDashboard[];

  constructor(name: string, args: AccountDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:AccountDashboards", name, {}, opts);
    this.dashboards = renderAccountDashboards({
      environment: args.environment,
      accountName: args.accountName,
      prometheusDatasourceUid: args.prometheusDatasourceUid,
      collectorMode: args.collectorMode,
    });
    this.urls = deploy(this, name, args.grafanaProvider, args.folderUid, this.dashboards);
    this.registerOutputs({ urls: this.urls });
  }
}

export interface GrafanaDashboardsArgs {
  grafanaProvider: grafana.Provider;
  folderUid: pulumi.Input<string>;
  dashboards: RenderedDashboard[];
}

/** Any list of rendered dashboards (the hub's cross-account ones) in one folder. */
export class GrafanaDashboards extends pulumi.ComponentResource {
  public readonly urls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GrafanaDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:index:GrafanaDashboards", name, {}, opts);
    this.urls = deploy(this, name, args.grafanaProvider, args.folderUid, args.dashboards);
    this.registerOutputs({ urls: this.urls });
  }
}
