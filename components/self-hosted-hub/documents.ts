/**
 * The self-hosted hub's IAM documents as pure functions of ARNs: one task role per task
 * (each allowed exactly its own EFS access point, config objects, topic or roles), one
 * execution role per task (its own log group and the secrets it injects), the key policy,
 * the EFS file system policy and the ingest secrets' resource policy.
 */
import { PolicyDocument, PolicyStatement, policyDocument } from "../iam/policy-document";
import {
  accountUsesKeyThroughService,
  allowAssumeRoleNamedInOrganization,
  allowDecryptSecretsWithKey,
  allowEfsThroughAccessPoint,
  allowEncryptForTopicWithKey,
  allowPublishToTopic,
  allowListObjectsUnder,
  allowReadObjects,
  allowReadObjectsUnder,
  allowReadSecrets,
  allowReadSecretsNamedUnder,
  allowWriteLogGroup,
  efsRefusesInsecureTransport,
  logsUseKeyForLogGroups,
  organizationRolesDecryptSecretsUnder,
  secretArnsNamedUnder,
  secretReadableByRole,
  serviceKeyPolicyStatements,
  trustServiceForAccount,
} from "../iam/statements";
import { partitionOf } from "../shared/arns";

/** ECS tasks of this account and region only may assume the hub's task and execution roles. */
export function ecsTaskTrustPolicy(accountId: string, region: string): PolicyDocument {
  // The task's ARN is in the region's partition (aws-cn, aws-us-gov): a fixed "aws" would never match there.
  return policyDocument(trustServiceForAccount("ecs-tasks.amazonaws.com", accountId, `arn:${partitionOf(region)}:ecs:${region}:${accountId}:*`));
}

export interface EfsAccess {
  region: string;
  accountId: string;
  /** The task's own access point: the only way its role may mount the file system. */
  accessPointArn: string;
}

/**
 * What the task's account sync reads: the bucket prefixes the accounts' hub stacks write, and
 * (Prometheus only) the ingest secrets named under the environment's prefix, through the key.
 */
export interface AccountSyncAccess {
  bucketArn: string;
  prefixes: string[];
  ingestSecrets?: { region: string; accountId: string; namePrefix: string; keyArn: string };
}

/** What each task's own code may do; the config loader and account sync containers share it. */
export type TaskPermissions =
  | { kind: "prometheus"; storage: EfsAccess; configObjectArns: string[]; accountSync: AccountSyncAccess }
  | { kind: "alertmanager"; storage: EfsAccess; configObjectArns: string[]; topicArns: string[]; topicKeyArn?: string; region: string }
  // Grafana loads no files: the stacks manage its folders, data sources and dashboards through its API.
  | { kind: "grafana"; storage: EfsAccess }
  | { kind: "cloudwatch-exporter"; configObjectArns: string[]; accountSync: AccountSyncAccess; cloudWatchReadRole: { roleName: string; organizationId: string; partition: string } };

function accountSyncStatements(access: AccountSyncAccess): PolicyStatement[] {
  return [
    allowListObjectsUnder(access.bucketArn, access.prefixes),
    allowReadObjectsUnder(access.bucketArn, access.prefixes),
    ...(access.ingestSecrets ? allowReadSecretsNamedUnder(access.ingestSecrets.region, access.ingestSecrets.accountId, access.ingestSecrets.namePrefix, access.ingestSecrets.keyArn) : []),
  ];
}

export function taskRolePolicy(permissions: TaskPermissions): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (permissions.kind !== "grafana") statements.push(allowReadObjects(permissions.configObjectArns));
  if (permissions.kind === "prometheus" || permissions.kind === "cloudwatch-exporter") statements.push(...accountSyncStatements(permissions.accountSync));
  switch (permissions.kind) {
    case "prometheus":
      statements.push(allowEfsThroughAccessPoint("WriteOwnTsdb", permissions.storage.region, permissions.storage.accountId, permissions.storage.accessPointArn, true, partitionOf(permissions.storage.region)));
      break;
    case "alertmanager":
      statements.push(allowEfsThroughAccessPoint("WriteOwnSilencesAndNotificationLog", permissions.storage.region, permissions.storage.accountId, permissions.storage.accessPointArn, true, partitionOf(permissions.storage.region)));
      for (const [index, topicArn] of [...new Set(permissions.topicArns)].sort().entries()) statements.push(allowPublishToTopic(topicArn, `PublishToAlertTopic${index}`));
      if (permissions.topicKeyArn) statements.push(allowEncryptForTopicWithKey(permissions.topicKeyArn, permissions.region));
      break;
    case "grafana":
      statements.push(allowEfsThroughAccessPoint("WriteOwnGrafanaDatabase", permissions.storage.region, permissions.storage.accountId, permissions.storage.accessPointArn, true, partitionOf(permissions.storage.region)));
      break;
    case "cloudwatch-exporter":
      // The named read role in any account of the organisation: the same document at any number of accounts.
      statements.push(allowAssumeRoleNamedInOrganization(permissions.cloudWatchReadRole.roleName, permissions.cloudWatchReadRole.organizationId, permissions.cloudWatchReadRole.partition, "AssumeWorkloadCloudWatchReadRoles"));
      break;
  }
  return policyDocument(...statements);
}

export interface ExecutionPermissions {
  logGroupArn: string;
  /** Secrets ECS injects as environment variables into this task's containers. */
  secretArns: string[];
  keyArn: string;
  region: string;
}

/** What ECS itself needs to start the task: write its log group, fetch exactly its secrets. */
export function executionRolePolicy(permissions: ExecutionPermissions): PolicyDocument {
  return policyDocument(
    allowWriteLogGroup(permissions.logGroupArn),
    ...(permissions.secretArns.length > 0 ? [allowReadSecrets(permissions.secretArns), allowDecryptSecretsWithKey(permissions.keyArn, permissions.region)] : []),
  );
}

/** Who reads the accounts' ingest credentials from other accounts: the organisation's collector roles. */
export interface CollectorReaders {
  organizationId: string;
  /** `arn:aws:iam::*:role/amp-collector-<env>-*`. */
  roleArnPattern: string;
  /** The environment's ingest prefix, `observability/<env>/self-hosted/ingest/`. */
  ingestSecretNamePrefix: string;
}

/**
 * The hub key: the account administers it and uses it through EFS (the metrics, silences and
 * Grafana database) and Secrets Manager (ingest, query and admin credentials); the
 * organisation's collector roles decrypt through Secrets Manager only, and only secrets under
 * the ingest prefix (each secret's own policy admits exactly one of them). The same document
 * at any number of accounts.
 */
export function selfHostedKeyPolicy(accountId: string, region: string, collectors: CollectorReaders, taskLogGroupArns: string[]): PolicyDocument {
  return policyDocument(
    ...serviceKeyPolicyStatements(accountId, `elasticfilesystem.${region}.amazonaws.com`),
    accountUsesKeyThroughService("UseThroughSecretsManager", accountId, `secretsmanager.${region}.amazonaws.com`),
    organizationRolesDecryptSecretsUnder("CollectorsReadOwnIngestCredentials", collectors.organizationId, collectors.roleArnPattern,
      secretArnsNamedUnder(region, accountId, collectors.ingestSecretNamePrefix), region),
    logsUseKeyForLogGroups(region, taskLogGroupArns),
  );
}

/** Resource policy of one account's ingest credential: its collector role may read it. */
export function ingestSecretPolicy(collectorRoleArn: string): PolicyDocument {
  return policyDocument(secretReadableByRole(collectorRoleArn));
}

export function fileSystemPolicy(fileSystemArn: string): PolicyDocument {
  return policyDocument(efsRefusesInsecureTransport(fileSystemArn));
}
