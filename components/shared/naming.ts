/**
 * Deterministic names shared by the hub and workload sides. Both sides compute these
 * from the environment and account name, which is what lets the hub trust a collector
 * role that does not exist yet (and the reverse) without a dependency cycle.
 */

const MAX_ROLE_NAME = 64;

function roleName(...parts: string[]): string {
  const name = parts.join("-");
  if (name.length > MAX_ROLE_NAME) {
    throw new Error(`IAM role name "${name}" is longer than ${MAX_ROLE_NAME} characters; shorten the environment or account name`);
  }
  return name;
}

/** Hub role that a workload account's collector assumes to remote-write to its workspace. */
export function ingestRoleName(environment: string, accountName: string): string {
  return roleName("amp-ingest", environment, accountName);
}

/** Workload role the collector runs as (IRSA for Prometheus, source role for the managed scraper). */
export function collectorRoleName(environment: string, accountName: string): string {
  return roleName("amp-collector", environment, accountName);
}

/** Every account's collector role of an environment, as an IAM ARN pattern (a bound; each secret names its one role). */
export function collectorRoleArnPattern(environment: string, partition = "aws"): string {
  return `arn:${partition}:iam::*:role/${collectorRoleName(environment, "*")}`;
}

/** Hub role Amazon Managed Grafana runs as.*/
export function grafanaRoleName(environment: string): string {
  return roleName("grafana-workspace", environment);
}

/** Workload role that only the hub's Grafana role may assume, to read CloudWatch. */
export function cloudWatchReadRoleName(environment: string): string {
  return roleName("grafana-cloudwatch-read", environment);
}

/** Grafana uids: at most 40 characters of [a-zA-Z0-9-_]. */
export function grafanaUid(...parts: string[]): string {
  const uid = parts.join("-").replace(/[^a-zA-Z0-9_-]/g, "-");
  if (uid.length > 40) {
    throw new Error(`Grafana uid "${uid}" is longer than 40 characters; shorten the account name`);
  }
  return uid;
}

/** Tag every resource of an environment carries; scoped policies select the hub's workspaces by it. */
export const ENVIRONMENT_TAG = "observability:environment";
