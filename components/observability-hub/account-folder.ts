/**
 * A workload account's place in Grafana: its folder, a Prometheus data source on its AMP
 * workspace (SigV4 with the workspace role) and a CloudWatch data source that assumes
 * the account's read role, and the account's dashboards. Uids are derived from environment
 * and account name.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { AccountDashboards } from "../dashboards";
import { grafanaUid } from "../shared/naming";
import { ampDataSourceJson, cloudWatchDataSourceJson } from "./datasources";

export interface AccountFolderArgs {
  environment: string;
  accountName: string;
  region: string;
  queryUrl: pulumi.Input<string>;
  cloudWatchReadRoleArn: string;
  /** The account's collector: a managed scraper gets no collector-health dashboard. */
  collectorMode?: "prometheus" | "managed-scraper";
  provider: grafana.Provider;
}

export class AccountFolder extends pulumi.ComponentResource {
  readonly folderUid: pulumi.Output<string>;
  readonly prometheusDataSourceUid: string;
  readonly cloudWatchDataSourceUid: string;

  constructor(name: string, args: AccountFolderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:hub:AccountFolder", name, {}, opts);
    const child = { parent: this, provider: args.provider };

    const folder = new grafana.oss.Folder(`${name}-folder`, {
      uid: grafanaUid(args.environment, args.accountName),
      title: `${args.accountName} (${args.environment})`,
    }, child);

    this.prometheusDataSourceUid = grafanaUid("amp", args.environment, args.accountName);
    new grafana.oss.DataSource(`${name}-amp`, {
      uid: this.prometheusDataSourceUid,
      name: `AMP ${args.accountName}`,
      type: "prometheus",
      url: args.queryUrl,
      jsonDataEncoded: JSON.stringify(ampDataSourceJson(args.region)),
    }, child);

    this.cloudWatchDataSourceUid = grafanaUid("cw", args.environment, args.accountName);
    new grafana.oss.DataSource(`${name}-cloudwatch`, {
      uid: this.cloudWatchDataSourceUid,
      name: `CloudWatch ${args.accountName}`,
      type: "cloudwatch",
      jsonDataEncoded: JSON.stringify(cloudWatchDataSourceJson(args.region, args.cloudWatchReadRoleArn)),
    }, child);

    new AccountDashboards(`${name}-dashboards`, {
      environment: args.environment,
      accountName: args.accountName,
      prometheusDatasourceUid: this.prometheusDataSourceUid,
      collectorMode: args.collectorMode,
      grafanaProvider: args.provider,
      folderUid: folder.uid,
    }, { parent: this });

    this.folderUid = folder.uid;
    this.registerOutputs({ folderUid: this.folderUid });
  }
}
