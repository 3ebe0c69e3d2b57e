/**
 * The pack's reading of the policy language, unit by unit: ARN patterns against the
 * reference's ARN formats, action globs, principals and their accounts, role names, and which
 * conditions restrict a statement or pin its caller.
 */
import { expect } from "chai";
import { PolicyStatement } from "../../components/iam/policy-document";
import { arnFitsFormat } from "../../policies/analysis/arn-shape";
import {
  accountOfPrincipal, actionPatternMatches, conditionEntries, globRegex, hasWildcard, isExactRoleArn, pinnedBy, principalEntries,
  restricts, roleName, serviceOf, statementLabel, strings,
} from "../../policies/analysis/statements";
import { UNKNOWN } from "../../policies/analysis/unknown";

const WORKSPACE_FORMAT = "arn:${Partition}:aps:${Region}:${Account}:workspace/${WorkspaceId}";
const LOG_STREAM_FORMAT = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
const BUCKET_FORMAT = "arn:${Partition}:s3:::${BucketName}";

describe("policy analysis: ARN patterns against the reference's formats", () => {
  it("fits a policy ARN, exact or with wildcards, to the format of its resource type", () => {
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:workspace/ws-1", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:aps:*:111111111111:workspace/*", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:aps:eu-west-?:111111111111:workspace/ws-1", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("ARN:AWS:APS:eu-west-1:111111111111:WORKSPACE/ws-1", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/x:log-stream:2026/01/01", LOG_STREAM_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:s3:::my-bucket", BUCKET_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:iam::111111111111:role/${aws:username}", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")).to.equal(true);
  });

  it("refuses another service, another resource type, a missing variable part, or a colon inside a segment", () => {
    expect(arnFitsFormat("arn:aws:sqs:eu-west-1:111111111111:workspace/ws-1", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:rulegroupsnamespace/ws-1/x", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:workspace/", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:workspace", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:workspacex/ws-1", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1", WORKSPACE_FORMAT)).to.equal(false);
  });

  it("lets a wildcard span the segments a short pattern leaves out", () => {
    expect(arnFitsFormat("arn:aws:aps:*", WORKSPACE_FORMAT)).to.equal(true);
    // The segments before the wildcard are still compared one by one: ${Partition} is never "aws:sqs".
    expect(arnFitsFormat("arn:aws:sqs:*", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:*", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:*", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws-cn:*", WORKSPACE_FORMAT)).to.equal(true);
    expect(arnFitsFormat("arn:aws", WORKSPACE_FORMAT)).to.equal(false);
    expect(arnFitsFormat("*", WORKSPACE_FORMAT)).to.equal(true);
  });

  it("reads ? as one character of the policy, a policy variable as any text, and the format's own characters literally", () => {
    const literal = "arn:aws:s3:::abc";
    expect(arnFitsFormat("arn:aws:s3:::a?c", literal)).to.equal(true);
    expect(arnFitsFormat("arn:aws:s3:::a?c", "arn:aws:s3:::ac")).to.equal(false);
    expect(arnFitsFormat(literal, "arn:aws:s3:::a?c")).to.equal(false);
    expect(arnFitsFormat(literal, "arn:aws:s3:::a*")).to.equal(false);
    expect(arnFitsFormat("arn:aws:s3:::logs/${aws:username}", "arn:aws:s3:::logs/")).to.equal(true);
    // Braces and dollars that open no variable are characters like any other.
    expect(arnFitsFormat("arn:aws:s3:::x{b}c", "arn:aws:s3:::yc")).to.equal(false);
    expect(arnFitsFormat("arn:aws:s3:::a$b}c", "arn:aws:s3:::aXc")).to.equal(false);
    expect(arnFitsFormat("arn:aws:s3:::a${b", "arn:aws:s3:::a${b")).to.equal(true);
    expect(arnFitsFormat("arn:aws:s3:::a${b", "arn:aws:s3:::aXb")).to.equal(false);
  });

  it("spans the format's remaining segments with the last part of a short pattern, which needs a *", () => {
    const format = "arn:aws:aps:eu-west-1:111111111111:workspace/ws-1";
    expect(arnFitsFormat("arn:aws:aps:*ws-1", format)).to.equal(true);
    expect(arnFitsFormat("arn:aws:aps:eu-*ws-1", format)).to.equal(true);
    expect(arnFitsFormat("arn:aws:aps:eu-*ws-2", format)).to.equal(false);
    expect(arnFitsFormat("arn:aws:aps:eu-west-1?111111111111?workspace/ws-1", format)).to.equal(false);
  });

  it("judges a resource ARN as long as a whole inline-policy quota without exhausting the stack", () => {
    const long = `arn:aws:s3:::bucket/${"k".repeat(10_000)}`;
    expect(arnFitsFormat(long, "arn:${Partition}:s3:::${BucketName}/${ObjectName}")).to.equal(true);
    expect(arnFitsFormat(long, WORKSPACE_FORMAT)).to.equal(false);
  });

  it("gives the same answer when asked again", () => {
    for (let i = 0; i < 2; i++) {
      expect(arnFitsFormat("arn:aws:aps:eu-west-1:111111111111:workspace/ws-1", WORKSPACE_FORMAT)).to.equal(true);
      expect(arnFitsFormat("arn:aws:sqs:eu-west-1:111111111111:q", WORKSPACE_FORMAT)).to.equal(false);
    }
  });
});

describe("policy analysis: statements", () => {
  it("matches action globs case-insensitively, whole and with regex characters taken literally", () => {
    expect(actionPatternMatches("sqs:Send*", "SQS:SendMessageBatch")).to.equal(true);
    expect(actionPatternMatches("sqs:Send?essage", "sqs:SendMessage")).to.equal(true);
    expect(actionPatternMatches("sqs:Send", "sqs:SendMessage")).to.equal(false);
    expect(actionPatternMatches("sqs:SendMessage", "xsqs:SendMessage")).to.equal(false);
    expect(actionPatternMatches("a.b", "axb")).to.equal(false);
    expect(actionPatternMatches("a(b)", "a(b)")).to.equal(true);
    expect(globRegex("x*").source).to.equal("^x.*$");
    expect(hasWildcard("a?")).to.equal(true);
    expect(hasWildcard("a*")).to.equal(true);
    expect(hasWildcard("a")).to.equal(false);
    expect(serviceOf("SQS:SendMessage")).to.equal("sqs");
    expect(serviceOf("SQS")).to.equal("sqs");
  });

  it("labels a statement by its Sid, or by its index when it has none", () => {
    expect(statementLabel({ Sid: "Send", Effect: "Allow" }, 2)).to.equal('statement "Send"');
    expect(statementLabel({ Sid: "", Effect: "Allow" }, 2)).to.equal("Statement[2] (no Sid)");
    expect(statementLabel({ Effect: "Allow" }, 0)).to.equal("Statement[0] (no Sid)");
  });

  it("reads principals of every kind, an unknown one as an AWS principal", () => {
    expect(principalEntries("*")).to.deep.equal([{ kind: "*", value: "*" }]);
    expect(principalEntries(undefined)).to.deep.equal([]);
    expect(principalEntries(UNKNOWN as never)).to.deep.equal([{ kind: "AWS", value: UNKNOWN }]);
    expect(principalEntries({ AWS: ["a", "b"], Service: "s", Federated: "f", CanonicalUser: "c" })).to.deep.equal([
      { kind: "AWS", value: "a" }, { kind: "AWS", value: "b" }, { kind: "Service", value: "s" }, { kind: "Federated", value: "f" }, { kind: "CanonicalUser", value: "c" },
    ]);
    expect(strings(["a", 1, "b"])).to.deep.equal(["a", "b"]);
    expect(strings(UNKNOWN)).to.deep.equal([UNKNOWN]);
  });

  it("finds the account of a principal given as an id, an IAM or an STS ARN", () => {
    expect(accountOfPrincipal("111111111111")).to.equal("111111111111");
    expect(accountOfPrincipal("arn:aws:iam::111111111111:root")).to.equal("111111111111");
    expect(accountOfPrincipal("arn:aws-cn:sts::111111111111:assumed-role/r/s")).to.equal("111111111111");
    for (const value of ["1111111111112", "x111111111111", "arn:aws:s3::111111111111:x", "arn:aws:iam::1111:root", "prefix arn:aws:iam::111111111111:root"]) {
      expect(accountOfPrincipal(value), value).to.equal(undefined);
    }
  });

  it("reads a role's name from its ARN, path included, and knows an exact role ARN", () => {
    expect(roleName("arn:aws:iam::111111111111:role/team/app/collector")).to.equal("collector");
    expect(roleName("arn:aws:iam::111111111111:role/collector")).to.equal("collector");
    expect(roleName("collector")).to.equal("collector");
    expect(isExactRoleArn("arn:aws:iam::111111111111:role/collector")).to.equal(true);
    for (const value of ["arn:aws:iam::111111111111:role/coll*", "arn:aws:iam::111111111111:role/", "arn:aws:iam::111111111111:user/u", "x arn:aws:iam::111111111111:role/r", "arn:aws:iam::1111:role/r"]) {
      expect(isExactRoleArn(value), value).to.equal(false);
    }
  });

  it("knows which conditions restrict: positive operators with real values, not negations, IfExists, ForAllValues or Null", () => {
    const entry = (operator: string, values: string[] = ["x"]) => ({ operator, key: "aws:SourceAccount", values });
    for (const operator of ["StringEquals", "ForAnyValue:StringLike", "ArnLike", "NumericEquals"]) expect(restricts(entry(operator)), operator).to.equal(true);
    for (const operator of ["StringNotEquals", "ArnNotLike", "NotIpAddress", "NumericNotEquals", "Null", "Bool", "BinaryEquals", "StringEqualsIfExists", "ForAnyValue:StringEqualsIfExists", "ForAllValues:StringEquals"]) {
      expect(restricts(entry(operator)), operator).to.equal(false);
    }
    expect(restricts(entry("StringEquals", []))).to.equal(false);
    expect(restricts(entry("StringLike", ["*"]))).to.equal(false);
    expect(restricts(entry("StringLike", ["a*", "?"]))).to.equal(false);
    expect(restricts(entry("StringLike", [UNKNOWN]))).to.equal(true);
    expect(restricts(entry("NullX"))).to.equal(true);
  });

  it("reads condition entries, skipping blocks that are not objects", () => {
    const statement = { Effect: "Allow", Condition: { StringEquals: { a: "1", b: ["2", "3"] }, Bool: null, ArnLike: "x" } } as unknown as PolicyStatement;
    expect(conditionEntries(statement)).to.deep.equal([{ operator: "StringEquals", key: "a", values: ["1"] }, { operator: "StringEquals", key: "b", values: ["2", "3"] }]);
    expect(conditionEntries({ Effect: "Allow" })).to.deep.equal([]);
    expect(conditionEntries({ Effect: "Allow", Condition: "text" } as unknown as PolicyStatement)).to.deep.equal([]);
  });

  it("pinnedBy: yes for a restricting condition on a wanted key (any case), unknown when only unknown values could pin, else no", () => {
    const statement = (condition: unknown) => ({ Effect: "Allow", Condition: condition } as unknown as PolicyStatement);
    const keys = ["aws:PrincipalArn"];
    expect(pinnedBy(statement({ ArnEquals: { "AWS:PRINCIPALARN": "arn:aws:iam::1:role/r" } }), keys)).to.equal("yes");
    expect(pinnedBy(statement({ ArnEquals: { "aws:SourceArn": "arn:aws:iam::1:role/r" } }), keys)).to.equal("no");
    expect(pinnedBy(statement({ ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::1:role/r" } }), keys)).to.equal("no");
    expect(pinnedBy(statement({ ArnEquals: { "aws:PrincipalArn": UNKNOWN } }), keys)).to.equal("unknown");
    expect(pinnedBy(statement(UNKNOWN), keys)).to.equal("unknown");
    expect(pinnedBy(statement({ ArnEquals: { "aws:PrincipalArn": UNKNOWN }, ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1:role/r" } }), keys)).to.equal("yes");
    const noWildcard = (value: string) => !hasWildcard(value);
    expect(pinnedBy(statement({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1:role/*" } }), keys, noWildcard)).to.equal("no");
    expect(pinnedBy(statement(undefined), keys)).to.equal("no");
  });
});
