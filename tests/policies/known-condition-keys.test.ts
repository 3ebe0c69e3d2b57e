/**
 * known-condition-keys, case by case: what a key no request carries does to each kind of
 * operator, OIDC claims of the statement's own issuer, keys of another service or of only
 * some of the statement's actions, reviewed exceptions, and values unknown at preview.
 */
import { expect } from "chai";
import { PolicyStatement, policyDocument, policyJson } from "../../components/iam/policy-document";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { federatedIssuer, oidcClaimKey } from "../../policies/rules/known-condition-keys";
import { UNKNOWN } from "../../policies/analysis/unknown";
import { PackConfig } from "../../policies/config";
import { CASE_ACCOUNT, resource } from "./cases";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::111111111111:oidc-provider/${ISSUER}`;

function findings(statement: PolicyStatement | Record<string, unknown>, config?: PackConfig): PolicyViolation[] {
  const record = resource("aws:iam/policy:Policy", "under-test", { policy: policyJson(policyDocument(statement as PolicyStatement)) });
  return evaluateResources([record], { accountId: CASE_ACCOUNT, config }).filter((v) => v.policy === "known-condition-keys");
}

function trustFindings(statement: PolicyStatement): PolicyViolation[] {
  const record = resource("aws:iam/role:Role", "under-test", { assumeRolePolicy: policyJson(policyDocument(statement)) });
  return evaluateResources([record], { accountId: CASE_ACCOUNT }).filter((v) => v.policy === "known-condition-keys");
}

const publish = (condition: unknown): Record<string, unknown> => ({ Sid: "Publish", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC, Condition: condition });

describe("policy known-condition-keys", () => {
  it("says what a key no request carries does to each kind of operator", () => {
    const consequence = (operator: string) => {
      const [hit] = findings(publish({ [operator]: { "aws:SourceArns": TOPIC } }));
      expect(hit, operator).to.not.equal(undefined);
      expect(hit.enforcementLevel).to.equal("mandatory");
      return hit.message;
    };
    expect(consequence("StringEquals")).to.include("StringEquals is then never true, so the statement never applies");
    expect(consequence("ForAnyValue:StringEquals")).to.include("never true");
    expect(consequence("StringNotEquals")).to.include("the negated StringNotEquals is then always true, so the statement applies to every request");
    expect(consequence("ForAllValues:StringNotLike")).to.include("the negated ForAllValues:StringNotLike is then always true");
    expect(consequence("StringEqualsIfExists")).to.include("StringEqualsIfExists is then always true, so the condition is ignored");
    expect(consequence("ArnLikeIfExists")).to.include("is then always true, so the condition is ignored");
    expect(consequence("Null")).to.include("Null then always sees the key as absent");
    expect(consequence("NullX")).to.include("never true");
  });

  it("suggests the closest key, keeping a tag key's variable part", () => {
    expect(findings(publish({ StringEquals: { "aws:SourceArns": TOPIC } }))[0].message).to.include('use "aws:SourceArn"');
    expect(findings(publish({ StringEquals: { "aws:PrincipleTag/team": "a" } }))[0].message).to.include('use "aws:PrincipalTag/team"');
  });

  it("accepts the reviewed exceptions of allowedConditionKeys in any case", () => {
    const statement = publish({ StringEquals: { "sns:NewKeyFromTheFuture": "x" } });
    expect(findings(statement)).to.have.length(1);
    expect(findings(statement, { "known-condition-keys": { allowedConditionKeys: ["SNS:newkeyfromthefuture"] } })).to.deep.equal([]);
    expect(findings(statement, { "known-condition-keys": { allowedConditionKeys: ["sns:OtherKey"] } })).to.have.length(1);
  });

  it("reports a condition or operator block unknown at preview as advisory, and skips absent ones", () => {
    const unknownCondition = findings(publish(UNKNOWN));
    expect(unknownCondition.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
    const unknownBlock = findings(publish({ StringEquals: UNKNOWN, StringLike: { "aws:SourceArns": "x" } }));
    expect(unknownBlock.map((v) => v.enforcementLevel).sort()).to.deep.equal(["advisory", "mandatory"]);
    expect(findings(publish(null))).to.deep.equal([]);
    expect(findings(publish({ StringEquals: null, StringLike: "text", Bool: { "aws:SecureTransport": "true" } }))).to.deep.equal([]);
  });

  describe("OIDC claims", () => {
    const assume = (condition: Record<string, unknown>, principal: unknown = { Federated: PROVIDER }): PolicyStatement =>
      ({ Sid: "Irsa", Effect: "Allow", Principal: principal, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition } as PolicyStatement);

    it("accepts the claims of the statement's own issuer, in any case", () => {
      expect(trustFindings(assume({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:a:b", [`${ISSUER.toUpperCase()}:aud`]: "sts.amazonaws.com" } }))).to.deep.equal([]);
      expect(trustFindings(assume({ StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:pool" } }, { Federated: "cognito-identity.amazonaws.com" }))).to.deep.equal([]);
    });

    it("refuses the claim of another issuer, naming the statement's own, or of no Federated principal at all", () => {
      const other = trustFindings(assume({ StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/OTHER:sub": "system:serviceaccount:a:b" } }));
      expect(other.map((v) => v.enforcementLevel)).to.deep.equal(["mandatory"]);
      expect(other[0].message).to.include(`the statement's Federated principal is ${ISSUER}`);
      const none = trustFindings(assume({ StringEquals: { [`${ISSUER}:sub`]: "x" } }, { AWS: "arn:aws:iam::111111111111:root" }));
      expect(none.map((v) => v.message).join()).to.include("the statement has no Federated principal for that issuer");
    });

    it("reports a Federated principal unknown at preview as advisory", () => {
      expect(trustFindings(assume({ StringEquals: { [`${ISSUER}:sub`]: "x" } }, { Federated: UNKNOWN })).map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
    });

    it("reads claim keys and issuers by their whole shape", () => {
      expect(oidcClaimKey(`${ISSUER}:sub`)).to.deep.equal({ issuer: ISSUER, claim: "sub" });
      expect(oidcClaimKey("accounts.google.com:AMR")).to.deep.equal({ issuer: "accounts.google.com", claim: "amr" });
      for (const key of ["sub", "localhost:sub", `${ISSUER}:email`, "aws:sub:x", "https://accounts.google.com:sub"]) expect(oidcClaimKey(key), key).to.equal(undefined);
      expect(federatedIssuer(PROVIDER)).to.equal(ISSUER);
      expect(federatedIssuer("arn:aws-cn:iam::111111111111:oidc-provider/issuer.example/x")).to.equal("issuer.example/x");
      expect(federatedIssuer("arn:aws:iam::111111111111:saml-provider/corp")).to.equal(undefined);
      expect(federatedIssuer(`prefix ${PROVIDER}`)).to.equal(`prefix ${PROVIDER}`);
      expect(federatedIssuer("cognito-identity.amazonaws.com")).to.equal("cognito-identity.amazonaws.com");
    });
  });

  describe("service keys and the statement's actions", () => {
    const statement = (action: unknown, condition: Record<string, unknown>, resourceArn = "*") =>
      ({ Sid: "S", Effect: "Allow", Action: action, Resource: resourceArn, Condition: condition });

    it("refuses a key of another service, naming both", () => {
      const [hit] = findings(statement("sqs:SendMessage", { StringLike: { "s3:prefix": "logs/" } }, "arn:aws:sqs:eu-west-1:111111111111:q"));
      expect(hit.message).to.include('is a condition key of s3, but the statement\'s actions are of sqs');
      expect(hit.message).to.include("so no request for them carries it");
    });

    it("names only the actions that lack a key of their own service, and accepts it with ...IfExists or Null", () => {
      const key = { "s3:prefix": "logs/" };
      const [hit] = findings(statement(["s3:ListBucket", "s3:GetObject"], { StringLike: key }));
      expect(hit.message).to.include("is not a condition key of s3:GetObject in the reference");
      expect(hit.message).to.include("so a request for s3:GetObject carries it");
      expect(findings(statement(["s3:ListBucket", "s3:GetObject"], { StringLikeIfExists: key }))).to.deep.equal([]);
      expect(findings(statement(["s3:ListBucket", "s3:GetObject"], { Null: { "s3:prefix": "false" } }))).to.deep.equal([]);
      expect(findings(statement("s3:ListBucket", { StringLike: key }))).to.deep.equal([]);
      // A foreign key stays refused even with IfExists: no action of the statement ever carries it.
      expect(findings(statement("sqs:SendMessage", { StringLikeIfExists: key }))).to.have.length(1);
    });

    it("leaves `*`, actions the reference does not know, and NotAction statements to other policies", () => {
      expect(findings(statement("*", { StringLike: { "s3:prefix": "x" } }))).to.deep.equal([]);
      expect(findings(statement("s3:NoSuchAction", { StringLike: { "s3:prefix": "x" } }))).to.deep.equal([]);
      expect(findings({ Sid: "N", Effect: "Deny", NotAction: "s3:ListBucket", Resource: "*", Condition: { StringLike: { "s3:prefix": "x" } } })).to.deep.equal([]);
    });

    it("reports an action unknown at preview as advisory", () => {
      expect(findings(statement(["s3:ListBucket", UNKNOWN], { StringLike: { "s3:prefix": "x" } })).map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
    });
  });

  describe("what a finding names", () => {
    const statement = (action: unknown, key: string, extra: Record<string, unknown> = {}) => ({ Sid: "S", Effect: "Allow", Action: action, Resource: "*", Condition: { StringEquals: { [key]: "x" } }, ...extra });
    const message = (violations: PolicyViolation[]) => {
      expect(violations).to.have.length(1);
      return violations[0].message;
    };
    it("names the actions that lack a key of their own service, and the services of a foreign key", () => {
      expect(message(findings(statement(["iam:GetRole", "iam:ListRoles", "iam:PassRole"], "iam:PassedToService")))).to.include(
        'statement "S": condition key "iam:PassedToService" (StringEquals) is not a condition key of iam:GetRole, iam:ListRoles in the reference, so a request for iam:GetRole, iam:ListRoles carries it: ',
      );
      expect(message(findings(statement(["sns:Publish", "sqs:SendMessage"], "sts:ExternalId")))).to.include(
        '"sts:ExternalId" (StringEquals) is a condition key of sts, but the statement\'s actions are of sns, sqs, so no request for them carries it: ',
      );
      expect(findings(statement("iam:P*", "iam:PassedToService"))).to.deep.equal([]);
    });
    it("leaves `*:Get*` among the actions, actions the reference does not know, and NotAction to other policies", () => {
      expect(findings(statement(["sns:Publish", "*:Get*"], "sts:ExternalId"))).to.deep.equal([]);
      expect(findings(statement("sns:Pubilsh", "sts:ExternalId"))).to.deep.equal([]);
      expect(findings({ Sid: "S", Effect: "Allow", NotAction: "sns:Publish", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "x" } } })).to.deep.equal([]);
      expect(findings({ ...publish({}), Condition: null })).to.deep.equal([]);
    });
    it("suggests a key of the prefix's service, a close key for a mistyped variable key, or says to correct it", () => {
      expect(message(findings(statement("sns:Subscribe", "sns:Protocoll")))).to.include('is neither a global condition key nor defined by any service in the reference, so no request carries it: ').and.include('Fix: use "sns:Protocol";');
      expect(message(findings(statement("sns:Publish", "aws:SourceAr/x")))).to.include('Fix: use "aws:SourceArn";');
      for (const key of ["zzzz:qqqqqqqqqq", "aws:Xyzzyqwerty/team"]) expect(message(findings(statement("sns:Publish", key))), key).to.include("Fix: correct the key;");
    });
    it("names the Federated principals a claim's issuer is not, or says there is none for it", () => {
      const trust = (federated: unknown) => trustFindings({ Sid: "S", Effect: "Allow", Principal: { Federated: federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ISSUER}:sub`]: "x" } } } as PolicyStatement);
      expect(message(trust(["arn:aws:iam::111111111111:oidc-provider/a.example.com", "cognito-identity.amazonaws.com"]))).to.include(
        `is the "sub" claim of OIDC issuer ${ISSUER}, but the statement's Federated principal is a.example.com, cognito-identity.amazonaws.com, so no request carries it`,
      );
      expect(message(trust("arn:aws:iam::111111111111:saml-provider/corp"))).to.include("but the statement has no Federated principal for that issuer, so no request carries it");
    });
  });
});
