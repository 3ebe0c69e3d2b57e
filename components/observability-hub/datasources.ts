/** Pure renderers of the Grafana data source settings the hub provisions per account. */
import * as pulumi from "@pulumi/pulumi";
import { grafanaUid } from "../shared/naming";

/** A Prometheus data source as `AccountFolder` declares it. */
export interface PrometheusDataSource {
  uid: string;
  name: string;
  url: pulumi.Input<string>;
  jsonData: Record<string, unknown>;
  /** Kept secret in state (a bearer header's value). */
  secureJsonData?: pulumi.Input<Record<string, string>>;
  /** Suffix of the data source's resource name. */
  resourceSuffix: string;
}

/** AMG signs with its workspace IAM role; Grafana calls that auth type "ec2_iam_role". */
const WORKSPACE_ROLE_AUTH = "ec2_iam_role";

export function ampDataSourceJson(region: string): Record<string, unknown> {
  return {
    httpMethod: "POST",
    sigV4Auth: true,
    sigV4AuthType: WORKSPACE_ROLE_AUTH,
    sigV4Region: region,
    timeInterval: "30s",
  };
}

/** Without a read role, Grafana reads the CloudWatch of its own (hub) account. */
export function cloudWatchDataSourceJson(region: string, readRoleArn?: string): Record<string, unknown> {
  return {
    authType: WORKSPACE_ROLE_AUTH,
    defaultRegion: region,
    ...(readRoleArn ? { assumeRoleArn: readRoleArn } : {}),
  };
}

/** An account's AMP workspace as a Grafana data source, signed with AMG's workspace role. */
export function ampDataSource(environment: string, accountName: string, region: string, queryUrl: pulumi.Input<string>): PrometheusDataSource {
  return { uid: grafanaUid("amp", environment, accountName), name: `AMP ${accountName}`, url: queryUrl, jsonData: ampDataSourceJson(region), resourceSuffix: "amp" };
}
