/** Pure renderers of the Grafana data source settings the hub provisions per account. */

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
