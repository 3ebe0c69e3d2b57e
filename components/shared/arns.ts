/** ARNs that AWS derives from names alone, so either side of a cross-account trust can name the other first. */

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function iamRoleArn(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export function accountRootArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function eventBusArn(region: string, accountId: string, busName: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${accountId}:event-bus/${busName}`;
}

export function snsTopicArn(region: string, accountId: string, topicName: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${accountId}:${topicName}`;
}

/** A log group's ARN as CloudWatch Logs names it in encryption context (no `:*` stream suffix). */
export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

/** Account id in an ARN (the fifth field), or undefined when the ARN has none. */
export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

export function ampQueryHost(region: string): string {
  return `aps-workspaces.${region}.amazonaws.com`;
}

export function ampWorkspaceQueryUrl(region: string, workspaceId: string): string {
  return `https://${ampQueryHost(region)}/workspaces/${workspaceId}`;
}

export function ampRemoteWriteUrl(region: string, workspaceId: string): string {
  return `${ampWorkspaceQueryUrl(region, workspaceId)}/api/v1/remote_write`;
}
