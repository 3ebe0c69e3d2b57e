/**
 * What the hub shows across accounts: a hub folder with the AMP usage dashboard (on the
 * hub's own CloudWatch, where AMP publishes usage) and, when the unified query runs, the
 * "All accounts" data source and the cross-account overview dashboard on it.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { renderCrossAccountDashboards } from "../dashboards";
import { grafanaUid } from "../shared/naming";
import { createUnifiedQueryDataSource, unifiedDataSourceUid } from "../unified-query";
import { cloudWatchDataSourceJson } from "./datasources";

export interface UnifiedEndpoint {
  queryUrl: pulumi.Input<string>;
  basicAuthUsername: pulumi.Input<string>;
  basicAuthPassword: pulumi.Input<string>;
}

export interface CrossAccountViewsArgs {
  environment: string;
  region: string;
  workspaces: Array<{ accountName: string; workspaceId: pulumi.Input<string> }>;
  provider: grafana.Provider;
  /** Present when Promxy runs: enables the "All accounts" data source and overview. */
  unified?: UnifiedEndpoint;
}

export class CrossAccountViews extends pulumi.ComponentResource {
  readonly folderUid: pulumi.Output<string>;

  constructor(name: string, args: CrossAccountViewsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:hub:CrossAccountViews", name, {}, opts);
    const child = { parent: this, provider: args.provider };

    const folder = allAccountsFolder(`${name}-folder`, args.environment, child);

    const hubCloudWatchUid = grafanaUid("cw", args.environment, "hub");
    new grafana.oss.DataSource(`${name}-hub-cloudwatch`, {
      uid: hubCloudWatchUid,
      name: "CloudWatch hub",
      type: "cloudwatch",
      jsonDataEncoded: JSON.stringify(cloudWatchDataSourceJson(args.region)),
    }, child);

    if (args.unified) {
      createUnifiedQueryDataSource(`${name}-all-accounts`, {
        environment: args.environment,
        queryUrl: args.unified.queryUrl,
        basicAuthUsername: args.unified.basicAuthUsername,
        basicAuthPassword: args.unified.basicAuthPassword,
      }, args.provider, { parent: this });
    }

    // Dashboard uids do not depend on workspace ids, so the set is known before deploy.
    const render = (workspaces: Array<{ accountName: string; workspaceId: string }>) => renderCrossAccountDashboards({
      environment: args.environment,
      unifiedDatasourceUid: unifiedDataSourceUid(args.environment),
      hubCloudwatchDatasourceUid: hubCloudWatchUid,
      workspaces,
    }).filter((d) => args.unified !== undefined || !d.json.includes(unifiedDataSourceUid(args.environment)));
    const rendered = pulumi.all(args.workspaces.map((w) => pulumi.output(w.workspaceId).apply((workspaceId) => ({ accountName: w.accountName, workspaceId }))))
      .apply(render);
    const uids = render(args.workspaces.map((w) => ({ accountName: w.accountName, workspaceId: `uid-probe-${w.accountName}` }))).map((d) => d.uid);
    for (const uid of uids) {
      new grafana.oss.Dashboard(`${name}-${uid}`, {
        folder: folder.uid,
        overwrite: true,
        configJson: rendered.apply((dashboards) => dashboards.find((d) => d.uid === uid)!.json),
      }, child);
    }

    this.folderUid = folder.uid;
    this.registerOutputs({ folderUid: this.folderUid });
  }
}

/** The environment's "All accounts" folder, on either backend's Grafana. */
export function allAccountsFolder(name: string, environment: string, opts: pulumi.CustomResourceOptions): grafana.oss.Folder {
  return new grafana.oss.Folder(name, { uid: grafanaUid(environment, "all-accounts"), title: `All accounts (${environment})` }, opts);
}
