/**
 * Named least-privilege statement builders. Each says one intent ("remote-write to this
 * workspace", "assume exactly this role"); components and policy tests both use them,
 * so a reviewer reads intent rather than JSON.
 */
import { accountOfArn, accountRootArn, partitionOf } from "../shared/arns";
import { PolicyStatement } from "./policy-document";

/** The one permission a collector needs on its hub workspace. */
export function allowRemoteWrite(workspaceArn: string): PolicyStatement {
  return { Sid: "RemoteWriteToOwnWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn };
}

/**
 * VPC endpoint policy statement: only this role (whatever session of it) may remote-write
 * through the endpoint, and only to this workspace. `aws:PrincipalArn` of an assumed-role
 * session is the role's ARN; `aws:PrincipalAccount` pins the role's account as well.
 */
export function endpointAllowsRemoteWriteBy(roleArn: string, workspaceArn: string): PolicyStatement {
  const account = accountOfArn(roleArn);
  return {
    Sid: "RemoteWriteByIngestRoleOnly",
    Effect: "Allow",
    Principal: "*",
    Action: "aps:RemoteWrite",
    Resource: workspaceArn,
    Condition: {
      ArnEquals: { "aws:PrincipalArn": roleArn },
      ...(account ? { StringEquals: { "aws:PrincipalAccount": account } } : {}),
    },
  };
}

export const AMP_QUERY_ACTIONS = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"];

/**
 * Workspaces encrypted with a customer managed key: AMP uses the key on behalf of whoever
 * writes or queries, so each such principal needs it, and only through AMP in this region.
 */
export function allowUseKeyThroughAmp(keyArn: string, region: string): PolicyStatement {
  return {
    Sid: "UseWorkspaceKeyThroughAmp",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `aps.${region}.amazonaws.com` } },
  };
}

/** Read-only PromQL access to exactly these workspaces (Grafana, Promxy). Grows with the list: see `allowQueryTaggedWorkspaces`. */
export function allowQueryWorkspaces(workspaceArns: string[]): PolicyStatement {
  return { Sid: "QueryHubWorkspaces", Effect: "Allow", Action: AMP_QUERY_ACTIONS, Resource: [...workspaceArns].sort() };
}

/** The workspaces of one account and region that carry one tag value (AMP's query actions accept aws:ResourceTag). */
export interface TaggedWorkspaces {
  region: string;
  accountId: string;
  tagKey: string;
  tagValue: string;
}

export function workspacesOfAccount(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:aps:${region}:${accountId}:workspace/*`;
}

/**
 * Read-only PromQL access to the account's workspaces that carry the tag: the same size
 * for 3 accounts or 1,000, and a workspace of another environment (or untagged) is out.
 */
export function allowQueryTaggedWorkspaces(scope: TaggedWorkspaces): PolicyStatement {
  return {
    Sid: "QueryTaggedHubWorkspaces",
    Effect: "Allow",
    Action: AMP_QUERY_ACTIONS,
    Resource: workspacesOfAccount(scope.region, scope.accountId),
    Condition: { StringEquals: { [`aws:ResourceTag/${scope.tagKey}`]: scope.tagValue } },
  };
}

/**
 * Everything a query client of the hub (Grafana, Promxy) needs on the workspaces: query the
 * tagged ones (or exactly the listed ARNs), and use their customer managed key through AMP
 * when they have one.
 */
export function allowQueryHubWorkspaces(workspaces: TaggedWorkspaces | string[], region: string, keyArn?: string): PolicyStatement[] {
  return [
    Array.isArray(workspaces) ? allowQueryWorkspaces(workspaces) : allowQueryTaggedWorkspaces(workspaces),
    ...(keyArn ? [allowUseKeyThroughAmp(keyArn, region)] : []),
  ];
}

/**
 * `sts:AssumeRole` on the role of this exact name in any account of the organisation:
 * one statement whatever the number of accounts. Each role's own trust policy still
 * names the caller, so both sides must agree.
 */
export function allowAssumeRoleNamedInOrganization(roleName: string, organizationId: string, partition = "aws", sid = "AssumeNamedRoleInOrganization"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "sts:AssumeRole",
    Resource: `arn:${partition}:iam::*:role/${roleName}`,
    Condition: { StringEquals: { "aws:ResourceOrgID": organizationId } },
  };
}

/** `sts:AssumeRole` on exactly the listed roles. */
export function allowAssumeRoles(roleArns: string[], sid = "AssumeNamedRoles"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "sts:AssumeRole", Resource: [...roleArns].sort() };
}

/**
 * Trust a role in another account that may not exist yet: IAM refuses a role ARN principal
 * that does not exist, so trust the account and pin the caller with `aws:PrincipalArn`.
 */
export function trustRoleOfAccount(accountId: string, roleArns: string[], partition = "aws"): PolicyStatement {
  return {
    Sid: "TrustNamedRoleOfAccount",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(accountId, partition) },
    Action: "sts:AssumeRole",
    Condition: { ArnEquals: { "aws:PrincipalArn": [...roleArns].sort() } },
  };
}

/** Trust exactly one existing role (named as the principal). */
export function trustExactRole(roleArn: string): PolicyStatement {
  return { Sid: "TrustExactRole", Effect: "Allow", Principal: { AWS: roleArn }, Action: "sts:AssumeRole" };
}

export interface ServiceAccountIdentity {
  oidcProviderArn: string;
  /** Issuer URL, with or without `https://`. */
  oidcIssuerUrl: string;
  namespace: string;
  serviceAccount: string;
}

export function issuerHostPath(oidcIssuerUrl: string): string {
  return oidcIssuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
}

/** IRSA trust pinned to one service account of one cluster (`:sub`) and to STS (`:aud`). */
export function trustServiceAccount(identity: ServiceAccountIdentity, sid = "TrustServiceAccount"): PolicyStatement {
  const issuer = issuerHostPath(identity.oidcIssuerUrl);
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: identity.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    },
  };
}

/** Trust an AWS service acting for this account only (confused-deputy protection). */
export function trustServiceForAccount(service: string, accountId: string, sourceArnPattern?: string): PolicyStatement {
  return {
    Sid: "TrustServiceForThisAccount",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ...(sourceArnPattern ? { ArnLike: { "aws:SourceArn": sourceArnPattern } } : {}),
    },
  };
}

/**
 * Key policy of a customer-managed key that one AWS service uses on this account's behalf:
 * the account administers the key through IAM, and may use it only via that service.
 */
export function serviceKeyPolicyStatements(accountId: string, viaService: string): PolicyStatement[] {
  return [
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(accountId) },
      Action: [
        "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*", "kms:Enable*",
        "kms:Get*", "kms:List*", "kms:Put*", "kms:Revoke*", "kms:ScheduleKeyDeletion", "kms:TagResource",
        "kms:UntagResource", "kms:Update*",
      ],
      // In a key policy, "*" means this key.
      Resource: "*",
    },
    {
      Sid: "UseOnlyThroughService",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(accountId) },
      Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": viaService, "kms:CallerAccount": accountId } },
    },
  ];
}

/**
 * What Grafana's CloudWatch data source needs in one account. Actions that accept a
 * resource are scoped to the account; the rest only accept `*` in IAM.
 */
export function allowCloudWatchReadForGrafana(accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "ReadMetricsAccountWide",
      Effect: "Allow",
      Action: [
        "cloudwatch:DescribeAlarmsForMetric",
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "ec2:DescribeInstances",
        "ec2:DescribeRegions",
        "ec2:DescribeTags",
        "logs:DescribeLogGroups",
        "logs:StopQuery",
        "oam:ListSinks",
        "tag:GetResources",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadAlarmsOfThisAccount",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"],
      Resource: `arn:aws:cloudwatch:*:${accountId}:alarm:*`,
    },
    {
      Sid: "QueryLogsOfThisAccount",
      Effect: "Allow",
      // GetQueryResults names the log group in the Service Authorization Reference.
      Action: ["logs:GetLogEvents", "logs:GetLogGroupFields", "logs:GetQueryResults", "logs:StartQuery"],
      Resource: [`arn:aws:logs:*:${accountId}:log-group:*`, `arn:aws:logs:*:${accountId}:log-group:*:log-stream:*`],
    },
    {
      Sid: "ListLinksOfThisAccount",
      Effect: "Allow",
      Action: "oam:ListAttachedLinks",
      Resource: `arn:aws:oam:*:${accountId}:sink/*`,
    },
  ];
}

/** `ArnLike` when any source is a pattern, `ArnEquals` otherwise. */
function sourceArnCondition(sourceArns: string[]): Record<string, Record<string, string | string[]>> {
  const sorted = [...sourceArns].sort();
  const value = sorted.length === 1 ? sorted[0] : sorted;
  return sorted.some((arn) => arn.includes("*")) ? { ArnLike: { "aws:SourceArn": value } } : { ArnEquals: { "aws:SourceArn": value } };
}

/**
 * AMP workspaces publish alerts to an SNS topic: only these workspaces (exact ARNs, or
 * `workspacesOfAccount` so the policy does not grow with the organisation), only from this
 * account (confused-deputy protection), and only the two actions AMP uses.
 */
export function allowAmpPublishToTopic(topicArn: string, accountId: string, workspaceArns: string[]): PolicyStatement {
  return {
    Sid: "AmpWorkspacesPublishAlerts",
    Effect: "Allow",
    Principal: { Service: "aps.amazonaws.com" },
    Action: ["sns:GetTopicAttributes", "sns:Publish"],
    Resource: topicArn,
    Condition: {
      ...sourceArnCondition(workspaceArns),
      StringEquals: { "aws:SourceAccount": accountId },
    },
  };
}

/** CloudWatch publishes exactly these alarms' state changes to an SNS topic. */
export function allowAlarmsPublishToTopic(topicArn: string, accountId: string, alarmArns: string[]): PolicyStatement {
  return {
    Sid: "CloudWatchAlarmsPublish",
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: {
      ArnEquals: { "aws:SourceArn": [...alarmArns].sort() },
      StringEquals: { "aws:SourceAccount": accountId },
    },
  };
}

/**
 * Which workload accounts' CloudWatch may act for: with an organisation id, any account of
 * it (aws:SourceOrgID, one size at any scale); without, exactly the listed accounts.
 */
export interface WorkloadSources {
  accountIds: string[];
  organizationId?: string;
}

function workloadSourceCondition(sources: WorkloadSources): Record<string, string | string[]> {
  if (sources.organizationId) return { "aws:SourceOrgID": sources.organizationId };
  const ids = [...sources.accountIds].sort();
  return { "aws:SourceAccount": ids.length === 1 ? ids[0] : ids };
}

/**
 * CloudWatch in the workload accounts publishes one named alarm (the same name in every
 * account: `alarmArnPattern` has `*` for the account) to a hub topic: cross-account alarm
 * actions need the topic policy to admit cloudwatch.amazonaws.com for those accounts.
 */
export function allowWorkloadAlarmsPublishToTopic(sid: string, topicArn: string, alarmArnPattern: string, sources: WorkloadSources): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { ArnLike: { "aws:SourceArn": alarmArnPattern }, StringEquals: workloadSourceCondition(sources) },
  };
}

/** Key policy statement: the same workload alarms may encrypt with the hub key (publishing to an SSE topic). */
export function workloadAlarmsUseKey(sid: string, alarmArnPattern: string, sources: WorkloadSources): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    // In a key policy, "*" means this key.
    Resource: "*",
    Condition: { ArnLike: { "aws:SourceArn": alarmArnPattern }, StringEquals: workloadSourceCondition(sources) },
  };
}

/**
 * Key policy statement: an AWS service may encrypt and decrypt with the key while it acts
 * for exactly these source resources of this account (e.g. AMP publishing to an SSE topic).
 */
export function serviceUsesKeyFor(sid: string, service: string, accountId: string, sourceArns: string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    // In a key policy, "*" means this key.
    Resource: "*",
    Condition: {
      ...sourceArnCondition(sourceArns),
      StringEquals: { "aws:SourceAccount": accountId },
    },
  };
}

/**
 * Key policy statement: CloudWatch Logs in this region may use the key for exactly these log
 * groups. AWS pins the Logs service by the encryption context it sends with every call (the
 * log group's ARN, `kms:EncryptionContext:aws:logs:arn`), not by aws:SourceArn, as the key
 * policy in the CloudWatch Logs user guide does ("Encrypt log data in CloudWatch Logs using
 * AWS Key Management Service").
 */
export function logsUseKeyForLogGroups(region: string, logGroupArns: string[]): PolicyStatement {
  if (logGroupArns.length === 0) throw new Error("logsUseKeyForLogGroups needs at least one log group ARN");
  return {
    Sid: "CloudWatchLogsUsesKeyForOwnLogGroups",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    // The guide's kms:Describe* is left out: DescribeKey carries no encryption context, so under
    // this condition it would grant nothing.
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
    // In a key policy, "*" means this key.
    Resource: "*",
    // The context holds the log group's ARN without the `:*` stream suffix.
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": [...new Set(logGroupArns.map((arn) => arn.replace(/:\*$/, "")))].sort() } },
  };
}

/** Read exactly these Secrets Manager secrets. */
export function allowReadSecrets(secretArns: string[]): PolicyStatement {
  return { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns].sort() };
}

/** Decrypt with exactly this key, and only when Secrets Manager asks on the caller's behalf. */
export function allowDecryptSecretsWithKey(keyArn: string, region: string, sid = "DecryptOwnSecrets"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
  };
}

/**
 * Read and write items of exactly this DynamoDB table (a ledger keyed per item): no scan,
 * no delete, no batch or table-level action, no other table or index.
 */
export function allowLedgerTable(tableArn: string, sid = "ReadWriteOwnLedgerTable"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: tableArn };
}

/**
 * Decrypt with exactly this key only when DynamoDB asks on the caller's behalf (reading the
 * table key of a table encrypted with it).
 */
export function allowDecryptTableWithKey(keyArn: string, region: string, sid = "DecryptOwnLedgerThroughDynamoDb"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
  };
}

/**
 * Key policy statement: the account's principals use the key through DynamoDB only (a table
 * encrypted with it: DynamoDB creates its grant when the table is created).
 */
export function accountUsesKeyThroughService(sid: string, accountId: string, viaService: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: accountRootArn(accountId) },
    Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": viaService, "kms:CallerAccount": accountId } },
  };
}

/** Write log events to exactly this log group (its streams). */
export function allowWriteLogGroup(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogGroup",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${logGroupArn.replace(/:\*$/, "")}:*`,
  };
}

/** Send messages to exactly this queue (e.g. a dead-letter queue). */
export function allowSendToQueue(queueArn: string, sid = "SendToOwnQueue"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn };
}

/** Queue policy statement: an AWS service may send to the queue for exactly this source resource. */
export function allowServiceSendToQueue(sid: string, service: string, queueArn: string, sourceArn: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": sourceArn } },
  };
}

/** Put events on exactly this event bus (a cross-account forwarder's only permission). */
export function allowPutEventsOnBus(busArn: string): PolicyStatement {
  return { Sid: "PutEventsOnHubBus", Effect: "Allow", Action: "events:PutEvents", Resource: busArn };
}

/**
 * Event bus policy: any account of the organisation may put events on the bus. One
 * statement whatever the number of accounts; the bus still needs a rule to deliver them.
 */
export function busAcceptsEventsFromOrganization(busArn: string, organizationId: string): PolicyStatement {
  return {
    Sid: "AcceptEventsFromOrganization",
    Effect: "Allow",
    Principal: "*",
    Action: "events:PutEvents",
    Resource: busArn,
    Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
  };
}

/**
 * Event bus policy: exactly these accounts may put events on the bus; with an organisation
 * id, the callers must also belong to that organisation. Grows with the list (about 35
 * characters an account against the bus policy's 10,240): see `busAcceptsEventsFromOrganization`.
 */
export function busAcceptsEventsFromAccounts(busArn: string, accountIds: string[], organizationId?: string, partition = "aws"): PolicyStatement {
  return {
    Sid: "AcceptEventsFromRegisteredAccounts",
    Effect: "Allow",
    Principal: { AWS: [...accountIds].sort().map((id) => accountRootArn(id, partition)) },
    Action: "events:PutEvents",
    Resource: busArn,
    ...(organizationId ? { Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } } } : {}),
  };
}

/**
 * Mount EFS only through this access point (the task's own directory and POSIX identity);
 * `write` adds ClientWrite. No root access. An access point belongs to one file system, so
 * the condition pins the file system too; the resource names the account's file systems
 * because a file system's id (and ARN) exists only once it is created.
 */
export function allowEfsThroughAccessPoint(sid: string, region: string, accountId: string, accessPointArn: string, write: boolean, partition = "aws"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: write ? ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] : "elasticfilesystem:ClientMount",
    Resource: `arn:${partition}:elasticfilesystem:${region}:${accountId}:file-system/*`,
    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
  };
}

/** EFS file system policy: no client access without TLS (mounts must use transit encryption). */
export function efsRefusesInsecureTransport(fileSystemArn: string): PolicyStatement {
  return {
    Sid: "RefuseUnencryptedTransport",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
    Resource: fileSystemArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Publish to exactly this SNS topic (an Alertmanager's SNS receiver, signing with its role). */
export function allowPublishToTopic(topicArn: string, sid = "PublishToAlertTopic"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "sns:Publish", Resource: topicArn };
}

/** Use exactly this key only when SNS asks on the caller's behalf (publishing to a topic encrypted with it). */
export function allowEncryptForTopicWithKey(keyArn: string, region: string, sid = "EncryptForEncryptedTopic"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
  };
}

/** Read exactly these S3 objects (configuration files a task copies in at start). */
export function allowReadObjects(objectArns: string[], sid = "ReadOwnConfigObjects"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: [...objectArns].sort() };
}

/**
 * Secret resource policy: exactly this role (a workload account's collector) reads the
 * secret holding its own ingest credential. The hub is deployed before the workload stacks,
 * so the role may not exist yet, and a resource policy naming a missing role is refused
 * ("invalid principal"): the account is the principal and `aws:PrincipalArn` pins the role.
 */
export function secretReadableByRole(roleArn: string): PolicyStatement {
  return {
    Sid: "CollectorReadsOwnIngestCredential",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(requiredAccountOf(roleArn), partitionOfArn(roleArn)) },
    Action: "secretsmanager:GetSecretValue",
    Resource: "*",
    Condition: { ArnEquals: { "aws:PrincipalArn": roleArn } },
  };
}

/**
 * What a workload collector needs to read its ingest credential from the self-hosted hub:
 * that one secret, and the hub key only when Secrets Manager decrypts it on its behalf.
 * Across accounts both sides must allow: the secret's and the key's policies admit the
 * collector role (`secretReadableByRole`, `organizationRolesDecryptSecretsUnder`), this is the
 * role's own half.
 */
export function allowReadIngestCredential(secretArn: string, keyArn: string): PolicyStatement[] {
  const region = secretArn.split(":")[3];
  return [
    { Sid: "ReadOwnIngestCredential", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
    allowDecryptSecretsWithKey(keyArn, region, "DecryptOwnIngestCredential"),
  ];
}

function requiredAccountOf(roleArn: string): string {
  const account = accountOfArn(roleArn);
  if (!account) throw new Error(`${roleArn} is not a role ARN with an account id`);
  return account;
}

function partitionOfArn(arn: string): string {
  return arn.split(":")[1] || "aws";
}

/**
 * List the objects under exactly these prefixes of one bucket (`aws s3 sync` of account
 * prefixes): `s3:ListBucket` is a bucket action, so the prefix is pinned by `s3:prefix`.
 */
export function allowListObjectsUnder(bucketArn: string, prefixes: string[], sid = "ListOwnConfigPrefixes"): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "s3:ListBucket",
    Resource: bucketArn,
    Condition: { StringLike: { "s3:prefix": [...new Set(prefixes.map((prefix) => `${prefix}*`))].sort() } },
  };
}

/** Read the objects under exactly these prefixes of one bucket (what account stacks write there). */
export function allowReadObjectsUnder(bucketArn: string, prefixes: string[], sid = "ReadOwnConfigPrefixes"): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: [...new Set(prefixes.map((prefix) => `${bucketArn}/${prefix}*`))].sort() };
}

/** The statement with more condition operators, ones it does not use yet. */
function withCondition(statement: PolicyStatement, operators: Record<string, Record<string, string | string[]>>): PolicyStatement {
  return { ...statement, Condition: { ...statement.Condition, ...operators } };
}

/** The ARN pattern of every secret whose name starts with `namePrefix` (Secrets Manager appends `-xxxxxx` to the name). */
export function secretArnsNamedUnder(region: string, accountId: string, namePrefix: string): string {
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${accountId}:secret:${namePrefix}*`;
}

/**
 * Read the secrets named under one prefix (the environment's accounts' ingest credentials,
 * found by name, since ListSecrets cannot be scoped), and decrypt them with exactly this key,
 * only when Secrets Manager asks for a secret under that prefix.
 */
export function allowReadSecretsNamedUnder(region: string, accountId: string, namePrefix: string, keyArn: string): PolicyStatement[] {
  const secrets = secretArnsNamedUnder(region, accountId, namePrefix);
  return [
    { Sid: "ReadAccountsIngestCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets },
    // Only for a secret under the prefix: Secrets Manager names it in the encryption context.
    withCondition(allowDecryptSecretsWithKey(keyArn, region, "DecryptAccountsIngestCredentials"), { ArnLike: { "kms:EncryptionContext:SecretARN": secrets } }),
  ];
}

/**
 * Key policy statement: the named role of every account of the organisation (each account's
 * collector) decrypts with the key only through Secrets Manager and only for secrets named
 * under one prefix, i.e. only to read a secret whose own policy admits it (each ingest secret
 * admits exactly its account's collector role). One statement at any number of accounts: the
 * accounts' hub stacks add secrets, never a key policy entry.
 */
export function organizationRolesDecryptSecretsUnder(sid: string, organizationId: string, roleArnPattern: string, secretArnPattern: string, region: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: {
      StringEquals: { "aws:PrincipalOrgID": organizationId, "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
      ArnLike: { "aws:PrincipalArn": roleArnPattern, "kms:EncryptionContext:SecretARN": secretArnPattern },
    },
  };
}
