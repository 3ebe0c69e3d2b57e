/** The builders of the self-hosted hub (EFS, SNS, S3, secrets of collectors), judged with the IAM simulator. */
import { expect } from "chai";
import { PolicyStatement, policyDocument } from "../../components/iam/policy-document";
import {
  allowEfsThroughAccessPoint, allowEncryptForTopicWithKey, allowPublishToTopic, allowReadObjects, efsRefusesInsecureTransport,
  allowListObjectsUnder, allowReadIngestCredential, allowReadObjectsUnder, allowReadSecretsNamedUnder, logsUseKeyForLogGroups,
  organizationRolesDecryptSecretsUnder, secretArnsNamedUnder, secretReadableByRole,
} from "../../components/iam/statements";
import { allowed, denied } from "../iam-paths/expect";
import { AccessRequest, DecisionScope, PlannedRole, hypotheticalRole, roleSession, service } from "../iam-paths/simulate";

const REGION = "eu-west-1";
const HUB = "111111111111";
const WORKLOAD = "222222222222";
const SCOPE: DecisionScope = { region: REGION, accounts: [HUB, WORKLOAD], roles: new Map(), resources: new Map() };
const role = (account: string, name: string, ...statements: PolicyStatement[]): PlannedRole =>
  hypotheticalRole(`arn:aws:iam::${account}:role/${name}`, statements.length ? [policyDocument(...statements)] : []);
const delegating = (account: string) => ({ name: "delegates", policy: policyDocument({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "*", Resource: "*" }) });
const asResource = (...statements: PolicyStatement[]) => ({ name: "under-test", policy: policyDocument(...statements) });

describe("IAM statement builders of the self-hosted hub", () => {
  it("logsUseKeyForLogGroups: this region's CloudWatch Logs, for exactly these log groups of this account", async () => {
    const key = `arn:aws:kms:${REGION}:${HUB}:key/k`;
    const group = (name: string, account = HUB) => `arn:aws:logs:${REGION}:${account}:log-group:${name}`;
    const statement = logsUseKeyForLogGroups(REGION, [`${group("/tasks/b")}:*`, group("/tasks/a"), group("/tasks/a")]);
    const logs = service(`logs.${REGION}.amazonaws.com`);
    const request = (logGroup: string, action = "kms:GenerateDataKey", caller = logs): AccessRequest =>
      ({ caller, action, resource: key, resourcePolicy: asResource(statement), context: { "kms:EncryptionContext:aws:logs:arn": logGroup } });
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"]) await allowed(SCOPE, request(group("/tasks/a"), action));
    // The `:*` a stream ARN ends with is not part of the context: the group is admitted without it.
    await allowed(SCOPE, request(group("/tasks/b")));
    await denied(SCOPE, request(group("/tasks/c")), "resource");
    await denied(SCOPE, request(group("/tasks/a", WORKLOAD)), "resource");
    await denied(SCOPE, request(group("/tasks/a"), "kms:CreateGrant"), "resource");
    await denied(SCOPE, request(group("/tasks/a"), "kms:GenerateDataKey", service("logs.us-east-1.amazonaws.com")), "resource");
    expect(statement.Condition).to.deep.equal({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": [group("/tasks/a"), group("/tasks/b")] } });
    expect(() => logsUseKeyForLogGroups(REGION, [])).to.throw(/at least one log group/);
  });

  it("allowEfsThroughAccessPoint: mount (and write) only through the access point", async () => {
    const accessPoint = `arn:aws:elasticfilesystem:${REGION}:${HUB}:access-point/fsap-1`;
    const fs = `arn:aws:elasticfilesystem:${REGION}:${HUB}:file-system/fs-1`;
    const through = { context: { "elasticfilesystem:AccessPointArn": accessPoint } };
    const writer = role(HUB, "prometheus", allowEfsThroughAccessPoint("Efs", REGION, HUB, accessPoint, true));
    const request = (caller: PlannedRole, action: string, extra: Partial<AccessRequest> = through): AccessRequest => ({ caller: roleSession(caller), action, resource: fs, resourcePolicy: null, ...extra });
    await allowed(SCOPE, request(writer, "elasticfilesystem:ClientMount"));
    await allowed(SCOPE, request(writer, "elasticfilesystem:ClientWrite"));
    await denied(SCOPE, request(writer, "elasticfilesystem:ClientRootAccess"));
    await denied(SCOPE, request(writer, "elasticfilesystem:ClientMount", { context: { "elasticfilesystem:AccessPointArn": `${accessPoint}-other` } }));
    const reader = role(HUB, "grafana", allowEfsThroughAccessPoint("Efs", REGION, HUB, accessPoint, false));
    await allowed(SCOPE, request(reader, "elasticfilesystem:ClientMount"));
    await denied(SCOPE, request(reader, "elasticfilesystem:ClientWrite"));
    expect(allowEfsThroughAccessPoint("Efs", "cn-north-1", HUB, accessPoint, false, "aws-cn").Resource).to.equal(`arn:aws-cn:elasticfilesystem:cn-north-1:${HUB}:file-system/*`);
  });

  it("efsRefusesInsecureTransport: denies every client action without TLS, not with it", () => {
    const statement = efsRefusesInsecureTransport("arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-1");
    expect([statement.Effect, statement.Condition]).to.deep.equal(["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
    expect(statement.Action).to.have.members(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]);
    expect(statement.Principal).to.deep.equal({ AWS: "*" });
  });

  it("allowPublishToTopic and allowEncryptForTopicWithKey: this topic, its key only through SNS", async () => {
    const topic = `arn:aws:sns:${REGION}:${HUB}:alerts`;
    const key = `arn:aws:kms:${REGION}:${HUB}:key/k`;
    const alertmanager = role(HUB, "alertmanager", allowPublishToTopic(topic), allowEncryptForTopicWithKey(key, REGION));
    await allowed(SCOPE, { caller: roleSession(alertmanager), action: "sns:Publish", resource: topic, resourcePolicy: null });
    await denied(SCOPE, { caller: roleSession(alertmanager), action: "sns:Publish", resource: `${topic}-other`, resourcePolicy: null });
    const viaSns = { context: { "kms:ViaService": `sns.${REGION}.amazonaws.com` } };
    await allowed(SCOPE, { caller: roleSession(alertmanager), action: "kms:GenerateDataKey", resource: key, resourcePolicy: delegating(HUB), ...viaSns });
    await denied(SCOPE, { caller: roleSession(alertmanager), action: "kms:Decrypt", resource: key, resourcePolicy: delegating(HUB) });
    expect(allowPublishToTopic(topic, "P").Sid).to.equal("P");
    expect(allowEncryptForTopicWithKey(key, REGION, "K").Sid).to.equal("K");
  });

  it("allowReadObjects: exactly these objects, the same document in any order", () => {
    const objects = ["arn:aws:s3:::config/b.yml", "arn:aws:s3:::config/a.yml"];
    // S3 object ARNs carry no account, which the simulator helper needs: the grant is read directly.
    expect(allowReadObjects(objects)).to.include({ Effect: "Allow", Action: "s3:GetObject" });
    expect(allowReadObjects(objects).Resource).to.deep.equal(["arn:aws:s3:::config/a.yml", "arn:aws:s3:::config/b.yml"]);
    expect(allowReadObjects(objects)).to.deep.equal(allowReadObjects([...objects].reverse()));
    expect(allowReadObjects(objects, "R").Sid).to.equal("R");
  });

  it("secretReadableByRole and organizationRolesDecryptSecretsUnder: the named collector reads its secret; the organisation's collectors decrypt secrets under the prefix, through Secrets Manager only", async () => {
    const ORG = "o-a1b2c3d4e5";
    const collector = `arn:aws:iam::${WORKLOAD}:role/amp-collector-dev-payments`;
    const secret = `arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/dev/self-hosted/ingest/payments-Ab12Cd`;
    const allowAll = { Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue", "kms:Decrypt"], Resource: "*" };
    const reader = role(WORKLOAD, "amp-collector-dev-payments", allowAll);
    const other = role(WORKLOAD, "other", allowAll);
    await allowed(SCOPE, { caller: roleSession(reader), action: "secretsmanager:GetSecretValue", resource: secret, resourcePolicy: asResource(secretReadableByRole(collector)) });
    await denied(SCOPE, { caller: roleSession(other), action: "secretsmanager:GetSecretValue", resource: secret, resourcePolicy: asResource(secretReadableByRole(collector)) }, "resource");
    const key = `arn:aws:kms:${REGION}:${HUB}:key/k`;
    const keyStatement = organizationRolesDecryptSecretsUnder("Collectors", ORG, "arn:aws:iam::*:role/amp-collector-dev-*", secretArnsNamedUnder(REGION, HUB, "observability/dev/self-hosted/ingest/"), REGION);
    const through = (secretArn: string) => ({ "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secretArn });
    const decrypt = (caller: PlannedRole, orgId: string, context: Record<string, string>, absent: string[] = []) =>
      ({ caller: roleSession(caller, "s", orgId), action: "kms:Decrypt", resource: key, resourcePolicy: asResource(keyStatement), context, absent } as AccessRequest);
    await allowed(SCOPE, decrypt(reader, ORG, through(secret)));
    // Not straight to KMS, not for a secret outside the prefix, not another role name, not outside the organisation.
    await denied(SCOPE, decrypt(reader, ORG, {}, ["kms:ViaService", "kms:EncryptionContext:SecretARN"]), "resource");
    await denied(SCOPE, decrypt(reader, ORG, through(`arn:aws:secretsmanager:${REGION}:${HUB}:secret:observability/dev/self-hosted/query-token-Ab12Cd`)), "resource");
    await denied(SCOPE, decrypt(other, ORG, through(secret)), "resource");
    await denied(SCOPE, decrypt(role("999999999999", "amp-collector-dev-payments", allowAll), "o-zzzzzzzzzz", through(secret)), "resource");
    // Another account's role of the same name is not the collector either.
    const foreign = role("999999999999", "amp-collector-dev-payments", allowAll);
    await denied(SCOPE, { caller: roleSession(foreign), action: "secretsmanager:GetSecretValue", resource: secret, resourcePolicy: asResource(secretReadableByRole(collector)) }, "resource");
    expect(secretReadableByRole(collector).Principal).to.deep.equal({ AWS: `arn:aws:iam::${WORKLOAD}:root` });
    expect(keyStatement.Sid).to.equal("Collectors");
  });

  it("allowListObjectsUnder, allowReadObjectsUnder and allowReadSecretsNamedUnder: exactly the prefixes, nothing beside them", async () => {
    const bucket = "arn:aws:s3:::hub-dev-config-111111111111";
    const sync = role(HUB, "prometheus-a-task", allowListObjectsUnder(bucket, ["prometheus/accounts/", "prometheus/rules/"]), allowReadObjectsUnder(bucket, ["prometheus/accounts/", "prometheus/rules/"]),
      ...allowReadSecretsNamedUnder(REGION, HUB, "observability/dev/self-hosted/ingest/", `arn:aws:kms:${REGION}:${HUB}:key/k`));
    // S3 ARNs carry no account, which the simulator needs: the S3 statements are checked as documents.
    expect(allowListObjectsUnder(bucket, ["prometheus/rules/", "prometheus/accounts/", "prometheus/rules/"])).to.deep.equal({
      Sid: "ListOwnConfigPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket, Condition: { StringLike: { "s3:prefix": ["prometheus/accounts/*", "prometheus/rules/*"] } },
    });
    expect(allowReadObjectsUnder(bucket, ["prometheus/rules/"])).to.deep.equal({ Sid: "ReadOwnConfigPrefixes", Effect: "Allow", Action: "s3:GetObject", Resource: [`${bucket}/prometheus/rules/*`] });
    const secret = (name: string) => `arn:aws:secretsmanager:${REGION}:${HUB}:secret:${name}-Ab12Cd`;
    await allowed(SCOPE, { caller: roleSession(sync), action: "secretsmanager:GetSecretValue", resource: secret("observability/dev/self-hosted/ingest/payments") });
    for (const name of ["observability/dev/self-hosted/query-token", "observability/dev/self-hosted/grafana-admin", "observability/prod/self-hosted/ingest/payments"]) {
      await denied(SCOPE, { caller: roleSession(sync), action: "secretsmanager:GetSecretValue", resource: secret(name) }, "identity");
    }
    expect(allowReadObjectsUnder(bucket, ["prometheus/rules/", "prometheus/rules/"]).Resource).to.deep.equal([`${bucket}/prometheus/rules/*`]);
    // One document for the same prefixes in any order.
    expect(allowReadObjectsUnder(bucket, ["prometheus/rules/", "prometheus/accounts/"])).to.deep.equal(allowReadObjectsUnder(bucket, ["prometheus/accounts/", "prometheus/rules/"]));
    // The key: only when Secrets Manager decrypts a secret under the prefix for the task.
    const key = `arn:aws:kms:${REGION}:${HUB}:key/k`;
    const decrypt = (context: Record<string, string>) => ({ caller: roleSession(sync), action: "kms:Decrypt", resource: key, resourcePolicy: delegating(HUB), context });
    const viaSecretsManager = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };
    await allowed(SCOPE, decrypt({ ...viaSecretsManager, "kms:EncryptionContext:SecretARN": secret("observability/dev/self-hosted/ingest/payments") }));
    await denied(SCOPE, decrypt({ ...viaSecretsManager, "kms:EncryptionContext:SecretARN": secret("observability/dev/self-hosted/grafana-admin") }), "identity");
    await denied(SCOPE, decrypt({ "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secret("observability/dev/self-hosted/ingest/payments") }), "identity");
    await denied(SCOPE, { ...decrypt({ ...viaSecretsManager, "kms:EncryptionContext:SecretARN": secret("observability/dev/self-hosted/ingest/payments") }), resource: `${key}-other` }, "identity");
  });

  it("secretReadableByRole: the role's own partition for the account principal, and no role ARN without an account", () => {
    const gov = "arn:aws-us-gov:iam::222222222222:role/collector";
    expect(secretReadableByRole(gov).Principal).to.deep.equal({ AWS: "arn:aws-us-gov:iam::222222222222:root" });
    expect(secretReadableByRole(gov).Condition).to.deep.equal({ ArnEquals: { "aws:PrincipalArn": gov } });
    expect(() => secretReadableByRole("arn:aws:iam::role/collector")).to.throw(/not a role ARN with an account id/);
  });

  it("allowReadIngestCredential: the one secret, and the key only through Secrets Manager in the secret's region", async () => {
    const secret = `arn:aws:secretsmanager:${REGION}:${HUB}:secret:ingest-Ab12Cd`;
    const key = `arn:aws:kms:${REGION}:${HUB}:key/k`;
    const collector = role(WORKLOAD, "collector", ...allowReadIngestCredential(secret, key));
    const viaSecretsManager = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };
    await allowed(SCOPE, { caller: roleSession(collector), action: "secretsmanager:GetSecretValue", resource: secret, resourcePolicy: delegating(WORKLOAD) });
    await denied(SCOPE, { caller: roleSession(collector), action: "secretsmanager:GetSecretValue", resource: `arn:aws:secretsmanager:${REGION}:${HUB}:secret:ingest-other-Zz99Yy`, resourcePolicy: delegating(WORKLOAD) }, "identity");
    await allowed(SCOPE, { caller: roleSession(collector), action: "kms:Decrypt", resource: key, resourcePolicy: delegating(WORKLOAD), context: viaSecretsManager });
    await denied(SCOPE, { caller: roleSession(collector), action: "kms:Decrypt", resource: key, resourcePolicy: delegating(WORKLOAD), context: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } }, "identity");
    await denied(SCOPE, { caller: roleSession(collector), action: "kms:Decrypt", resource: `arn:aws:kms:${REGION}:${HUB}:key/other`, resourcePolicy: delegating(WORKLOAD), context: viaSecretsManager }, "identity");
  });
});
