/**
 * Good and bad IAM documents and resources for the policy pack. Every bad case names the
 * policy that must flag it and the statement the message must name; every good case must
 * pass every policy. Shared by the rule tests, the pack-function tests, the analyzer
 * protocol test and the CLI test.
 */
import { policyDocument, policyJson, PolicyStatement } from "../../components/iam/policy-document";
import {
  allowAssumeRoleNamedInOrganization, allowAssumeRoles, allowCloudWatchReadForGrafana, allowQueryTaggedWorkspaces, allowQueryWorkspaces,
  allowRemoteWrite, trustExactRole, trustRoleOfAccount, trustServiceAccount, trustServiceForAccount, workspacesOfAccount,
} from "../../components/iam/statements";
import { iamRoleArn, snsTopicArn, eventBusArn } from "../../components/shared/arns";
import { collectorRoleName, grafanaRoleName, ingestRoleName } from "../../components/shared/naming";
import { ResourceRecord } from "../../policies/analysis/model";
import { PackConfig } from "../../policies/config";
import { loadProjectPolicyConfig } from "../../policies/project-config";

export const HUB = "111111111111";
export const WORKLOAD = "222222222222";
export const OTHER = "333333333333";
export const REGION = "eu-west-1";

export const WORKSPACE_PAYMENTS = `arn:aws:aps:${REGION}:${HUB}:workspace/ws-11111111-aaaa-bbbb-cccc-000000000001`;
export const WORKSPACE_ORDERS = `arn:aws:aps:${REGION}:${HUB}:workspace/ws-22222222-aaaa-bbbb-cccc-000000000002`;
export const ALERT_TOPIC = snsTopicArn(REGION, HUB, "amp-alerts");
const OIDC_ISSUER = `oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
const OIDC_PROVIDER = `arn:aws:iam::${WORKLOAD}:oidc-provider/${OIDC_ISSUER}`;
const OTHER_OIDC_ISSUER = `oidc.eks.${REGION}.amazonaws.com/id/0THERD539D4633E53DE1B71EXAMPLE`;
const GITHUB_ISSUER = "token.actions.githubusercontent.com";

export type PolicyName =
  | "no-wildcard-actions"
  | "no-wildcard-resource"
  | "no-not-action-not-resource"
  | "restricted-principals"
  | "service-principal-source-pinned"
  | "no-broad-managed-policies"
  | "pass-role-scoped"
  | "scoped-wildcards"
  | "known-actions"
  | "known-condition-keys"
  | "resource-arns-fit-actions"
  | "deprecated-actions";

export interface BadCase {
  title: string;
  record: ResourceRecord;
  policy: PolicyName;
  /** Text the message must contain: the statement label (Sid or index) or the property. */
  names: string;
  /** The level the finding must have: mandatory unless the policy is advisory (deprecated-actions). */
  level?: "advisory";
}

export interface GoodCase {
  title: string;
  record: ResourceRecord;
  /**
   * Config the case is judged with, when it needs one of the project's reviewed exceptions
   * (policies/policy-config.json); otherwise every policy's defaults.
   */
  config?: PackConfig;
}

/** Every case is deployed into the hub account (the provider's allowedAccountIds). */
export const CASE_ACCOUNT = HUB;

export function resource(type: string, name: string, inputs: Record<string, unknown>): ResourceRecord {
  return { urn: `urn:pulumi:test::policy-cases::${type}::${name}`, type, name, custom: true, parent: null, provider: null, inputs };
}

const doc = (...statements: PolicyStatement[]): string => policyJson(policyDocument(...statements));
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE = "aws:iam/role:Role";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const TOPIC = "aws:sns/topic:Topic";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const QUEUE = "aws:sqs/queue:Queue";
const KEY = "aws:kms/key:Key";
const BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy";
const PERMISSION = "aws:lambda/permission:Permission";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";

const lambdaTrust = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
const role = (name: string, assumeRolePolicy: unknown, extra: Record<string, unknown> = {}) => resource(ROLE, name, { name, assumeRolePolicy, ...extra });
const trust = (statement: PolicyStatement) => role("trust-case", doc(statement));
const identity = (name: string, ...statements: PolicyStatement[]) => resource(POLICY, name, { policy: doc(...statements) });
const queueArn = `arn:aws:sqs:${REGION}:${HUB}:alerts-dlq`;

const ANY_ACCOUNT_READ_ROLE = "arn:aws:iam::*:role/grafana-cloudwatch-read-dev";
const HUB_WORKSPACES = workspacesOfAccount(REGION, HUB);

export const BAD_CASES: BadCase[] = [
  // scoped-wildcards: the conditions that make account and workspace wildcards least-privilege.
  { title: "AssumeRole on a role name in every account, unscoped", policy: "scoped-wildcards", names: `statement "AnyAccount"`,
    record: identity("any-account", { Sid: "AnyAccount", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE }) },
  { title: "AssumeRole in every account, 'scoped' by a negated organisation condition", policy: "scoped-wildcards", names: `statement "NotOtherOrg"`,
    record: identity("negated-org", { Sid: "NotOtherOrg", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE, Condition: { StringNotEquals: { "aws:ResourceOrgID": "o-other0000" } } }) },
  { title: "AssumeRole in every account, 'scoped' by an IfExists condition", policy: "scoped-wildcards", names: `statement "IfExistsOrg"`,
    record: identity("ifexists-org", { Sid: "IfExistsOrg", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE, Condition: { StringEqualsIfExists: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } } }) },
  { title: "AssumeRole in every account, 'scoped' by a ForAllValues condition (true when the key is absent)", policy: "scoped-wildcards", names: `statement "ForAllOrg"`,
    record: identity("forall-org", { Sid: "ForAllOrg", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE, Condition: { "ForAllValues:StringEquals": { "aws:ResourceOrgID": "o-a1b2c3d4e5" } } }) },
  { title: "AssumeRole in every account, 'scoped' by a principal condition", policy: "scoped-wildcards", names: `statement "CallerPinned"`,
    record: identity("caller-org", { Sid: "CallerPinned", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }) },
  { title: "queries on every workspace of the hub, untagged", policy: "scoped-wildcards", names: `statement "AllWorkspaces"`,
    record: identity("all-workspaces", { Sid: "AllWorkspaces", Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries"], Resource: HUB_WORKSPACES }) },
  { title: "remote write on every workspace with an IfExists tag condition", policy: "scoped-wildcards", names: `statement "WriteIfTagged"`,
    record: identity("write-if-tagged", { Sid: "WriteIfTagged", Effect: "Allow", Action: "aps:RemoteWrite", Resource: HUB_WORKSPACES, Condition: { StringEqualsIfExists: { "aws:ResourceTag/observability:environment": "dev" } } }) },
  // no-wildcard-actions
  { title: "Action * on Resource *", policy: "no-wildcard-actions", names: `statement "Everything"`,
    record: identity("admin-like", { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }) },
  { title: "aps:* on a workspace", policy: "no-wildcard-actions", names: `statement "AllAmp"`,
    record: resource(ROLE_POLICY, "ingest-aps-star", { role: "amp-ingest-dev-payments", policy: doc({ Sid: "AllAmp", Effect: "Allow", Action: "aps:*", Resource: WORKSPACE_PAYMENTS }) }) },
  { title: "iam:* in a role's inline policy", policy: "no-wildcard-actions", names: `inlinePolicies[0].policy, statement "ManageIam"`,
    record: role("iam-star", lambdaTrust, { inlinePolicies: [{ name: "iam", policy: doc({ Sid: "ManageIam", Effect: "Allow", Action: "iam:*", Resource: iamRoleArn(HUB, "x") }) }] }) },
  { title: "sqs:* hidden in an action list, no Sid", policy: "no-wildcard-actions", names: "Statement[1] (no Sid)",
    record: identity("mixed-actions", { Sid: "Publish", Effect: "Allow", Action: "sns:Publish", Resource: ALERT_TOPIC }, { Effect: "Allow", Action: ["sqs:SendMessage", "sqs:*"], Resource: queueArn }) },
  { title: "queue policy granting sqs:* to a role", policy: "no-wildcard-actions", names: `statement "NotifierAll"`,
    record: resource(QUEUE_POLICY, "dlq-star", { queueUrl: "https://sqs/dlq", policy: doc({ Sid: "NotifierAll", Effect: "Allow", Principal: { AWS: iamRoleArn(HUB, "notifier") }, Action: "sqs:*", Resource: queueArn }) }) },
  { title: "service wildcard *:Get*", policy: "no-wildcard-actions", names: `statement "ReadAnything"`,
    record: identity("any-get", { Sid: "ReadAnything", Effect: "Allow", Action: "*:Get*", Resource: WORKSPACE_PAYMENTS }) },
  { title: "trust policy granting sts:*", policy: "no-wildcard-actions", names: `assumeRolePolicy, statement "StsAll"`,
    record: trust({ Sid: "StsAll", Effect: "Allow", Principal: { AWS: iamRoleArn(WORKLOAD, "collector") }, Action: "sts:*" }) },
  { title: "key policy granting kms:* to another account's root", policy: "no-wildcard-actions", names: `statement "OtherAccountAdministers"`,
    record: resource(KEY, "key-other-root", { description: "alerts", policy: doc(
      { Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: "kms:*", Resource: "*" },
      { Sid: "OtherAccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "kms:*", Resource: "*" }) }) },
  { title: "Lambda permission for lambda:*", policy: "no-wildcard-actions", names: `statement "AllowSnsAll"`,
    record: resource(PERMISSION, "perm-lambda-star", { function: "notifier", action: "lambda:*", principal: "sns.amazonaws.com", sourceArn: ALERT_TOPIC, statementId: "AllowSnsAll" }) },

  // no-wildcard-resource
  { title: "sns:Publish on *", policy: "no-wildcard-resource", names: `statement "PublishAnywhere"`,
    record: identity("publish-star", { Sid: "PublishAnywhere", Effect: "Allow", Action: "sns:Publish", Resource: "*" }) },
  { title: "aps:RemoteWrite on *", policy: "no-wildcard-resource", names: `statement "WriteAnyWorkspace"`,
    record: resource(ROLE_POLICY, "remote-write-star", { role: "amp-ingest-dev-orders", policy: doc({ Sid: "WriteAnyWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*" }) }) },
  { title: "secretsmanager:GetSecretValue on *", policy: "no-wildcard-resource", names: `inlinePolicies[0].policy, statement "AllSecrets"`,
    record: role("secrets-star", lambdaTrust, { inlinePolicies: [{ name: "secrets", policy: doc({ Sid: "AllSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }] }) },
  { title: "logs:Describe* (covers DescribeLogStreams) on *", policy: "no-wildcard-resource", names: `statement "DescribeLogs"`,
    record: identity("logs-describe-star", { Sid: "DescribeLogs", Effect: "Allow", Action: "logs:Describe*", Resource: "*" }) },
  { title: "unreviewed s3:GetObject on *", policy: "no-wildcard-resource", names: `statement "ReadObjects"`,
    record: identity("s3-star", { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) },
  { title: "sqs:SendMessage on arn:aws:sqs:*:*:*", policy: "no-wildcard-resource", names: `statement "AnyQueue"`,
    record: identity("sqs-any-arn", { Sid: "AnyQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:*:*:*" }) },
  { title: "kms:Decrypt on *", policy: "no-wildcard-resource", names: `statement "DecryptAnything"`,
    record: identity("kms-star", { Sid: "DecryptAnything", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" }) },
  { title: "sts:AssumeRole on *", policy: "no-wildcard-resource", names: `statement "AssumeAnything"`,
    record: identity("assume-star", { Sid: "AssumeAnything", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }) },
  { title: "events:PutEvents on *", policy: "no-wildcard-resource", names: "Statement[0] (no Sid)",
    record: identity("events-star", { Effect: "Allow", Action: "events:PutEvents", Resource: "*" }) },
  { title: "lambda:InvokeFunction on * next to star-only actions", policy: "no-wildcard-resource", names: `statement "InvokeAll"`,
    record: identity("lambda-star", { Sid: "InvokeAll", Effect: "Allow", Action: ["lambda:ListFunctions", "lambda:InvokeFunction"], Resource: "*" }) },

  // no-not-action-not-resource
  { title: "Allow NotAction", policy: "no-not-action-not-resource", names: `statement "AllButIam"`,
    record: identity("not-action", { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
  { title: "Allow NotResource", policy: "no-not-action-not-resource", names: `statement "AllButOneTopic"`,
    record: identity("not-resource", { Sid: "AllButOneTopic", Effect: "Allow", Action: "sns:Publish", NotResource: ALERT_TOPIC }) },
  { title: "topic policy Allow NotPrincipal", policy: "no-not-action-not-resource", names: `statement "EveryoneElse"`,
    record: resource(TOPIC_POLICY, "not-principal", { arn: ALERT_TOPIC, policy: doc({ Sid: "EveryoneElse", Effect: "Allow", NotPrincipal: { AWS: iamRoleArn(HUB, "x") }, Action: "sns:Publish", Resource: ALERT_TOPIC }) }) },

  // restricted-principals: trust
  { title: "trust Principal * without condition", policy: "restricted-principals", names: `assumeRolePolicy, statement "AnyoneAssumes"`,
    record: trust({ Sid: "AnyoneAssumes", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) },
  { title: "trust AWS * with only a negated condition", policy: "restricted-principals", names: `statement "NotOtherAccount"`,
    record: trust({ Sid: "NotOtherAccount", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringNotEquals: { "aws:PrincipalAccount": OTHER } } }) },
  { title: "trust AWS * pinned only with IfExists", policy: "restricted-principals", names: `statement "OrgIfExists"`,
    record: trust({ Sid: "OrgIfExists", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123" } } }) },
  { title: "trust cross-account root without pinning", policy: "restricted-principals", names: `statement "TrustOtherAccount"`,
    record: trust({ Sid: "TrustOtherAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" }) },
  { title: "trust cross-account bare account id", policy: "restricted-principals", names: "Statement[0] (no Sid)",
    record: trust({ Effect: "Allow", Principal: { AWS: OTHER }, Action: "sts:AssumeRole" }) },
  { title: "trust cross-account root pinned by a wildcard PrincipalArn", policy: "restricted-principals", names: `statement "AnyRoleOfAccount"`,
    record: trust({ Sid: "AnyRoleOfAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OTHER}:role/*` } } }) },
  { title: "trust wildcard role ARN principal", policy: "restricted-principals", names: `statement "AmpRoles"`,
    record: trust({ Sid: "AmpRoles", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:role/amp-*` }, Action: "sts:AssumeRole" }) },
  { title: "IRSA sub with wildcard namespace", policy: "restricted-principals", names: `statement "AnyNamespace"`,
    record: trust({ Sid: "AnyNamespace", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringLike: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:*:prometheus" }, StringEquals: { [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } }) },
  { title: "IRSA without aud", policy: "restricted-principals", names: `statement "NoAudience"`,
    record: trust({ Sid: "NoAudience", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:prometheus" } } }) },
  { title: "IRSA without any condition", policy: "restricted-principals", names: `statement "AnyPod"`,
    record: trust({ Sid: "AnyPod", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" }) },
  { title: "IRSA sub with wildcard service account", policy: "restricted-principals", names: `statement "AnyServiceAccount"`,
    record: trust({ Sid: "AnyServiceAccount", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringLike: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:*", [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } }) },
  { title: "IRSA pinning :aud but not :sub", policy: "restricted-principals", names: `statement "AudienceOnly"`,
    record: role("irsa-aud-only", doc({ Sid: "AudienceOnly", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } })) },
  { title: "IRSA :sub keyed on another cluster's issuer than the Federated principal's", policy: "restricted-principals", names: `statement "SubOfOtherIssuer"`,
    record: role("irsa-other-issuer-sub", doc({ Sid: "SubOfOtherIssuer", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OTHER_OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:prometheus", [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } })) },
  { title: "IRSA sub naming a namespace but no service account", policy: "restricted-principals", names: `statement "NamespaceOnly"`,
    record: role("irsa-namespace-only", doc({ Sid: "NamespaceOnly", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring", [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } })) },
  { title: "trust Principal * pinned only by aws:SourceAccount (a resource-policy key)", policy: "restricted-principals", names: `statement "AnyoneOnBehalfOfHub"`,
    record: role("open-trust-source-account", doc({ Sid: "AnyoneOnBehalfOfHub", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": HUB } } })) },
  // restricted-principals: resource policies
  { title: "public queue policy", policy: "restricted-principals", names: `statement "PublicSend"`,
    record: resource(QUEUE_POLICY, "public-queue", { queueUrl: "https://sqs/dlq", policy: doc({ Sid: "PublicSend", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: queueArn }) }) },
  { title: "Lambda permission for principal * without conditions", policy: "restricted-principals", names: `statement "AnyoneInvokes"`,
    record: resource(PERMISSION, "perm-public", { function: "notifier", action: "lambda:InvokeFunction", principal: "*", statementId: "AnyoneInvokes" }) },
  { title: "topic with AWS * restricted only by SecureTransport", policy: "restricted-principals", names: `statement "TlsOnly"`,
    record: resource(TOPIC, "tls-only-topic", { name: "tls-only", policy: { Version: "2012-10-17", Statement: [{ Sid: "TlsOnly", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { Bool: { "aws:SecureTransport": "true" } } }] } }) },

  // service-principal-source-pinned
  { title: "topic policy for aps.amazonaws.com without source", policy: "service-principal-source-pinned", names: `statement "AllowAmpPublish"`,
    record: resource(TOPIC_POLICY, "aps-unpinned", { arn: ALERT_TOPIC, policy: doc({ Sid: "AllowAmpPublish", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: ["sns:Publish", "sns:GetTopicAttributes"], Resource: ALERT_TOPIC }) }) },
  { title: "queue policy for sns.amazonaws.com without source", policy: "service-principal-source-pinned", names: "Statement[0] (no Sid)",
    record: resource(QUEUE_POLICY, "sns-to-sqs-unpinned", { queueUrl: "https://sqs/dlq", policy: doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn }) }) },
  { title: "key policy for aps.amazonaws.com without source", policy: "service-principal-source-pinned", names: `statement "AmpUsesKey"`,
    record: resource(KEY, "aps-key-unpinned", { description: "alerts", policy: doc(
      { Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: "kms:*", Resource: "*" },
      { Sid: "AmpUsesKey", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" }) }) },
  { title: "bus policy admitting a service without source", policy: "service-principal-source-pinned", names: `statement "ServicePuts"`,
    record: resource(BUS_POLICY, "bus-service-unpinned", { eventBusName: "alerts", policy: doc({ Sid: "ServicePuts", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "events:PutEvents", Resource: eventBusArn(REGION, HUB, "alerts") }) }) },
  { title: "Lambda permission for SNS without sourceArn", policy: "service-principal-source-pinned", names: `statement "AllowSnsInvoke"`,
    record: resource(PERMISSION, "perm-sns-unpinned", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", statementId: "AllowSnsInvoke" }) },
  { title: "topic policy pinning the source with a negated operator", policy: "service-principal-source-pinned", names: `statement "NegatedSource"`,
    record: resource(TOPIC_POLICY, "aps-negated", { arn: ALERT_TOPIC, policy: doc({ Sid: "NegatedSource", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { ArnNotEquals: { "aws:SourceArn": WORKSPACE_PAYMENTS } } }) }) },
  { title: "topic policy with a SourceArn of only *", policy: "service-principal-source-pinned", names: `statement "AnySource"`,
    record: resource(TOPIC_POLICY, "aps-star-source", { arn: ALERT_TOPIC, policy: doc({ Sid: "AnySource", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { ArnLike: { "aws:SourceArn": "*" } } }) }) },

  { title: "the user guide's Logs key statement verbatim: kms:Describe* never carries the encryption context", policy: "known-condition-keys", names: "kms:Describe*",
    record: resource(KEY, "logs-key-describe", { description: "logs", policy: doc(
      { Sid: "LogsUseKey", Effect: "Allow", Principal: { Service: `logs.${REGION}.amazonaws.com` }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${HUB}:log-group:tasks` } } }) }) },
  { title: "key policy for CloudWatch Logs without an encryption-context pin", policy: "service-principal-source-pinned", names: `statement "LogsUseKey"`,
    record: resource(KEY, "logs-key-unpinned", { description: "logs", policy: doc(
      { Sid: "LogsUseKey", Effect: "Allow", Principal: { Service: `logs.${REGION}.amazonaws.com` }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], Resource: "*" }) }) },
  { title: "key policy for CloudWatch Logs pinned to the log groups of any account", policy: "service-principal-source-pinned", names: `statement "LogsAnyAccount"`,
    record: resource(KEY, "logs-key-any-account", { description: "logs", policy: doc(
      { Sid: "LogsAnyAccount", Effect: "Allow", Principal: { Service: `logs.${REGION}.amazonaws.com` }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:*:log-group:*" } } }) }) },
  { title: "key policy whose log-group pin is negated", policy: "service-principal-source-pinned", names: `statement "LogsNegated"`,
    record: resource(KEY, "logs-key-negated", { description: "logs", policy: doc(
      { Sid: "LogsNegated", Effect: "Allow", Principal: { Service: `logs.${REGION}.amazonaws.com` }, Action: ["kms:Decrypt*"], Resource: "*",
        Condition: { ArnNotEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${HUB}:log-group:other` } } }) }) },
  { title: "a log-group pin does not pin another service in the same statement", policy: "service-principal-source-pinned", names: "sns.amazonaws.com",
    record: resource(KEY, "logs-pin-sns", { description: "logs", policy: doc(
      { Sid: "LogsAndSns", Effect: "Allow", Principal: { Service: [`logs.${REGION}.amazonaws.com`, "sns.amazonaws.com"] }, Action: ["kms:Decrypt"], Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${HUB}:log-group:tasks` } } }) }) },
  // no-broad-managed-policies
  { title: "AdministratorAccess attachment", policy: "no-broad-managed-policies", names: "policyArn",
    record: resource(ROLE_ATTACHMENT, "admin-attach", { role: "deploy", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }) },
  { title: "PowerUserAccess in managedPolicyArns", policy: "no-broad-managed-policies", names: "managedPolicyArns[1]",
    record: role("power-user", lambdaTrust, { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "arn:aws:iam::aws:policy/PowerUserAccess"] }) },
  { title: "IAMFullAccess through PolicyAttachment", policy: "no-broad-managed-policies", names: "policyArn",
    record: resource(POLICY_ATTACHMENT, "iam-full", { roles: ["ops"], policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }) },
  { title: "AmazonPrometheusRemoteWriteAccess on a hub ingest role", policy: "no-broad-managed-policies", names: "policyArn",
    record: resource(ROLE_ATTACHMENT, "ingest-managed", { role: ingestRoleName("dev", "payments"), policyArn: "arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess" }) },
  { title: "a *FullAccess policy", policy: "no-broad-managed-policies", names: "policyArn",
    record: resource(ROLE_ATTACHMENT, "sns-full", { role: "notifier", policyArn: "arn:aws:iam::aws:policy/AmazonSNSFullAccess" }) },
  { title: "AdministratorAccess in GovCloud", policy: "no-broad-managed-policies", names: "managedPolicyArns[0]",
    record: role("gov-admin", lambdaTrust, { managedPolicyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"] }) },

  // pass-role-scoped
  { title: "iam:PassRole on *", policy: "pass-role-scoped", names: `statement "PassAnyRole"`,
    record: identity("pass-star", { Sid: "PassAnyRole", Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }) },
  { title: "iam:PassRole on a role wildcard", policy: "pass-role-scoped", names: `statement "PassAmpRoles"`,
    record: identity("pass-wildcard", { Sid: "PassAmpRoles", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${HUB}:role/amp-*`, Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }) },
  { title: "iam:PassRole without iam:PassedToService", policy: "pass-role-scoped", names: `statement "PassNotifierRole"`,
    record: identity("pass-any-service", { Sid: "PassNotifierRole", Effect: "Allow", Action: "iam:PassRole", Resource: iamRoleArn(HUB, "notifier") }) },
  { title: "iam:Pass* pattern without iam:PassedToService", policy: "pass-role-scoped", names: `statement "PassPattern"`,
    record: identity("pass-pattern", { Sid: "PassPattern", Effect: "Allow", Action: ["iam:GetRole", "iam:Pass*"], Resource: iamRoleArn(HUB, "notifier") }) },

  // known-actions: every action exists in the Service Authorization Reference (iam-data).
  { title: "misspelt sts:AssumeRol in a trust policy", policy: "known-actions", names: `assumeRolePolicy, statement "TrustTypo"`,
    record: trust({ Sid: "TrustTypo", Effect: "Allow", Principal: { AWS: iamRoleArn(WORKLOAD, "collector") }, Action: "sts:AssumeRol" }) },
  { title: "aps:RemoteWrites (no such action) on a workspace", policy: "known-actions", names: `statement "WritePlural"`,
    record: resource(ROLE_POLICY, "remote-writes", { role: ingestRoleName("dev", "payments"), policy: doc({ Sid: "WritePlural", Effect: "Allow", Action: "aps:RemoteWrites", Resource: WORKSPACE_PAYMENTS }) }) },
  { title: "an unknown service prefix (prometheus:)", policy: "known-actions", names: `statement "WrongPrefix"`,
    record: identity("unknown-service", { Sid: "WrongPrefix", Effect: "Allow", Action: "prometheus:RemoteWrite", Resource: WORKSPACE_PAYMENTS }) },
  { title: "an action wildcard that matches no action", policy: "known-actions", names: `statement "PublishTypo"`,
    record: identity("wildcard-matches-nothing", { Sid: "PublishTypo", Effect: "Allow", Action: "sns:Pubilsh*", Resource: ALERT_TOPIC }) },
  { title: "a Deny on a misspelt action guards nothing", policy: "known-actions", names: `statement "DenyDeleteWorkspace"`,
    record: identity("deny-typo", { Sid: "DenyDeleteWorkspace", Effect: "Deny", Action: "aps:DeleteWorkspaces", Resource: WORKSPACE_PAYMENTS }) },
  { title: "a guardrail's NotAction with an unknown service", policy: "known-actions", names: `statement "DenyOutsideObservability"`,
    record: identity("not-action-typo", { Sid: "DenyOutsideObservability", Effect: "Deny", NotAction: ["aps:*", "snss:*"], Resource: "*" }) },
  { title: "Lambda permission for a misspelt action", policy: "known-actions", names: `statement "AllowSnsInvokes"`,
    record: resource(PERMISSION, "perm-typo", { function: "notifier", action: "lambda:InvokeFunctions", principal: "sns.amazonaws.com", sourceArn: ALERT_TOPIC, statementId: "AllowSnsInvokes" }) },

  // known-condition-keys: every key is global, defined for the statement's actions, or the Federated principal's OIDC claim.
  { title: "misspelt global key aws:SourceArns in a topic policy", policy: "known-condition-keys", names: `statement "AmpPublishTypo"`,
    record: resource(TOPIC_POLICY, "source-arns", { arn: ALERT_TOPIC, policy: doc({ Sid: "AmpPublishTypo", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: "sns:Publish", Resource: ALERT_TOPIC,
      Condition: { ArnEquals: { "aws:SourceArns": WORKSPACE_PAYMENTS }, StringEquals: { "aws:SourceAccount": HUB } } }) }) },
  { title: "misspelt key under a negated operator (widens the Allow)", policy: "known-condition-keys", names: `statement "NotProdSecrets"`,
    record: identity("negated-typo", { Sid: "NotProdSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:${REGION}:${HUB}:secret:notifier/*`,
      Condition: { StringNotEquals: { "secretsmanager:ResourceTags/environment": "prod" } } }) },
  { title: "a key of another service (sts:ExternalId on sns:Publish)", policy: "known-condition-keys", names: `statement "PublishWithExternalId"`,
    record: identity("foreign-key", { Sid: "PublishWithExternalId", Effect: "Allow", Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { StringEquals: { "sts:ExternalId": "abc" } } }) },
  { title: "a key the action does not carry (iam:PassedToService on iam:GetRole)", policy: "known-condition-keys", names: `statement "GetRoleForLambda"`,
    record: identity("per-action-key", { Sid: "GetRoleForLambda", Effect: "Allow", Action: "iam:GetRole", Resource: iamRoleArn(HUB, "notifier"), Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }) },
  { title: "IRSA trust with the sub claim of another cluster's issuer", policy: "known-condition-keys", names: `statement "OtherClusterSub"`,
    record: trust({ Sid: "OtherClusterSub", Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OTHER_OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:prometheus", [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } }) },
  { title: "an OIDC claim in an identity policy (no Federated principal)", policy: "known-condition-keys", names: `statement "WriteFromPod"`,
    record: identity("oidc-in-identity", { Sid: "WriteFromPod", Effect: "Allow", Action: "aps:RemoteWrite", Resource: WORKSPACE_PAYMENTS,
      Condition: { StringEquals: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:prometheus" } } }) },

  // resource-arns-fit-actions: every Resource ARN fits one of the actions' resource types.
  { title: "aps:RemoteWrite on an SNS topic ARN", policy: "resource-arns-fit-actions", names: `statement "WriteToTopic"`,
    record: resource(ROLE_POLICY, "write-topic", { role: ingestRoleName("dev", "payments"), policy: doc({ Sid: "WriteToTopic", Effect: "Allow", Action: "aps:RemoteWrite", Resource: ALERT_TOPIC }) }) },
  { title: "aps:RemoteWrite on a short ARN of another service (arn:aws:sqs:*)", policy: "resource-arns-fit-actions", names: `statement "WriteShortSqsArn"`,
    record: identity("write-short-sqs-arn", { Sid: "WriteShortSqsArn", Effect: "Allow", Action: "aps:RemoteWrite", Resource: "arn:aws:sqs:*" }) },
  { title: "an IAM role ARN with a region", policy: "resource-arns-fit-actions", names: `statement "RegionalRole"`,
    record: identity("regional-role", { Sid: "RegionalRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam:${REGION}:${HUB}:role/amp-ingest` }) },
  { title: "a specific ARN on actions that accept only *", policy: "resource-arns-fit-actions", names: `statement "DescribeOneInstance"`,
    record: identity("star-only-on-arn", { Sid: "DescribeOneInstance", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeRegions"], Resource: `arn:aws:ec2:${REGION}:${HUB}:instance/i-0123456789abcdef0` }) },
  { title: "a Resource that is not an ARN", policy: "resource-arns-fit-actions", names: `statement "TopicByName"`,
    record: identity("not-an-arn", { Sid: "TopicByName", Effect: "Allow", Action: "sns:Publish", Resource: "amp-alerts" }) },
  { title: "a queue policy naming a topic ARN as its resource", policy: "resource-arns-fit-actions", names: `statement "TopicSends"`,
    record: resource(QUEUE_POLICY, "queue-topic-arn", { queueUrl: "https://sqs/dlq", policy: doc({ Sid: "TopicSends", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: ALERT_TOPIC,
      Condition: { ArnEquals: { "aws:SourceArn": ALERT_TOPIC } } }) }) },

  // deprecated-actions (advisory): the reference describes the action as deprecated.
  { title: "lambda:InvokeAsync (deprecated) on the notifier", policy: "deprecated-actions", level: "advisory", names: `statement "InvokeOld"`,
    record: identity("invoke-async", { Sid: "InvokeOld", Effect: "Allow", Action: "lambda:InvokeAsync", Resource: `arn:aws:lambda:${REGION}:${HUB}:function:notifier` }) },
];

const workloadCollector = iamRoleArn(WORKLOAD, collectorRoleName("dev", "payments"));

export const GOOD_CASES: GoodCase[] = [
  // The project's own builders.
  { title: "allowRemoteWrite for one workspace (hub ingest role)", record: resource(ROLE_POLICY, "ingest-write", { role: ingestRoleName("dev", "payments"), policy: doc(allowRemoteWrite(WORKSPACE_PAYMENTS)) }) },
  { title: "allowQueryWorkspaces for Grafana", record: identity("grafana-query", allowQueryWorkspaces([WORKSPACE_PAYMENTS, WORKSPACE_ORDERS])) },
  { title: "allowQueryTaggedWorkspaces: the hub's workspaces of one environment, by tag", record: identity("grafana-query-tagged",
    allowQueryTaggedWorkspaces({ region: REGION, accountId: HUB, tagKey: "observability:environment", tagValue: "dev" })) },
  { title: "allowAssumeRoleNamedInOrganization: one role name in the organisation's accounts", record: identity("grafana-assume-org",
    allowAssumeRoleNamedInOrganization("grafana-cloudwatch-read-dev", "o-a1b2c3d4e5")) },
  { title: "an any-account role pinned to listed accounts", record: identity("assume-listed-accounts",
    { Sid: "ListedAccounts", Effect: "Allow", Action: "sts:AssumeRole", Resource: ANY_ACCOUNT_READ_ROLE, Condition: { StringEquals: { "aws:ResourceAccount": [WORKLOAD, OTHER] } } }) },
  { title: "allowAssumeRoles inline on the collector role", record: role(collectorRoleName("dev", "payments"), doc(trustServiceAccount({ oidcProviderArn: OIDC_PROVIDER, oidcIssuerUrl: `https://${OIDC_ISSUER}`, namespace: "monitoring", serviceAccount: "prometheus" })), {
    inlinePolicies: [{ name: "assume-ingest", policy: doc(allowAssumeRoles([iamRoleArn(HUB, ingestRoleName("dev", "payments"))])) }] }) },
  { title: "trustRoleOfAccount: hub ingest role trusting the workload collector", record: role(ingestRoleName("dev", "payments"), doc(trustRoleOfAccount(WORKLOAD, [workloadCollector]))) },
  { title: "trustExactRole: CloudWatch read role trusting the hub Grafana role", record: role("grafana-cloudwatch-read-dev", doc(trustExactRole(iamRoleArn(OTHER, grafanaRoleName("dev"))))) },
  { title: "trustServiceForAccount: Grafana workspace role", record: role(grafanaRoleName("dev"), doc(trustServiceForAccount("grafana.amazonaws.com", HUB))) },
  // The reference gives cloudwatch:GetMetricData and ListMetrics an optional resource type (dataset),
  // so on "*" they pass only with the project's reviewed exceptions.
  { title: "allowCloudWatchReadForGrafana (star-only actions and the project's reviewed exceptions on *, the rest scoped)", record: identity("grafana-cloudwatch", ...allowCloudWatchReadForGrafana(HUB)),
    // Read when a test asks for it, not when this file loads (mutation testing runs a mutant
    // met only at load in a fresh process each).
    get config() { return loadProjectPolicyConfig(); } },
  // AWS-documented examples, written as the documentation shows them.
  { title: "AWS doc: SNS topic policy for Amazon Managed Service for Prometheus", record: resource(TOPIC_POLICY, "aps-topic-policy", { arn: ALERT_TOPIC, policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Allow_Publish_Alarms", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: ["sns:Publish", "sns:GetTopicAttributes"], Resource: ALERT_TOPIC,
      Condition: { ArnEquals: { "aws:SourceArn": WORKSPACE_PAYMENTS }, StringEquals: { "AWS:SourceAccount": HUB } } }] }) }) },
  { title: "AWS doc: KMS default key policy plus AMP use of the key, pinned", record: resource(KEY, "alerts-key", { description: "alerts topic", policy: JSON.stringify({
    Version: "2012-10-17", Id: "key-default-1",
    Statement: [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: "kms:*", Resource: "*" },
      { Sid: "AllowAmpToUseTheKey", Effect: "Allow", Principal: { Service: "aps.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": HUB } } },
    ] }) }) },
  // The user guide's statement also lists kms:Describe*, which carries no encryption context, so
  // under this condition it grants nothing (the bad case for known-condition-keys shows it).
  { title: "AWS doc: key policy letting CloudWatch Logs use the key for one log group (encryption context), without kms:Describe*", record: resource(KEY, "logs-key", { description: "task logs", policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Principal: { Service: `logs.${REGION}.amazonaws.com` }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"], Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${HUB}:log-group:/observability/dev/self-hosted/prometheus` } } },
    ] }) }) },
  { title: "AWS doc: EventBridge bus policy for another account", record: resource(BUS_POLICY, "bus-from-workload", { eventBusName: "alerts", policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "AllowAccountToPutEvents", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: "events:PutEvents", Resource: eventBusArn(REGION, HUB, "alerts") }] }) }) },
  { title: "AWS doc: EventBridge bus policy for the whole organization", record: resource(BUS_POLICY, "bus-from-org", { eventBusName: "alerts", policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "AllowAllAccountsFromOrganizationToPutEvents", Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: eventBusArn(REGION, HUB, "alerts"),
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-yourOrgID" } } }] }) }) },
  { title: "AWS doc: SQS queue policy allowing an SNS topic", record: resource(QUEUE_POLICY, "dlq-from-topic", { queueUrl: "https://sqs/dlq", policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": ALERT_TOPIC } } }] }) }) },
  { title: "AWS doc: IRSA trust policy", record: role("irsa-doc", JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:monitoring:amp-iamproxy-ingest-service-account", [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com" } } }] })) },
  { title: "AWS doc: third-party role trust with sts:ExternalId", record: role("external-id", JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "Unique ID Assigned by Example Corp" } } }] })) },
  { title: "AWS doc: Lambda execution role with AWSLambdaBasicExecutionRole", record: role("notifier-exec", lambdaTrust, { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"] }) },
  { title: "AWS doc: iam:PassRole to one role for one service", record: identity("pass-notifier-role", { Sid: "PassNotifierRoleToLambda", Effect: "Allow", Action: "iam:PassRole", Resource: iamRoleArn(HUB, "notifier-exec"), Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }) },
  // Resources this project deploys.
  { title: "Lambda permission for the alert topic", record: resource(PERMISSION, "notifier-from-sns", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: ALERT_TOPIC, statementId: "AllowAlertTopic" }) },
  { title: "Lambda permission for an EventBridge rule", record: resource(PERMISSION, "notifier-from-events", { function: "notifier", action: "lambda:InvokeFunction", principal: "events.amazonaws.com", sourceArn: `arn:aws:events:${REGION}:${HUB}:rule/alarm-state-change` }) },
  { title: "Topic with an inline policy object for CloudWatch alarms", record: resource(TOPIC, "alarm-topic", { name: "alarms", policy: { Version: "2012-10-17", Statement: [{ Sid: "CloudWatchAlarms", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${HUB}:alarm:*` } } }] } }) },
  { title: "Notifier logging: scoped log actions, DescribeLogGroups alone on *", record: identity("notifier-logs",
    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${HUB}:log-group:/aws/lambda/notifier:*` },
    { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" }) },
  { title: "Notifier reads its secrets by ARN", record: identity("notifier-secrets", { Sid: "ReadNotifierSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:${REGION}:${HUB}:secret:notifier/*` }) },
  { title: "Deny guardrail with NotAction and Resource *", record: identity("deny-guardrail", { Sid: "DenyOutsideObservability", Effect: "Deny", NotAction: ["aps:*", "sns:*", "logs:*"], Resource: "*" }) },
  { title: "Same-account root trust", record: role("same-account", doc({ Sid: "TrustOwnAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: "sts:AssumeRole" })) },
  { title: "Customer-managed policy attachment", record: resource(ROLE_ATTACHMENT, "custom-attach", { role: "notifier-exec", policyArn: `arn:aws:iam::${HUB}:policy/notifier-logs` }) },
  { title: "Queue and topic without any policy", record: resource(QUEUE, "plain-queue", { name: "plain" }) },
  // Judged by the Service Authorization Reference (iam-data), in any service.
  { title: "star-only actions of services no table listed, on *", record: identity("star-only-any-service",
    { Sid: "TracesAndDiscovery", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "ec2:DescribeInstances", "s3:ListAllMyBuckets", "sts:GetCallerIdentity"], Resource: "*" }) },
  { title: "service keys the actions carry: ec2:CreateAction on CreateTags, s3:ExistingObjectTag/<key> on GetObject", record: identity("service-keys",
    { Sid: "TagOnCreate", Effect: "Allow", Action: "ec2:CreateTags", Resource: `arn:aws:ec2:${REGION}:${HUB}:security-group/*`, Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", "aws:RequestTag/team": "observability" } } },
    { Sid: "ReadTaggedObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "arn:aws:s3:::observability-exports/*", Condition: { StringEquals: { "s3:ExistingObjectTag/classification": "internal" } } }) },
  { title: "kms:ViaService and kms:CallerAccount on KMS actions and patterns", record: identity("kms-via-service",
    { Sid: "DecryptThroughSns", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: `arn:aws:kms:${REGION}:${HUB}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      Condition: { StringEquals: { "kms:ViaService": `sns.${REGION}.amazonaws.com`, "kms:CallerAccount": HUB } } }) },
  { title: "...IfExists with a key only some of the statement's actions carry", record: identity("if-exists-key",
    { Sid: "TagAndDescribe", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: `arn:aws:ec2:${REGION}:${HUB}:security-group/*`, Condition: { StringEqualsIfExists: { "ec2:CreateAction": "CreateSecurityGroup" } } }) },
  { title: "GitHub Actions OIDC trust: the issuer's own sub and aud claims, and a reference key", record: role("github-deploy", JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "GitHubMain", Effect: "Allow", Principal: { Federated: `arn:aws:iam::${HUB}:oidc-provider/${GITHUB_ISSUER}` }, Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${GITHUB_ISSUER}:sub`]: "repo:example/observability:ref:refs/heads/main", [`${GITHUB_ISSUER}:aud`]: "sts.amazonaws.com", [`${GITHUB_ISSUER}:repository`]: "example/observability" } } }] })) },
  { title: "wildcard ARNs that fit their actions' resource types", record: identity("fitting-wildcards",
    { Sid: "ReadLogStreams", Effect: "Allow", Action: ["logs:GetLogEvents", "logs:DescribeLogStreams"], Resource: [`arn:aws:logs:*:${HUB}:log-group:/aws/lambda/*`, `arn:aws:logs:*:${HUB}:log-group:/aws/lambda/*:log-stream:*`] },
    { Sid: "ReadExports", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::observability-exports/*" },
    { Sid: "SendToQueues", Effect: "Allow", Action: ["sqs:SendMessage", "sns:Publish"], Resource: [queueArn, ALERT_TOPIC] }) },
];

/** Resources whose documents are not known at preview: advisory only, never a crash or a pass. */
/** Every policy that reads an identity document, each of which must say it cannot judge one it cannot read. */
const ALL_IDENTITY_DOCUMENT_POLICIES = [
  "document-size-quota", "known-actions", "known-condition-keys", "no-not-action-not-resource", "no-wildcard-actions", "no-wildcard-resource",
  "pass-role-scoped", "remote-write-one-workspace-per-role", "resource-arns-fit-actions", "scoped-wildcards",
];

/** `flaggedBy`: the policies that report the value they cannot judge (advisory), and no other. */
export const UNKNOWN_CASES: Array<{ title: string; record: ResourceRecord; accountId?: string; flaggedBy: string[] }> = [
  { title: "trust policy unknown", record: role("unknown-trust", "<unknown>"), flaggedBy: ["document-size-quota", "known-actions", "known-condition-keys", "no-not-action-not-resource", "no-wildcard-actions", "resource-arns-fit-actions", "restricted-principals"] },
  { title: "role policy from an output", record: resource(ROLE_POLICY, "unknown-policy", { role: "x", policy: "<unknown>" }), flaggedBy: ALL_IDENTITY_DOCUMENT_POLICIES },
  { title: "inline policies list unknown", record: role("unknown-inline", lambdaTrust, { inlinePolicies: "<unknown>" }), flaggedBy: ALL_IDENTITY_DOCUMENT_POLICIES },
  { title: "Lambda permission sourceArn unknown", record: resource(PERMISSION, "unknown-source", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: "<unknown>" }), flaggedBy: ["service-principal-source-pinned"] },
  { title: "attachment of an unknown policy ARN", record: resource(ROLE_ATTACHMENT, "unknown-attach", { role: "x", policyArn: "<unknown>" }), flaggedBy: ["no-broad-managed-policies"] },
  { title: "resource of a statement unknown", record: identity("unknown-resource", { Sid: "WriteOutputWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: "<unknown>" }), flaggedBy: ["document-size-quota", "no-wildcard-resource", "remote-write-one-workspace-per-role", "resource-arns-fit-actions"] },
  { title: "Effect of a statement unknown", record: resource(POLICY, "unknown-effect", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "E", Effect: "<unknown>", Action: "*", Resource: "*" }] }) }), flaggedBy: ALL_IDENTITY_DOCUMENT_POLICIES },
  { title: "principal of a topic policy unknown", record: resource(TOPIC_POLICY, "unknown-principal", { arn: ALERT_TOPIC, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "P", Effect: "Allow", Principal: "<unknown>", Action: "sns:Publish", Resource: ALERT_TOPIC }] }) }), flaggedBy: ["document-size-quota", "restricted-principals", "service-principal-source-pinned"] },
  { title: "action of a role-scoped statement unknown", record: identity("unknown-action", { Sid: "OutputAction", Effect: "Allow", Action: "<unknown>", Resource: iamRoleArn(HUB, "notifier") }), flaggedBy: ["document-size-quota", "known-actions", "no-wildcard-actions", "pass-role-scoped", "remote-write-one-workspace-per-role", "resource-arns-fit-actions"] },
  { title: "Condition block of a statement unknown", record: resource(POLICY, "unknown-condition", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "C", Effect: "Allow", Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: "<unknown>" }] }) }), flaggedBy: ["document-size-quota", "known-condition-keys"] },
  { title: "a condition operator's keys unknown", record: resource(POLICY, "unknown-operator", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "O", Effect: "Allow", Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { StringEquals: "<unknown>" } }] }) }), flaggedBy: ["document-size-quota", "known-condition-keys"] },
  { title: "cross-account root with no known owner account", record: role("unknown-owner", doc({ Sid: "TrustRoot", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: "sts:AssumeRole" })), accountId: undefined, flaggedBy: ["restricted-principals"] },
];

/** Stack-level cases for remote-write-one-workspace-per-role. */
export const STACK_BAD: Array<{ title: string; records: ResourceRecord[] }> = [
  { title: "one ingest role writing two workspaces through two role policies", records: [
    resource(ROLE_POLICY, "payments-write", { role: ingestRoleName("dev", "payments"), policy: doc(allowRemoteWrite(WORKSPACE_PAYMENTS)) }),
    resource(ROLE_POLICY, "orders-write", { role: ingestRoleName("dev", "payments"), policy: doc(allowRemoteWrite(WORKSPACE_ORDERS)) }),
  ] },
  { title: "remote write listed beside another action, on two workspaces", records: [
    resource(ROLE_POLICY, "write-and-query", { role: ingestRoleName("dev", "payments"), policy: doc({ Sid: "WriteAndQueryTwo", Effect: "Allow", Action: ["aps:QueryMetrics", "aps:RemoteWrite"], Resource: [WORKSPACE_PAYMENTS, WORKSPACE_ORDERS] }) }),
  ] },
  { title: "remote write to a workspace wildcard", records: [
    role(ingestRoleName("dev", "orders"), doc(trustRoleOfAccount(WORKLOAD, [workloadCollector])), { inlinePolicies: [{ name: "write", policy: doc({ Sid: "WriteAnyHubWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: `arn:aws:aps:${REGION}:${HUB}:workspace/*` }) }] }),
  ] },
];

export const STACK_GOOD: ResourceRecord[] = [
  role(ingestRoleName("dev", "payments"), doc(trustRoleOfAccount(WORKLOAD, [workloadCollector])), { inlinePolicies: [{ name: "write", policy: doc(allowRemoteWrite(WORKSPACE_PAYMENTS)) }] }),
  role(ingestRoleName("dev", "orders"), doc(trustRoleOfAccount(OTHER, [iamRoleArn(OTHER, collectorRoleName("dev", "orders"))]))),
  resource(ROLE_POLICY, "orders-write", { role: ingestRoleName("dev", "orders"), policy: doc(allowRemoteWrite(WORKSPACE_ORDERS)) }),
];
