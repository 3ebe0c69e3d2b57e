/**
 * A workload account's place in Grafana: its folder, its Prometheus data source (AMP with
 * SigV4 on the managed backend; the self-hosted hub's confined query path with a bearer
 * token), on the managed backend a CloudWatch data source that assumes the account's read
 * role, and the account's dashboards. Uids are derived from environment and account name.
 * Both backends declare it with the same `@pulumiverse/grafana` resources.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { AccountDashboards } from "../dashboards";
import { grafanaUid } from "../shared/naming";
import { PrometheusDataSource, cloudWatchDataSourceJson } from "./datasources";
import { grafanaPrometheusDataSource } from "./grafana-api";

export interface AccountFolderArgs {
  environment: string;
  accountName: string;
  /** The account's Prometheus data source (`ampDataSource`, or the self-hosted hub's). */
  prometheus: PrometheusDataSource;
  /** A CloudWatch data source reading the account through its read role (AMG's workspace role may assume it). */
  cloudWatch?: { region: string; readRoleArn: string };
  /** The account's collector: a managed scraper gets no collector-health dashboard. */
  collectorMode?: "prometheus" | "managed-scraper";
  provider: grafana.Provider;
}

export class AccountFolder extends pulumi.ComponentResource {
  readonly folderUid: pulumi.Output<string>;
  readonly prometheusDataSourceUid: string;
  readonly cloudWatchDataSourceUid?: string;

  constructor(name: string, args: AccountFolderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:hub:AccountFolder", name, {}, opts);
    const child = { parent: this, provider: args.provider };

    const folder = new grafana.oss.Folder(`${name}-folder`, {
      uid: grafanaUid(args.environment, args.accountName),
      title: `${args.accountName} (${args.environment})`,
    }, child);

    const { prometheus } = args;
    this.prometheusDataSourceUid = prometheus.uid;
    grafanaPrometheusDataSource(name, prometheus, child);

    if (args.cloudWatch) {
      this.cloudWatchDataSourceUid = grafanaUid("cw", args.environment, args.accountName);
      new grafana.oss.DataSource(`${name}-cloudwatch`, {
        uid: this.cloudWatchDataSourceUid,
        name: `CloudWatch ${args.accountName}`,
        type: "cloudwatch",
        jsonDataEncoded: JSON.stringify(cloudWatchDataSourceJson(args.cloudWatch.region, args.cloudWatch.readRoleArn)),
      }, child);
    }

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
