/**
 * Each named statement builder, judged by what AWS would decide with it: the request it is
 * for is allowed, and its neighbours (another workspace, account, key path, service account,
 * action) are refused. The documents are the builders' own output, evaluated with
 * @cloud-copilot/iam-simulate through the same `decide` the plan's path tests use, without
 * a plan behind it.
 */
import { expect } from "chai";
import { PolicyStatement, policyDocument } from "../../components/iam/policy-document";
import {
  accountUsesKeyThroughService,
  allowAlarmsPublishToTopic,
  allowAmpPublishToTopic,
  allowAssumeRoleNamedInOrganization,
  allowAssumeRoles,
  allowCloudWatchReadForGrafana,
  allowDecryptSecretsWithKey,
  allowDecryptTableWithKey,
  allowLedgerTable,
  allowPutEventsOnBus,
  allowQueryHubWorkspaces,
  allowQueryTaggedWorkspaces,
  allowQueryWorkspaces,
  allowReadSecrets,
  allowRemoteWrite,
  allowSendToQueue,
  allowServiceSendToQueue,
  allowUseKeyThroughAmp,
  allowWorkloadAlarmsPublishToTopic,
  allowWriteLogGroup,
  AMP_QUERY_ACTIONS,
  busAcceptsEventsFromAccounts,
  busAcceptsEventsFromOrganization,
  endpointAllowsRemoteWriteBy,
  issuerHostPath,
  serviceKeyPolicyStatements,
  serviceUsesKeyFor,
  trustExactRole,
  trustRoleOfAccount,
  trustServiceAccount,
  trustServiceForAccount,
  workloadAlarmsUseKey,
  workspacesOfAccount,
} from "../../components/iam/statements";
import { allowed, denied } from "../iam-paths/expect";
import { AccessRequest, Caller, DecisionScope, PlannedEndpoint, PlannedRole, hypotheticalRole, roleSession, service, webIdentity } from "../iam-paths/simulate";

const REGION = "eu-west-1";
const HUB = "111111111111";
const WORKLOAD = "222222222222";
const STRANGER = "999999999999";
const ORG = "o-abcdefghij";

/** The accounts of an organisation; no plan behind it. */
function scope(organizationId?: string): DecisionScope {
  return { region: REGION, accounts: [HUB, WORKLOAD], organizationId, roles: new Map(), resources: new Map() };
}
const IN_ORG = scope(ORG);
const NO_ORG = scope();

const workspace = (account: string, id: string) => `arn:aws:aps:${REGION}:${account}:workspace/${id}`;
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const keyArn = (account: string, id = "1234abcd-12ab-34cd-56ef-1234567890ab") => `arn:aws:kms:${REGION}:${account}:key/${id}`;
const topicArn = (account: string, name = "alerts") => `arn:aws:sns:${REGION}:${account}:${name}`;

/** A role of `account` whose identity policy is made of these statements. */
function roleWith(account: string, name: string, ...statements: PolicyStatement[]): PlannedRole {
  return hypotheticalRole(roleArn(account, name), statements.length ? [policyDocument(...statements)] : []);
}
const asResourcePolicy = (...statements: PolicyStatement[]) => ({ name: "builder-under-test", policy: policyDocument(...statements) });

/**
 * A resource policy that leaves the decision to the caller's identity policies: its account's
 * root for a key or a role in the caller's account (KMS and STS need the resource to admit
 * the caller), the caller's account's root across accounts.
 */
function delegatingToIdentity(callerAccount: string) {
  return { name: "delegates-to-identity", policy: policyDocument({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${callerAccount}:root` }, Action: "*", Resource: "*" }) };
}

/** An identity-policy request: the caller's own statements decide (the resource admits its account). */
function identityRequest(caller: PlannedRole, action: string, resource: string, extra: Partial<AccessRequest> = {}): AccessRequest {
  const needsResourceSide = /^(kms|sts):/.test(action) || !resource.includes(`:${caller.accountId}:`);
  return { caller: roleSession(caller), action, resource, resourcePolicy: needsResourceSide ? delegatingToIdentity(caller.accountId) : null, ...extra };
}

describe("IAM statement builders: identity policies", () => {
  const ownWorkspace = workspace(HUB, "ws-own");
  const otherWorkspace = workspace(HUB, "ws-other");

  it("allowRemoteWrite: remote-write to its one workspace only, and nothing else there", async () => {
    const collector = roleWith(HUB, "ingest", allowRemoteWrite(ownWorkspace));
    await allowed(IN_ORG, identityRequest(collector, "aps:RemoteWrite", ownWorkspace));
    await denied(IN_ORG, identityRequest(collector, "aps:RemoteWrite", otherWorkspace));
    await denied(IN_ORG, identityRequest(collector, "aps:QueryMetrics", ownWorkspace));
  });

  it("allowQueryWorkspaces: every query action on exactly the listed workspaces, never remote-write", async () => {
    const grafana = roleWith(HUB, "grafana", allowQueryWorkspaces([otherWorkspace, ownWorkspace]));
    for (const action of AMP_QUERY_ACTIONS) {
      await allowed(IN_ORG, identityRequest(grafana, action, ownWorkspace));
      await allowed(IN_ORG, identityRequest(grafana, action, otherWorkspace));
    }
    await denied(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", workspace(HUB, "ws-unlisted")));
    await denied(IN_ORG, identityRequest(grafana, "aps:RemoteWrite", ownWorkspace));
    expect(AMP_QUERY_ACTIONS).to.have.members(["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"]);
  });

  it("allowQueryWorkspaces: the same document whatever the order of the list (no diff on every preview)", () => {
    expect(allowQueryWorkspaces([otherWorkspace, ownWorkspace])).to.deep.equal(allowQueryWorkspaces([ownWorkspace, otherWorkspace]));
  });

  it("allowQueryTaggedWorkspaces: only the account's workspaces that carry the tag value", async () => {
    const tagged = { region: REGION, accountId: HUB, tagKey: "observability:environment", tagValue: "prod" };
    const grafana = roleWith(HUB, "grafana", allowQueryTaggedWorkspaces(tagged));
    const withTag = (value: string) => ({ context: { "aws:ResourceTag/observability:environment": value } });
    for (const action of AMP_QUERY_ACTIONS) await allowed(IN_ORG, identityRequest(grafana, action, ownWorkspace, withTag("prod")));
    await denied(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", ownWorkspace, withTag("dev")));
    await denied(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", ownWorkspace, { absent: ["aws:ResourceTag/observability:environment"] }));
    await denied(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", workspace(WORKLOAD, "ws-own"), withTag("prod")));
    await denied(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", `arn:aws:aps:us-east-1:${HUB}:workspace/ws-own`, withTag("prod")));
    await denied(IN_ORG, identityRequest(grafana, "aps:RemoteWrite", ownWorkspace, withTag("prod")));
  });

  it("workspacesOfAccount: the workspaces of one account and region, in the region's partition", () => {
    expect(workspacesOfAccount("eu-west-1", HUB)).to.equal(`arn:aws:aps:eu-west-1:${HUB}:workspace/*`);
    expect(workspacesOfAccount("cn-north-1", HUB)).to.equal(`arn:aws-cn:aps:cn-north-1:${HUB}:workspace/*`);
  });

  it("allowQueryHubWorkspaces: listed or tagged workspaces, and the workspaces' key through AMP only when there is one", async () => {
    const key = keyArn(HUB);
    const listed = allowQueryHubWorkspaces([ownWorkspace], REGION);
    expect(listed).to.have.length(1);
    const grafana = roleWith(HUB, "grafana", ...allowQueryHubWorkspaces([ownWorkspace], REGION, key));
    await allowed(IN_ORG, identityRequest(grafana, "aps:QueryMetrics", ownWorkspace));
    await allowed(IN_ORG, identityRequest(grafana, "kms:Decrypt", key, { context: { "kms:ViaService": `aps.${REGION}.amazonaws.com` } }));
    const withoutKey = roleWith(HUB, "grafana", ...listed);
    await denied(IN_ORG, identityRequest(withoutKey, "kms:Decrypt", key, { context: { "kms:ViaService": `aps.${REGION}.amazonaws.com` } }));
    const tagged = roleWith(HUB, "grafana", ...allowQueryHubWorkspaces({ region: REGION, accountId: HUB, tagKey: "env", tagValue: "prod" }, REGION));
    await allowed(IN_ORG, identityRequest(tagged, "aps:QueryMetrics", ownWorkspace, { context: { "aws:ResourceTag/env": "prod" } }));
    await denied(IN_ORG, identityRequest(tagged, "aps:QueryMetrics", ownWorkspace, { context: { "aws:ResourceTag/env": "dev" } }));
  });

  it("allowUseKeyThroughAmp: decrypt and generate data keys with this key, only when AMP of this region asks", async () => {
    const key = keyArn(HUB);
    const writer = roleWith(HUB, "ingest", allowUseKeyThroughAmp(key, REGION));
    const viaAmp = { context: { "kms:ViaService": `aps.${REGION}.amazonaws.com` } };
    await allowed(IN_ORG, identityRequest(writer, "kms:Decrypt", key, viaAmp));
    await allowed(IN_ORG, identityRequest(writer, "kms:GenerateDataKey", key, viaAmp));
    await denied(IN_ORG, identityRequest(writer, "kms:Decrypt", key));
    await denied(IN_ORG, identityRequest(writer, "kms:Decrypt", key, { context: { "kms:ViaService": "aps.us-east-1.amazonaws.com" } }));
    await denied(IN_ORG, identityRequest(writer, "kms:Decrypt", keyArn(HUB, "another-key"), viaAmp));
    await denied(IN_ORG, identityRequest(writer, "kms:Encrypt", key, viaAmp));
  });

  it("allowAssumeRoleNamedInOrganization: the role of that name in an account of the organisation only", async () => {
    const grafana = roleWith(HUB, "grafana", allowAssumeRoleNamedInOrganization("cloudwatch-read", ORG));
    await allowed(IN_ORG, identityRequest(grafana, "sts:AssumeRole", roleArn(WORKLOAD, "cloudwatch-read")));
    await denied(IN_ORG, identityRequest(grafana, "sts:AssumeRole", roleArn(WORKLOAD, "admin")));
    // The stranger account is not a member: the request carries no aws:ResourceOrgID.
    await denied(IN_ORG, identityRequest(grafana, "sts:AssumeRole", roleArn(STRANGER, "cloudwatch-read"), { absent: ["aws:ResourceOrgID"] }));
    await denied(IN_ORG, identityRequest(grafana, "sts:AssumeRole", roleArn(STRANGER, "cloudwatch-read"), { context: { "aws:ResourceOrgID": "o-zzzzzzzzzz" } }));
    const statement = allowAssumeRoleNamedInOrganization("cloudwatch-read", ORG, "aws-cn", "AssumeReadRole");
    expect(statement.Sid).to.equal("AssumeReadRole");
    expect(statement.Resource).to.equal("arn:aws-cn:iam::*:role/cloudwatch-read");
  });

  it("allowAssumeRoles: exactly the listed roles, the same document in any order", async () => {
    const listed = [roleArn(WORKLOAD, "b"), roleArn(WORKLOAD, "a")];
    const caller = roleWith(HUB, "caller", allowAssumeRoles(listed));
    for (const target of listed) await allowed(IN_ORG, identityRequest(caller, "sts:AssumeRole", target));
    await denied(IN_ORG, identityRequest(caller, "sts:AssumeRole", roleArn(WORKLOAD, "c")));
    expect(allowAssumeRoles(listed)).to.deep.equal(allowAssumeRoles([...listed].reverse()));
    expect(allowAssumeRoles(listed, "AssumeReaders").Sid).to.equal("AssumeReaders");
  });

  it("allowCloudWatchReadForGrafana: alarms, logs and links of this account only; the account-wide reads are exactly those IAM cannot scope", async () => {
    const grafana = roleWith(WORKLOAD, "grafana-cw", ...allowCloudWatchReadForGrafana(WORKLOAD));
    await allowed(IN_ORG, identityRequest(grafana, "cloudwatch:DescribeAlarms", `arn:aws:cloudwatch:${REGION}:${WORKLOAD}:alarm:queue-age`));
    await allowed(IN_ORG, identityRequest(grafana, "cloudwatch:DescribeAlarmHistory", `arn:aws:cloudwatch:${REGION}:${WORKLOAD}:alarm:queue-age`));
    await denied(IN_ORG, identityRequest(grafana, "cloudwatch:DescribeAlarms", `arn:aws:cloudwatch:${REGION}:${STRANGER}:alarm:queue-age`));
    const logGroup = `arn:aws:logs:${REGION}:${WORKLOAD}:log-group:/aws/lambda/app`;
    for (const action of ["logs:GetLogGroupFields", "logs:StartQuery", "logs:GetQueryResults"]) await allowed(IN_ORG, identityRequest(grafana, action, logGroup));
    await allowed(IN_ORG, identityRequest(grafana, "logs:GetLogEvents", `${logGroup}:log-stream:one`));
    await denied(IN_ORG, identityRequest(grafana, "logs:StartQuery", `arn:aws:logs:${REGION}:${STRANGER}:log-group:/aws/lambda/app`));
    await denied(IN_ORG, identityRequest(grafana, "logs:PutLogEvents", `${logGroup}:log-stream:one`));
    await allowed(IN_ORG, identityRequest(grafana, "oam:ListAttachedLinks", `arn:aws:oam:${REGION}:${WORKLOAD}:sink/abc`));
    await denied(IN_ORG, identityRequest(grafana, "oam:ListAttachedLinks", `arn:aws:oam:${REGION}:${STRANGER}:sink/abc`));
    // What Grafana's CloudWatch data source calls on "*" (those actions support no resource ARN).
    const accountWide = allowCloudWatchReadForGrafana(WORKLOAD).filter((s) => s.Resource === "*").flatMap((s) => s.Action as string[]);
    expect(accountWide).to.have.members([
      "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "ec2:DescribeInstances", "ec2:DescribeRegions",
      "ec2:DescribeTags", "logs:DescribeLogGroups", "logs:StopQuery", "oam:ListSinks", "tag:GetResources",
    ]);
  });

  it("allowReadSecrets and allowDecryptSecretsWithKey: these secrets, decrypted only through Secrets Manager", async () => {
    const secrets = [`arn:aws:secretsmanager:${REGION}:${HUB}:secret:slack-Ab12Cd`, `arn:aws:secretsmanager:${REGION}:${HUB}:secret:pager-Ef34Gh`];
    const key = keyArn(HUB);
    const notifier = roleWith(HUB, "notifier", allowReadSecrets(secrets), allowDecryptSecretsWithKey(key, REGION));
    for (const secret of secrets) await allowed(IN_ORG, identityRequest(notifier, "secretsmanager:GetSecretValue", secret));
    await denied(IN_ORG, identityRequest(notifier, "secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${HUB}:secret:other-Ij56Kl`));
    await denied(IN_ORG, identityRequest(notifier, "secretsmanager:PutSecretValue", secrets[0]));
    await allowed(IN_ORG, identityRequest(notifier, "kms:Decrypt", key, { context: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } }));
    await denied(IN_ORG, identityRequest(notifier, "kms:Decrypt", key));
    await denied(IN_ORG, identityRequest(notifier, "kms:Decrypt", key, { context: { "kms:ViaService": `aps.${REGION}.amazonaws.com` } }));
    expect(allowReadSecrets(secrets)).to.deep.equal(allowReadSecrets([...secrets].reverse()));
  });

  it("allowLedgerTable and allowDecryptTableWithKey: item reads and writes on this table, its key only through DynamoDB", async () => {
    const table = `arn:aws:dynamodb:${REGION}:${HUB}:table/ledger`;
    const key = keyArn(HUB);
    const notifier = roleWith(HUB, "notifier", allowLedgerTable(table), allowDecryptTableWithKey(key, REGION));
    for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]) await allowed(IN_ORG, identityRequest(notifier, action, table));
    for (const action of ["dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:DeleteTable"]) await denied(IN_ORG, identityRequest(notifier, action, table));
    await denied(IN_ORG, identityRequest(notifier, "dynamodb:GetItem", `arn:aws:dynamodb:${REGION}:${HUB}:table/other`));
    await allowed(IN_ORG, identityRequest(notifier, "kms:Decrypt", key, { context: { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com` } }));
    await denied(IN_ORG, identityRequest(notifier, "kms:Decrypt", key));
    expect(allowLedgerTable(table, "Ledger").Sid).to.equal("Ledger");
    expect(allowDecryptTableWithKey(key, REGION, "LedgerKey").Sid).to.equal("LedgerKey");
  });

  it("allowWriteLogGroup: log streams of this group only, whether its ARN ends in :* or not", async () => {
    const group = `arn:aws:logs:${REGION}:${HUB}:log-group:/aws/lambda/notifier`;
    for (const given of [group, `${group}:*`]) {
      const writer = roleWith(HUB, "notifier", allowWriteLogGroup(given));
      await allowed(IN_ORG, identityRequest(writer, "logs:PutLogEvents", `${group}:log-stream:2026/01/01`));
      await allowed(IN_ORG, identityRequest(writer, "logs:CreateLogStream", `${group}:log-stream:2026/01/01`));
      await denied(IN_ORG, identityRequest(writer, "logs:PutLogEvents", `arn:aws:logs:${REGION}:${HUB}:log-group:/aws/lambda/other:log-stream:x`));
      await denied(IN_ORG, identityRequest(writer, "logs:DeleteLogGroup", `${group}:log-stream:2026/01/01`));
    }
  });

  it("allowSendToQueue and allowPutEventsOnBus: one queue, one bus", async () => {
    const queue = `arn:aws:sqs:${REGION}:${HUB}:dead-letters`;
    const bus = `arn:aws:events:${REGION}:${HUB}:event-bus/alarms`;
    const caller = roleWith(HUB, "forwarder", allowSendToQueue(queue), allowPutEventsOnBus(bus));
    await allowed(IN_ORG, identityRequest(caller, "sqs:SendMessage", queue));
    await denied(IN_ORG, identityRequest(caller, "sqs:SendMessage", `arn:aws:sqs:${REGION}:${HUB}:other`));
    await denied(IN_ORG, identityRequest(caller, "sqs:ReceiveMessage", queue));
    await allowed(IN_ORG, identityRequest(caller, "events:PutEvents", bus));
    await denied(IN_ORG, identityRequest(caller, "events:PutEvents", `arn:aws:events:${REGION}:${HUB}:event-bus/default`));
    expect(allowSendToQueue(queue, "DeadLetters").Sid).to.equal("DeadLetters");
  });
});

describe("IAM statement builders: trust policies", () => {
  const target = roleArn(HUB, "ingest");
  const trust = (statement: PolicyStatement, caller: Caller, extra: Partial<AccessRequest> = {}): AccessRequest => ({
    caller,
    action: caller.kind === "web-identity" ? "sts:AssumeRoleWithWebIdentity" : "sts:AssumeRole",
    resource: target,
    resourcePolicy: asResourcePolicy(statement),
    identityPolicies: caller.kind === "role" ? [{ name: "may-assume", policy: policyDocument(allowAssumeRoles([target])) }] : [],
    ...extra,
  });

  it("trustRoleOfAccount: the listed roles of that account, not its other roles nor the same name elsewhere", async () => {
    const statement = trustRoleOfAccount(WORKLOAD, [roleArn(WORKLOAD, "collector-b"), roleArn(WORKLOAD, "collector-a")]);
    await allowed(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(WORKLOAD, "collector-a")))));
    await allowed(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(WORKLOAD, "collector-b")))));
    await denied(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(WORKLOAD, "admin")))), "resource");
    await denied(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(STRANGER, "collector-a")))), "resource");
    expect(statement).to.deep.equal(trustRoleOfAccount(WORKLOAD, [roleArn(WORKLOAD, "collector-a"), roleArn(WORKLOAD, "collector-b")]));
    expect(statement.Principal).to.deep.equal({ AWS: `arn:aws:iam::${WORKLOAD}:root` });
    expect(trustRoleOfAccount(WORKLOAD, [roleArn(WORKLOAD, "x")], "aws-cn").Principal).to.deep.equal({ AWS: `arn:aws-cn:iam::${WORKLOAD}:root` });
  });

  it("trustExactRole: that one role", async () => {
    const statement = trustExactRole(roleArn(WORKLOAD, "grafana"));
    await allowed(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(WORKLOAD, "grafana")))));
    await denied(IN_ORG, trust(statement, roleSession(hypotheticalRole(roleArn(WORKLOAD, "other")))), "resource");
  });

  describe("trustServiceAccount (IRSA)", () => {
    const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
    const provider = `arn:aws:iam::${HUB}:oidc-provider/${issuer}`;
    const identity = { oidcProviderArn: provider, oidcIssuerUrl: `https://${issuer}`, namespace: "monitoring", serviceAccount: "prometheus" };
    // Built in each test, not when the file loads: mutation testing attributes each run to its test.
    const irsaTrust = () => trustServiceAccount(identity);

    it("the one service account of the one cluster, with STS as the audience", async () => {
      await allowed(IN_ORG, trust(irsaTrust(), webIdentity(provider, "system:serviceaccount:monitoring:prometheus")));
    });

    it("refuses another service account, another namespace, a namespace-only subject and another audience", async () => {
      const statement = irsaTrust();
      for (const sub of ["system:serviceaccount:monitoring:grafana", "system:serviceaccount:default:prometheus", "system:serviceaccount:monitoring"]) {
        await denied(IN_ORG, trust(statement, webIdentity(provider, sub)), "resource");
      }
      await denied(IN_ORG, trust(statement, webIdentity(provider, "system:serviceaccount:monitoring:prometheus", "sts.example.com")), "resource");
    });

    it("refuses another cluster's identity provider, even with the same subject", async () => {
      const statement = irsaTrust();
      const otherIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/FFFFFFFFFFFFFFFF";
      await denied(IN_ORG, trust(statement, webIdentity(`arn:aws:iam::${HUB}:oidc-provider/${otherIssuer}`, "system:serviceaccount:monitoring:prometheus")), "resource");
    });

    it("keys its claims on the issuer's host and path, however the issuer URL is written", () => {
      const statement = irsaTrust();
      for (const url of [issuer, `https://${issuer}`, `https://${issuer}/`]) {
        expect(issuerHostPath(url)).to.equal(issuer);
        expect(trustServiceAccount({ ...identity, oidcIssuerUrl: url })).to.deep.equal(statement);
      }
      expect(trustServiceAccount(identity, "TrustCollector").Sid).to.equal("TrustCollector");
    });
  });

  it("trustServiceForAccount: the service acting for this account, and for the named sources when given", async () => {
    const lambdaTrust = trustServiceForAccount("lambda.amazonaws.com", HUB);
    await allowed(IN_ORG, trust(lambdaTrust, service("lambda.amazonaws.com", undefined, HUB), { absent: ["aws:SourceArn"] }));
    await denied(IN_ORG, trust(lambdaTrust, service("lambda.amazonaws.com", undefined, STRANGER)), "resource");
    await denied(IN_ORG, trust(lambdaTrust, service("events.amazonaws.com", undefined, HUB)), "resource");
    const scraperSource = `arn:aws:aps:${REGION}:${HUB}:scraper/*`;
    const pinned = trustServiceForAccount("scraper.aps.amazonaws.com", HUB, scraperSource);
    await allowed(IN_ORG, trust(pinned, service("scraper.aps.amazonaws.com", `arn:aws:aps:${REGION}:${HUB}:scraper/s-1`, HUB)));
    await denied(IN_ORG, trust(pinned, service("scraper.aps.amazonaws.com", `arn:aws:aps:${REGION}:${HUB}:workspace/ws-1`, HUB)), "resource");
  });
});

describe("IAM statement builders: resource and key policies", () => {
  const topic = topicArn(HUB);
  const publish = (statement: PolicyStatement, caller: Caller, action = "sns:Publish", resource = topic): AccessRequest => ({
    caller, action, resource, resourcePolicy: asResourcePolicy(statement), identityPolicies: [],
  });

  it("allowAmpPublishToTopic: the listed workspaces of this account publish and read the topic's attributes", async () => {
    const own = [workspace(HUB, "ws-b"), workspace(HUB, "ws-a")];
    const statement = allowAmpPublishToTopic(topic, HUB, own);
    for (const source of own) {
      await allowed(IN_ORG, publish(statement, service("aps.amazonaws.com", source, HUB)));
      await allowed(IN_ORG, publish(statement, service("aps.amazonaws.com", source, HUB), "sns:GetTopicAttributes"));
    }
    await denied(IN_ORG, publish(statement, service("aps.amazonaws.com", workspace(HUB, "ws-c"), HUB)), "resource");
    await denied(IN_ORG, publish(statement, service("aps.amazonaws.com", own[0], STRANGER)), "resource");
    await denied(IN_ORG, publish(statement, service("aps.amazonaws.com", own[0], HUB), "sns:Subscribe"), "resource");
    await denied(IN_ORG, publish(statement, service("aps.amazonaws.com", own[0], HUB), "sns:Publish", topicArn(HUB, "other")), "resource");
    await denied(IN_ORG, publish(statement, service("events.amazonaws.com", own[0], HUB)), "resource");
    expect(statement).to.deep.equal(allowAmpPublishToTopic(topic, HUB, [...own].reverse()));
  });

  it("allowAmpPublishToTopic: a pattern of the account's workspaces admits them all and compares as a pattern", async () => {
    const statement = allowAmpPublishToTopic(topic, HUB, [workspacesOfAccount(REGION, HUB)]);
    await allowed(IN_ORG, publish(statement, service("aps.amazonaws.com", workspace(HUB, "ws-any"), HUB)));
    await denied(IN_ORG, publish(statement, service("aps.amazonaws.com", workspace(STRANGER, "ws-any"), HUB)), "resource");
    // One exact workspace: compared exactly (ArnEquals), so no pattern slips in.
    const exact = allowAmpPublishToTopic(topic, HUB, [workspace(HUB, "ws-a")]);
    await denied(IN_ORG, publish(exact, service("aps.amazonaws.com", workspace(HUB, "ws-ab"), HUB)), "resource");
    expect(exact.Condition?.ArnEquals).to.deep.equal({ "aws:SourceArn": workspace(HUB, "ws-a") });
    // A list that mixes an exact ARN and a pattern admits what either names.
    const mixed = allowAmpPublishToTopic(topic, HUB, [workspace(HUB, "ws-a"), `arn:aws:aps:${REGION}:${HUB}:workspace/ws-team-*`]);
    await allowed(IN_ORG, publish(mixed, service("aps.amazonaws.com", workspace(HUB, "ws-a"), HUB)));
    await allowed(IN_ORG, publish(mixed, service("aps.amazonaws.com", workspace(HUB, "ws-team-x"), HUB)));
    await denied(IN_ORG, publish(mixed, service("aps.amazonaws.com", workspace(HUB, "ws-b"), HUB)), "resource");
  });

  it("allowAlarmsPublishToTopic: exactly these alarms of this account", async () => {
    const alarms = [`arn:aws:cloudwatch:${REGION}:${HUB}:alarm:b`, `arn:aws:cloudwatch:${REGION}:${HUB}:alarm:a`];
    const statement = allowAlarmsPublishToTopic(topic, HUB, alarms);
    for (const alarm of alarms) await allowed(IN_ORG, publish(statement, service("cloudwatch.amazonaws.com", alarm, HUB)));
    await denied(IN_ORG, publish(statement, service("cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${REGION}:${HUB}:alarm:c`, HUB)), "resource");
    await denied(IN_ORG, publish(statement, service("cloudwatch.amazonaws.com", alarms[0], STRANGER)), "resource");
    await denied(IN_ORG, publish(statement, service("cloudwatch.amazonaws.com", alarms[0], HUB), "sns:Subscribe"), "resource");
    expect(statement).to.deep.equal(allowAlarmsPublishToTopic(topic, HUB, [...alarms].reverse()));
  });

  describe("workload alarms publishing to the hub and using its key", () => {
    const pattern = `arn:aws:cloudwatch:${REGION}:*:alarm:forwarded`;
    const alarmOf = (account: string) => `arn:aws:cloudwatch:${REGION}:${account}:alarm:forwarded`;
    const key = keyArn(HUB);
    const useKey = (statement: PolicyStatement, caller: Caller, action = "kms:GenerateDataKey"): AccessRequest => ({
      caller, action, resource: key, resourcePolicy: asResourcePolicy(statement), identityPolicies: [],
    });

    it("with an organisation id: any account of the organisation, only that alarm name", async () => {
      const sources = { accountIds: [WORKLOAD], organizationId: ORG };
      const topicStatement = allowWorkloadAlarmsPublishToTopic("WorkloadAlarms", topic, pattern, sources);
      const keyStatement = workloadAlarmsUseKey("WorkloadAlarmsKey", pattern, sources);
      await allowed(IN_ORG, publish(topicStatement, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD)));
      await allowed(IN_ORG, useKey(keyStatement, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD)));
      await allowed(IN_ORG, useKey(keyStatement, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD), "kms:Decrypt"));
      // The stranger is not a member: its requests carry no aws:SourceOrgID of ours.
      const stranger = service("cloudwatch.amazonaws.com", alarmOf(STRANGER), STRANGER);
      await denied(IN_ORG, { ...publish(topicStatement, stranger), absent: ["aws:SourceOrgID"] }, "resource");
      await denied(IN_ORG, { ...useKey(keyStatement, stranger), absent: ["aws:SourceOrgID"] }, "resource");
      await denied(IN_ORG, publish(topicStatement, service("cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${REGION}:${WORKLOAD}:alarm:other`, WORKLOAD)), "resource");
      await denied(IN_ORG, useKey(keyStatement, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD), "kms:Encrypt"), "resource");
      await denied(IN_ORG, useKey(keyStatement, service("cloudwatch.amazonaws.com", `arn:aws:cloudwatch:${REGION}:${WORKLOAD}:alarm:other`, WORKLOAD)), "resource");
      // The organisation decides, not the list: a member the list does not name is admitted too.
      await allowed(IN_ORG, publish(topicStatement, service("cloudwatch.amazonaws.com", alarmOf(HUB), HUB)));
      await allowed(IN_ORG, useKey(keyStatement, service("cloudwatch.amazonaws.com", alarmOf(HUB), HUB)));
      expect(topicStatement.Sid).to.equal("WorkloadAlarms");
      expect(keyStatement.Sid).to.equal("WorkloadAlarmsKey");
    });

    it("without one: exactly the listed accounts (one or several)", async () => {
      const one = allowWorkloadAlarmsPublishToTopic("WorkloadAlarms", topic, pattern, { accountIds: [WORKLOAD] });
      await allowed(NO_ORG, publish(one, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD)));
      await denied(NO_ORG, publish(one, service("cloudwatch.amazonaws.com", alarmOf(HUB), HUB)), "resource");
      const several = workloadAlarmsUseKey("WorkloadAlarmsKey", pattern, { accountIds: [WORKLOAD, HUB] });
      await allowed(NO_ORG, useKey(several, service("cloudwatch.amazonaws.com", alarmOf(HUB), HUB)));
      await allowed(NO_ORG, useKey(several, service("cloudwatch.amazonaws.com", alarmOf(WORKLOAD), WORKLOAD)));
      await denied(NO_ORG, useKey(several, service("cloudwatch.amazonaws.com", alarmOf(STRANGER), STRANGER)), "resource");
      expect(several).to.deep.equal(workloadAlarmsUseKey("WorkloadAlarmsKey", pattern, { accountIds: [HUB, WORKLOAD] }));
    });
  });

  it("serviceUsesKeyFor: the service may use the key for exactly these sources of this account", async () => {
    const key = keyArn(HUB);
    const sources = [workspace(HUB, "ws-b"), workspace(HUB, "ws-a")];
    const statement = serviceUsesKeyFor("AmpUsesKey", "aps.amazonaws.com", HUB, sources);
    const request = (caller: Caller, action = "kms:GenerateDataKey"): AccessRequest => ({ caller, action, resource: key, resourcePolicy: asResourcePolicy(statement), identityPolicies: [] });
    await allowed(IN_ORG, request(service("aps.amazonaws.com", sources[0], HUB)));
    await allowed(IN_ORG, request(service("aps.amazonaws.com", sources[1], HUB), "kms:Decrypt"));
    await denied(IN_ORG, request(service("aps.amazonaws.com", workspace(HUB, "ws-c"), HUB)), "resource");
    await denied(IN_ORG, request(service("aps.amazonaws.com", sources[0], STRANGER)), "resource");
    await denied(IN_ORG, request(service("sns.amazonaws.com", sources[0], HUB)), "resource");
    await denied(IN_ORG, request(service("aps.amazonaws.com", sources[0], HUB), "kms:ScheduleKeyDeletion"), "resource");
    expect(statement.Sid).to.equal("AmpUsesKey");
  });

  describe("key policies for the account's own principals", () => {
    const key = keyArn(HUB);
    const via = `sns.${REGION}.amazonaws.com`;
    /** A role of `account` whose identity policy allows everything on the key: the key policy decides. */
    const keyUser = (account: string) => roleWith(account, "key-user", { Effect: "Allow", Action: "kms:*", Resource: key });
    const onKey = (statements: PolicyStatement[], caller: PlannedRole, action: string, viaService?: string): AccessRequest => ({
      caller: roleSession(caller), action, resource: key, resourcePolicy: asResourcePolicy(...statements),
      ...(viaService ? { context: { "kms:ViaService": viaService } } : {}),
    });

    it("serviceKeyPolicyStatements: the account administers the key, and uses it only through the one service", async () => {
      const policy = serviceKeyPolicyStatements(HUB, via);
      for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:DescribeKey"]) {
        await allowed(IN_ORG, onKey(policy, keyUser(HUB), action, via));
      }
      await denied(IN_ORG, onKey(policy, keyUser(HUB), "kms:Decrypt"), "resource");
      await denied(IN_ORG, onKey(policy, keyUser(HUB), "kms:Decrypt", `aps.${REGION}.amazonaws.com`), "resource");
      for (const action of ["kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:EnableKeyRotation", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:ListGrants", "kms:GetKeyPolicy", "kms:RevokeGrant", "kms:DeleteAlias", "kms:CreateAlias"]) {
        await allowed(IN_ORG, onKey(policy, keyUser(HUB), action));
      }
      // Another account's principal is not the key's account: KMS refuses it whatever its own policy says.
      await denied(IN_ORG, onKey(policy, keyUser(STRANGER), "kms:Decrypt", via), "resource");
      await denied(IN_ORG, onKey(policy, keyUser(STRANGER), "kms:ScheduleKeyDeletion"), "resource");
    });

    it("accountUsesKeyThroughService: the account's principals use the key through the service only", async () => {
      const statement = accountUsesKeyThroughService("LedgerKey", HUB, `dynamodb.${REGION}.amazonaws.com`);
      for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:CreateGrant", "kms:DescribeKey"]) {
        await allowed(IN_ORG, onKey([statement], keyUser(HUB), action, `dynamodb.${REGION}.amazonaws.com`));
      }
      await denied(IN_ORG, onKey([statement], keyUser(HUB), "kms:Decrypt"), "resource");
      await denied(IN_ORG, onKey([statement], keyUser(HUB), "kms:ScheduleKeyDeletion", `dynamodb.${REGION}.amazonaws.com`), "resource");
      await denied(IN_ORG, onKey([statement], keyUser(STRANGER), "kms:Decrypt", `dynamodb.${REGION}.amazonaws.com`), "resource");
      expect(statement.Sid).to.equal("LedgerKey");
    });
  });

  it("allowServiceSendToQueue: the service may send for exactly this source", async () => {
    const queue = `arn:aws:sqs:${REGION}:${HUB}:dead-letters`;
    const rule = `arn:aws:events:${REGION}:${HUB}:rule/alarms/forward`;
    const statement = allowServiceSendToQueue("RuleDeadLetters", "events.amazonaws.com", queue, rule);
    const send = (caller: Caller, action = "sqs:SendMessage"): AccessRequest => ({ caller, action, resource: queue, resourcePolicy: asResourcePolicy(statement), identityPolicies: [] });
    await allowed(IN_ORG, { ...send(service("events.amazonaws.com", rule, HUB)) });
    await denied(IN_ORG, send(service("events.amazonaws.com", `arn:aws:events:${REGION}:${HUB}:rule/alarms/other`, HUB)), "resource");
    await denied(IN_ORG, send(service("sns.amazonaws.com", rule, HUB)), "resource");
    await denied(IN_ORG, send(service("events.amazonaws.com", rule, HUB), "sqs:ReceiveMessage"), "resource");
    expect(statement.Sid).to.equal("RuleDeadLetters");
  });

  describe("the alert bus", () => {
    const bus = `arn:aws:events:${REGION}:${HUB}:event-bus/alarms`;
    const forwarder = (account: string) => roleWith(account, "forwarder", allowPutEventsOnBus(bus));
    const put = (statement: PolicyStatement, caller: PlannedRole, orgId?: string | null, action = "events:PutEvents"): AccessRequest => ({
      caller: roleSession(caller, "forward", orgId), action, resource: bus, resourcePolicy: asResourcePolicy(statement),
      identityPolicies: [{ name: "forwarder", policy: policyDocument({ Effect: "Allow", Action: "events:*", Resource: bus }) }],
    });

    it("busAcceptsEventsFromOrganization: any principal of the organisation, nobody else", async () => {
      const statement = busAcceptsEventsFromOrganization(bus, ORG);
      await allowed(IN_ORG, put(statement, forwarder(WORKLOAD)));
      await denied(IN_ORG, put(statement, forwarder(STRANGER), "o-zzzzzzzzzz"), "resource");
      await denied(IN_ORG, put(statement, forwarder(STRANGER), null), "resource");
    });

    it("busAcceptsEventsFromAccounts: the listed accounts, and with an organisation id only as its members", async () => {
      const listed = busAcceptsEventsFromAccounts(bus, [WORKLOAD]);
      expect(listed.Principal).to.deep.equal({ AWS: [`arn:aws:iam::${WORKLOAD}:root`] });
      await allowed(NO_ORG, put(listed, forwarder(WORKLOAD)));
      await denied(NO_ORG, put(listed, forwarder(STRANGER)), "resource");
      const pinned = busAcceptsEventsFromAccounts(bus, [WORKLOAD], ORG);
      await allowed(IN_ORG, put(pinned, forwarder(WORKLOAD)));
      await denied(IN_ORG, put(pinned, forwarder(WORKLOAD), "o-zzzzzzzzzz"), "resource");
      expect(busAcceptsEventsFromAccounts(bus, [WORKLOAD, HUB])).to.deep.equal(busAcceptsEventsFromAccounts(bus, [HUB, WORKLOAD]));
      expect(busAcceptsEventsFromAccounts(bus, [WORKLOAD], undefined, "aws-cn").Principal).to.deep.equal({ AWS: [`arn:aws-cn:iam::${WORKLOAD}:root`] });
    });
  });
});

describe("IAM statement builders: statement ids", () => {
  it("every builder names its statements with a Sid of IAM's characters, distinct from every other builder's", () => {
    const ws = workspace(HUB, "ws-a");
    const key = keyArn(HUB);
    const sources = { accountIds: [WORKLOAD] };
    const tagged = { region: REGION, accountId: HUB, tagKey: "env", tagValue: "prod" };
    const identity = { oidcProviderArn: `arn:aws:iam::${HUB}:oidc-provider/oidc.example`, oidcIssuerUrl: "oidc.example", namespace: "n", serviceAccount: "s" };
    // Builders whose Sid is fixed; those that take one (sid parameter) are checked where they are tested.
    const byBuilder: Record<string, PolicyStatement[]> = {
      allowRemoteWrite: [allowRemoteWrite(ws)],
      endpointAllowsRemoteWriteBy: [endpointAllowsRemoteWriteBy(roleArn(HUB, "r"), ws)],
      allowUseKeyThroughAmp: [allowUseKeyThroughAmp(key, REGION)],
      allowQueryWorkspaces: [allowQueryWorkspaces([ws])],
      allowQueryTaggedWorkspaces: [allowQueryTaggedWorkspaces(tagged)],
      allowAssumeRoleNamedInOrganization: [allowAssumeRoleNamedInOrganization("r", ORG)],
      allowAssumeRoles: [allowAssumeRoles([roleArn(HUB, "r")])],
      trustRoleOfAccount: [trustRoleOfAccount(WORKLOAD, [roleArn(WORKLOAD, "r")])],
      trustExactRole: [trustExactRole(roleArn(WORKLOAD, "r"))],
      trustServiceAccount: [trustServiceAccount(identity)],
      trustServiceForAccount: [trustServiceForAccount("lambda.amazonaws.com", HUB)],
      serviceKeyPolicyStatements: serviceKeyPolicyStatements(HUB, `sns.${REGION}.amazonaws.com`),
      allowCloudWatchReadForGrafana: allowCloudWatchReadForGrafana(WORKLOAD),
      allowAmpPublishToTopic: [allowAmpPublishToTopic(topicArn(HUB), HUB, [ws])],
      allowAlarmsPublishToTopic: [allowAlarmsPublishToTopic(topicArn(HUB), HUB, [`arn:aws:cloudwatch:${REGION}:${HUB}:alarm:a`])],
      allowReadSecrets: [allowReadSecrets([`arn:aws:secretsmanager:${REGION}:${HUB}:secret:s-Ab12Cd`])],
      allowDecryptSecretsWithKey: [allowDecryptSecretsWithKey(key, REGION)],
      allowLedgerTable: [allowLedgerTable(`arn:aws:dynamodb:${REGION}:${HUB}:table/t`)],
      allowDecryptTableWithKey: [allowDecryptTableWithKey(key, REGION)],
      allowWriteLogGroup: [allowWriteLogGroup(`arn:aws:logs:${REGION}:${HUB}:log-group:g`)],
      allowSendToQueue: [allowSendToQueue(`arn:aws:sqs:${REGION}:${HUB}:q`)],
      allowPutEventsOnBus: [allowPutEventsOnBus(`arn:aws:events:${REGION}:${HUB}:event-bus/b`)],
      busAcceptsEventsFromOrganization: [busAcceptsEventsFromOrganization(`arn:aws:events:${REGION}:${HUB}:event-bus/b`, ORG)],
      busAcceptsEventsFromAccounts: [busAcceptsEventsFromAccounts(`arn:aws:events:${REGION}:${HUB}:event-bus/b`, [WORKLOAD])],
      allowWorkloadAlarmsPublishToTopic: [allowWorkloadAlarmsPublishToTopic("WorkloadAlarms", topicArn(HUB), "arn:aws:cloudwatch:*", sources)],
    };
    const sids = Object.values(byBuilder).flat().map((statement) => statement.Sid);
    // IAM: a Sid is ASCII letters and digits, and unique within a policy; builders share documents.
    for (const [builder, statements] of Object.entries(byBuilder)) {
      for (const statement of statements) expect(statement.Sid, builder).to.match(/^[A-Za-z0-9]+$/);
    }
    expect(new Set(sids).size, sids.join(", ")).to.equal(sids.length);
  });
});

describe("IAM statement builders: VPC endpoint policy", () => {
  const ownWorkspace = workspace(HUB, "ws-own");
  const ingest = roleArn(HUB, "ingest");
  const endpoint = (statement: PolicyStatement): PlannedEndpoint => ({
    stack: "unit", name: "aps-workspaces", accountId: WORKLOAD, vpcId: "vpc-0123456789abcdef0", serviceName: `com.amazonaws.${REGION}.aps-workspaces`,
    policy: { name: "endpoint-under-test", policy: policyDocument(statement) },
  });
  const writeThrough = (caller: PlannedRole, statement: PolicyStatement, resource = ownWorkspace): AccessRequest => ({
    caller: roleSession(caller), action: "aps:RemoteWrite", resource, resourcePolicy: null, vpcEndpoint: endpoint(statement),
  });

  it("endpointAllowsRemoteWriteBy: only the ingest role, only to its workspace, through the endpoint", async () => {
    const statement = endpointAllowsRemoteWriteBy(ingest, ownWorkspace);
    const everywhere = { Effect: "Allow" as const, Action: "aps:*", Resource: "*" };
    await allowed(IN_ORG, writeThrough(roleWith(HUB, "ingest", everywhere), statement));
    await denied(IN_ORG, writeThrough(roleWith(HUB, "ingest-2", everywhere), statement), "endpoint");
    await denied(IN_ORG, writeThrough(roleWith(HUB, "ingest", everywhere), statement, workspace(HUB, "ws-other")), "endpoint");
  });

  it("endpointAllowsRemoteWriteBy: also pins the role's account, and has no account pin for an ARN without one", () => {
    expect(endpointAllowsRemoteWriteBy(ingest, ownWorkspace).Condition?.StringEquals).to.deep.equal({ "aws:PrincipalAccount": HUB });
    expect(endpointAllowsRemoteWriteBy("arn:aws:iam:role/no-account", ownWorkspace).Condition).to.not.have.property("StringEquals");
  });
});
