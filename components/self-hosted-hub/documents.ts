/**
 * The self-hosted hub's IAM documents as pure functions of ARNs: one task role per task
 * (each allowed exactly its own EFS access point, config objects, topic or roles), one
 * execution role per task (its own log group and the secrets it injects), the key policy,
 * the EFS file system policy and the ingest secrets' resource policy.
 */
import { PolicyDocument, PolicyStatement, policyDocument } from "../iam/policy-document";
import {
  accountUsesKeyThroughService,
  allowAssumeRoles,
  allowDecryptSecretsWithKey,
  allowEfsThroughAccessPoint,
  allowEncryptForTopicWithKey,
  allowPublishToTopic,
  allowReadObjects,
  allowReadSecrets,
  allowWriteLogGroup,
  efsRefusesInsecureTransport,
  logsUseKeyForLogGroups,
  rolesDecryptThroughSecretsManager,
  secretReadableByRole,
  serviceKeyPolicyStatements,
  trustServiceForAccount,
} from "../iam/statements";
import { partitionOf } from "../shared/arns";

/** ECS tasks of this account and region only may assume the hub's task and execution roles. */
export function ecsTaskTrustPolicy(accountId: string, region: string, partition = "aws"): PolicyDocument {
  return policyDocument(trustServiceForAccount("ecs-tasks.amazonaws.com", accountId, `arn:${partition}:ecs:${region}:${accountId}:*`));
}

export interface EfsAccess {
  region: string;
  accountId: string;
  /** The task's own access point: the only way its role may mount the file system. */
  accessPointArn: string;
}

/** What each task's own code may do; the config loader container shares it (reads the task's config objects). */
export type TaskPermissions =
  | { kind: "prometheus"; storage: EfsAccess; configObjectArns: string[] }
  | { kind: "alertmanager"; storage: EfsAccess; configObjectArns: string[]; topicArns: string[]; topicKeyArn?: string; region: string }
  | { kind: "grafana"; storage: EfsAccess; configObjectArns: string[] }
  | { kind: "cloudwatch-exporter"; configObjectArns: string[]; cloudWatchReadRoleArns: string[] };

export function taskRolePolicy(permissions: TaskPermissions): PolicyDocument {
  const statements: PolicyStatement[] = [allowReadObjects(permissions.configObjectArns)];
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
      if (permissions.cloudWatchReadRoleArns.length > 0) statements.push(allowAssumeRoles(permissions.cloudWatchReadRoleArns, "AssumeWorkloadCloudWatchReadRoles"));
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

/**
 * The hub key: the account administers it and uses it through EFS (the metrics, silences and
 * Grafana database) and Secrets Manager (ingest, query and admin credentials); each workload
 * account's collector role decrypts through Secrets Manager only (its own ingest credential).
 */
export function selfHostedKeyPolicy(accountId: string, region: string, collectorRoleArns: string[], taskLogGroupArns: string[]): PolicyDocument {
  return policyDocument(
    ...serviceKeyPolicyStatements(accountId, `elasticfilesystem.${region}.amazonaws.com`),
    accountUsesKeyThroughService("UseThroughSecretsManager", accountId, `secretsmanager.${region}.amazonaws.com`),
    ...(collectorRoleArns.length > 0 ? [rolesDecryptThroughSecretsManager("CollectorsReadOwnIngestCredentials", collectorRoleArns, region)] : []),
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
