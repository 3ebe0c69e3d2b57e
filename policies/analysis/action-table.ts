/**
 * Reviewed table of the actions this domain uses, from the AWS Service Authorization
 * Reference: which accept a resource ARN (and so must never be granted on `Resource: "*"`)
 * and which only accept `*` (so `*` is the only way to grant them).
 *
 * An action not listed here is "unreviewed": on `*` it is refused until someone checks the
 * reference and adds it (or lists it in the policy's `starOnlyActions` option).
 */
import { globRegex } from "./statements";

interface ServiceActions {
  /** Actions with at least one resource type in the reference. */
  resourceLevel: string[];
  /** Actions whose resource column is empty: IAM only accepts `*`. */
  starOnly: string[];
  /** Patterns every matching action of which is star-only (e.g. all EC2 Describe calls). */
  starOnlyPatterns?: string[];
}

const TABLE: Record<string, ServiceActions> = {
  aps: {
    resourceLevel: [
      "RemoteWrite", "QueryMetrics", "GetSeries", "GetLabels", "GetMetricMetadata",
      "CreateWorkspace", "DescribeWorkspace", "DeleteWorkspace", "UpdateWorkspaceAlias", "UpdateWorkspaceConfiguration", "DescribeWorkspaceConfiguration",
      "CreateRuleGroupsNamespace", "DescribeRuleGroupsNamespace", "PutRuleGroupsNamespace", "DeleteRuleGroupsNamespace", "ListRuleGroupsNamespaces",
      "CreateAlertManagerDefinition", "DescribeAlertManagerDefinition", "PutAlertManagerDefinition", "DeleteAlertManagerDefinition",
      "GetAlertManagerStatus", "GetAlertManagerSilence", "ListAlertManagerSilences", "ListAlertManagerAlerts", "ListAlertManagerReceivers", "ListAlerts", "ListRules",
      "CreateAlertManagerAlerts", "PutAlertManagerSilences", "DeleteAlertManagerSilence",
      "CreateLoggingConfiguration", "DescribeLoggingConfiguration", "UpdateLoggingConfiguration", "DeleteLoggingConfiguration",
      "CreateScraper", "DescribeScraper", "DeleteScraper", "UpdateScraper",
      "TagResource", "UntagResource", "ListTagsForResource",
    ],
    starOnly: ["ListWorkspaces", "ListScrapers", "GetDefaultScraperConfiguration"],
  },
  sns: {
    resourceLevel: [
      "Publish", "Subscribe", "ConfirmSubscription", "GetTopicAttributes", "SetTopicAttributes", "CreateTopic", "DeleteTopic",
      "AddPermission", "RemovePermission", "ListSubscriptionsByTopic", "TagResource", "UntagResource", "ListTagsForResource",
      "GetDataProtectionPolicy", "PutDataProtectionPolicy",
    ],
    starOnly: [
      "ListTopics", "ListSubscriptions", "ListPlatformApplications", "ListPhoneNumbersOptedOut", "CheckIfPhoneNumberIsOptedOut",
      "GetSMSAttributes", "SetSMSAttributes", "GetSMSSandboxAccountStatus", "ListOriginationNumbers",
    ],
  },
  sqs: {
    resourceLevel: [
      "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl", "SetQueueAttributes",
      "CreateQueue", "DeleteQueue", "PurgeQueue", "ListQueueTags", "TagQueue", "UntagQueue", "ListDeadLetterSourceQueues",
      "AddPermission", "RemovePermission", "StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask",
    ],
    starOnly: ["ListQueues"],
  },
  kms: {
    resourceLevel: [
      "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
      "GenerateDataKeyPairWithoutPlaintext", "DescribeKey", "GetKeyPolicy", "PutKeyPolicy", "ListKeyPolicies", "CreateGrant", "ListGrants",
      "RevokeGrant", "RetireGrant", "ScheduleKeyDeletion", "CancelKeyDeletion", "EnableKey", "DisableKey", "EnableKeyRotation",
      "DisableKeyRotation", "GetKeyRotationStatus", "TagResource", "UntagResource", "ListResourceTags", "CreateAlias", "DeleteAlias",
      "UpdateAlias", "GetPublicKey", "Sign", "Verify", "GenerateMac", "VerifyMac",
    ],
    starOnly: ["CreateKey", "ListKeys", "ListAliases", "GenerateRandom", "ListRetirableGrants", "DescribeCustomKeyStores", "CreateCustomKeyStore"],
  },
  sts: {
    resourceLevel: ["AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "TagSession", "SetSourceIdentity", "SetContext"],
    starOnly: ["GetCallerIdentity", "GetSessionToken", "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetServiceBearerToken"],
  },
  logs: {
    resourceLevel: [
      "CreateLogGroup", "DeleteLogGroup", "CreateLogStream", "DeleteLogStream", "PutLogEvents", "GetLogEvents", "FilterLogEvents",
      "DescribeLogStreams", "GetLogGroupFields", "StartQuery", "PutRetentionPolicy", "DeleteRetentionPolicy", "PutMetricFilter",
      "DeleteMetricFilter", "DescribeMetricFilters", "PutSubscriptionFilter", "DeleteSubscriptionFilter", "DescribeSubscriptionFilters",
      "AssociateKmsKey", "DisassociateKmsKey", "TagResource", "UntagResource", "ListTagsForResource", "TagLogGroup", "UntagLogGroup",
      "ListTagsLogGroup", "CreateExportTask", "PutDestination", "PutDestinationPolicy", "DeleteDestination", "StartLiveTail",
    ],
    starOnly: [
      "DescribeLogGroups", "GetQueryResults", "StopQuery", "DescribeQueries", "DescribeQueryDefinitions", "PutQueryDefinition",
      "DeleteQueryDefinition", "DescribeDestinations", "DescribeExportTasks", "DescribeResourcePolicies", "TestMetricFilter",
      "GetLogRecord", "StopLiveTail",
    ],
  },
  secretsmanager: {
    resourceLevel: [
      "GetSecretValue", "DescribeSecret", "PutSecretValue", "CreateSecret", "DeleteSecret", "UpdateSecret", "RotateSecret",
      "CancelRotateSecret", "RestoreSecret", "TagResource", "UntagResource", "GetResourcePolicy", "PutResourcePolicy",
      "DeleteResourcePolicy", "ValidateResourcePolicy", "UpdateSecretVersionStage", "ListSecretVersionIds",
      "ReplicateSecretToRegions", "RemoveRegionsFromReplication", "StopReplicationToReplica",
    ],
    starOnly: ["GetRandomPassword", "ListSecrets", "BatchGetSecretValue"],
  },
  lambda: {
    resourceLevel: [
      "InvokeFunction", "InvokeFunctionUrl", "InvokeAsync", "GetFunction", "GetFunctionConfiguration", "CreateFunction", "DeleteFunction",
      "UpdateFunctionCode", "UpdateFunctionConfiguration", "AddPermission", "RemovePermission", "GetPolicy", "PublishVersion",
      "CreateAlias", "UpdateAlias", "DeleteAlias", "GetAlias", "ListAliases", "ListVersionsByFunction", "PutFunctionConcurrency",
      "DeleteFunctionConcurrency", "GetFunctionConcurrency", "TagResource", "UntagResource", "ListTags",
      "PutFunctionEventInvokeConfig", "GetFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig",
      "CreateFunctionUrlConfig", "GetFunctionUrlConfig", "UpdateFunctionUrlConfig", "DeleteFunctionUrlConfig",
      "GetEventSourceMapping", "UpdateEventSourceMapping", "DeleteEventSourceMapping",
      "GetLayerVersion", "PublishLayerVersion", "DeleteLayerVersion", "AddLayerVersionPermission", "RemoveLayerVersionPermission",
      "GetLayerVersionPolicy", "PutProvisionedConcurrencyConfig", "GetProvisionedConcurrencyConfig", "DeleteProvisionedConcurrencyConfig",
      "ListProvisionedConcurrencyConfigs", "GetRuntimeManagementConfig", "PutRuntimeManagementConfig",
    ],
    starOnly: ["ListFunctions", "ListLayers", "ListLayerVersions", "GetAccountSettings", "ListEventSourceMappings", "CreateEventSourceMapping", "ListCodeSigningConfigs"],
  },
  events: {
    resourceLevel: [
      "PutEvents", "PutRule", "DeleteRule", "DescribeRule", "EnableRule", "DisableRule", "PutTargets", "RemoveTargets",
      "ListTargetsByRule", "CreateEventBus", "DeleteEventBus", "DescribeEventBus", "UpdateEventBus", "TagResource", "UntagResource",
      "ListTagsForResource", "CreateArchive", "DeleteArchive", "DescribeArchive", "UpdateArchive", "StartReplay", "DescribeReplay",
      "CancelReplay", "CreateApiDestination", "DescribeApiDestination", "UpdateApiDestination", "DeleteApiDestination",
      "InvokeApiDestination", "CreateConnection", "DescribeConnection", "UpdateConnection", "DeleteConnection",
    ],
    starOnly: ["TestEventPattern", "ListEventBuses", "ListArchives", "ListReplays", "ListApiDestinations", "ListConnections", "ListEventSources", "PutPartnerEvents"],
  },
  iam: {
    resourceLevel: [
      "PassRole", "GetRole", "CreateRole", "DeleteRole", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy",
      "PutRolePolicy", "DeleteRolePolicy", "GetRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "ListRolePolicies",
      "ListAttachedRolePolicies", "TagRole", "UntagRole", "ListRoleTags", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
      "CreatePolicy", "DeletePolicy", "GetPolicy", "GetPolicyVersion", "CreatePolicyVersion", "DeletePolicyVersion", "ListPolicyVersions",
      "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy", "CreateServiceLinkedRole", "DeleteServiceLinkedRole",
      "GetOpenIDConnectProvider", "CreateOpenIDConnectProvider", "DeleteOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
      "AddClientIDToOpenIDConnectProvider", "TagOpenIDConnectProvider", "CreateInstanceProfile", "DeleteInstanceProfile",
      "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "GetInstanceProfile", "ListInstanceProfilesForRole",
      "GetUser", "CreateUser", "DeleteUser", "CreateAccessKey", "DeleteAccessKey", "ListAccessKeys", "UpdateAccessKey",
      "PutUserPolicy", "AttachUserPolicy", "CreateLoginProfile", "ListEntitiesForPolicy",
    ],
    starOnly: [
      "ListRoles", "ListPolicies", "GetAccountSummary", "ListAccountAliases", "GetAccountAuthorizationDetails", "ListOpenIDConnectProviders",
      "GetAccountPasswordPolicy", "ListUsers", "ListGroups", "GenerateCredentialReport", "GetCredentialReport", "ListInstanceProfiles",
    ],
  },
  cloudwatch: {
    resourceLevel: [
      "DescribeAlarms", "DescribeAlarmHistory", "PutMetricAlarm", "PutCompositeAlarm", "DeleteAlarms", "EnableAlarmActions",
      "DisableAlarmActions", "SetAlarmState", "GetDashboard", "PutDashboard", "DeleteDashboards", "TagResource", "UntagResource",
      "ListTagsForResource", "PutMetricStream", "GetMetricStream", "DeleteMetricStream", "StartMetricStreams", "StopMetricStreams",
      "PutInsightRule", "DeleteInsightRules", "GetInsightRuleReport",
    ],
    starOnly: [
      "GetMetricData", "GetMetricStatistics", "ListMetrics", "DescribeAlarmsForMetric", "PutMetricData", "GetMetricWidgetImage",
      "ListDashboards", "DescribeAnomalyDetectors", "ListMetricStreams", "DescribeInsightRules", "PutAnomalyDetector", "DeleteAnomalyDetector",
    ],
  },
  ec2: {
    resourceLevel: [],
    starOnly: ["DescribeInstances", "DescribeRegions", "DescribeTags", "DescribeAvailabilityZones", "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeNetworkInterfaces", "DescribeVpcEndpoints"],
    starOnlyPatterns: ["ec2:Describe*"],
  },
  oam: {
    resourceLevel: ["ListAttachedLinks", "GetSink", "GetLink", "CreateSink", "CreateLink", "PutSinkPolicy", "GetSinkPolicy", "DeleteSink", "DeleteLink", "UpdateLink", "TagResource", "UntagResource", "ListTagsForResource"],
    starOnly: ["ListSinks", "ListLinks"],
  },
  tag: {
    resourceLevel: [],
    starOnly: ["GetResources", "GetTagKeys", "GetTagValues", "GetComplianceSummary", "DescribeReportCreation"],
  },
  eks: {
    resourceLevel: ["DescribeCluster", "ListNodegroups", "DescribeNodegroup", "ListAddons", "DescribeAddon", "AccessKubernetesApi", "ListFargateProfiles", "DescribeFargateProfile"],
    starOnly: ["ListClusters", "DescribeAddonVersions"],
  },
};

export type ResourceSupport = "resource-level" | "star-only" | "unreviewed";

export interface ActionClassification {
  support: ResourceSupport;
  /** For a pattern: the reviewed actions it covers that accept a resource ARN. */
  resourceLevelMatches: string[];
}

function canonical(service: string, action: string): string {
  return `${service}:${action}`;
}

/**
 * Classifies an action or action pattern. A pattern is star-only only when a reviewed
 * star-only pattern covers it; otherwise it is resource-level when it covers any
 * resource-level action, and unreviewed when it covers none (it may match actions the
 * table has not seen).
 */
export function classifyAction(action: string, extraStarOnly: string[] = []): ActionClassification {
  const colon = action.indexOf(":");
  const service = colon < 0 ? "" : action.slice(0, colon).toLowerCase();
  const name = colon < 0 ? action : action.slice(colon + 1);
  const entry = TABLE[service];
  const extra = extraStarOnly.map((e) => e.toLowerCase());
  if (extra.includes(action.toLowerCase())) return { support: "star-only", resourceLevelMatches: [] };
  const wildcard = /[*?]/.test(name);
  if (!entry) return { support: "unreviewed", resourceLevelMatches: [] };
  if (!wildcard) {
    const lower = name.toLowerCase();
    if (entry.resourceLevel.some((a) => a.toLowerCase() === lower)) return { support: "resource-level", resourceLevelMatches: [canonical(service, name)] };
    if (entry.starOnly.some((a) => a.toLowerCase() === lower)) return { support: "star-only", resourceLevelMatches: [] };
    if ((entry.starOnlyPatterns ?? []).some((p) => globRegex(p).test(action))) return { support: "star-only", resourceLevelMatches: [] };
    return { support: "unreviewed", resourceLevelMatches: [] };
  }
  const regex = globRegex(name);
  const matches = entry.resourceLevel.filter((a) => regex.test(a)).map((a) => canonical(service, a));
  if (matches.length > 0) return { support: "resource-level", resourceLevelMatches: matches };
  if ((entry.starOnlyPatterns ?? []).some((p) => p.toLowerCase() === action.toLowerCase())) return { support: "star-only", resourceLevelMatches: [] };
  return { support: "unreviewed", resourceLevelMatches: [] };
}

/** Services the table covers (for documentation and tests). */
export const REVIEWED_SERVICES: readonly string[] = Object.keys(TABLE);
