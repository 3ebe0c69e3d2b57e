/**
 * no-wildcard-actions and no-wildcard-resource, case by case: what counts as a whole-service
 * wildcard, the default key policy that only delegates to the own account, reviewed
 * exceptions, Deny statements, Lambda permissions and values unknown at preview.
 */
import { expect } from "chai";
import { PolicyStatement, policyDocument, policyJson } from "../../components/iam/policy-document";
import { PackConfig } from "../../policies/config";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { isServiceWideWildcard } from "../../policies/rules/no-wildcard-actions";
import { classifyAction } from "../../policies/analysis/reference";
import { UNKNOWN } from "../../policies/analysis/unknown";
import { CASE_ACCOUNT, resource } from "./cases";

const OTHER = "333333333333";
const KEY = "aws:kms/key:Key";

function of(policy: string, record: ReturnType<typeof resource>, options: { accountId?: string; config?: PackConfig } = { accountId: CASE_ACCOUNT }): PolicyViolation[] {
  return evaluateResources([record], options).filter((v) => v.policy === policy);
}
const identity = (...statements: Array<Record<string, unknown>>) =>
  resource("aws:iam/policy:Policy", "under-test", { policy: policyJson(policyDocument(...(statements as unknown as PolicyStatement[]))) });
const keyPolicy = (...statements: Array<Record<string, unknown>>) =>
  resource(KEY, "under-test", { policy: policyJson(policyDocument(...(statements as unknown as PolicyStatement[]))) });
const levels = (violations: PolicyViolation[]) => violations.map((v) => v.enforcementLevel);

describe("policy no-wildcard-actions", () => {
  it("isServiceWideWildcard: every action, a whole service, or a wildcard service; not a narrower pattern", () => {
    for (const action of ["*", " * ", "sqs:*", "sqs:**", "*:Get*", "s?s:SendMessage", "s*", "?"]) expect(isServiceWideWildcard(action), action).to.equal(true);
    for (const action of ["sqs:Send*", "sqs:SendMessage", "sqs", "logs:Describe*"]) expect(isServiceWideWildcard(action), action).to.equal(false);
  });

  it("names what the wildcard grants and an example action of the service", () => {
    const [everything] = of("no-wildcard-actions", identity({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }));
    expect(everything.message).to.include("grants every action of every AWS service");
    expect(everything.message).to.include('e.g. "sts:AssumeRole"');
    const [service] = of("no-wildcard-actions", identity({ Sid: "Sqs", Effect: "Allow", Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:111111111111:q" }));
    expect(service.message).to.include("grants every sqs action, including ones added later");
    expect(service.message).to.include('e.g. "sqs:SendMessage"');
    const [unlisted] = of("no-wildcard-actions", identity({ Sid: "Ec2", Effect: "Allow", Action: "ec2:*", Resource: "*" }));
    expect(unlisted.message).to.include('e.g. "ec2:<Action>"');
    const [wildService] = of("no-wildcard-actions", identity({ Sid: "Get", Effect: "Allow", Action: "*:Get*", Resource: "*" }));
    expect(wildService.message).to.include("every action of every AWS service");
  });

  it("accepts a reviewed exception in any case, skips Deny, and reports an unknown action as advisory", () => {
    const statement = { Sid: "Describe", Effect: "Allow", Action: "ec2:*", Resource: "*" };
    expect(of("no-wildcard-actions", identity(statement), { accountId: CASE_ACCOUNT, config: { "no-wildcard-actions": { allowedActions: ["EC2:*"] } } })).to.deep.equal([]);
    expect(of("no-wildcard-actions", identity({ ...statement, Effect: "Deny" }))).to.deep.equal([]);
    expect(levels(of("no-wildcard-actions", identity({ Sid: "Later", Effect: "Allow", Action: [UNKNOWN], Resource: "*" })))).to.deep.equal(["advisory"]);
  });

  it("names the Lambda permission's own argument", () => {
    const permission = resource("aws:lambda/permission:Permission", "any", { function: "notifier", action: "lambda:*", principal: "sns.amazonaws.com", sourceArn: "arn:aws:sns:eu-west-1:111111111111:t" });
    expect(of("no-wildcard-actions", permission)[0].message).to.include('Allow with action "lambda:*"');
  });

  describe("a key policy that only delegates to its own account (the default KMS key policy)", () => {
    const delegate = (principal: unknown) => keyPolicy({ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: principal, Action: "kms:*", Resource: "*" });

    it("is accepted for the own account's root or account id", () => {
      expect(of("no-wildcard-actions", delegate({ AWS: `arn:aws:iam::${CASE_ACCOUNT}:root` }))).to.deep.equal([]);
      expect(of("no-wildcard-actions", delegate({ AWS: CASE_ACCOUNT }))).to.deep.equal([]);
    });

    it("is refused in a trust policy, and without any principal", () => {
      const ownRoot = { AWS: `arn:aws:iam::${CASE_ACCOUNT}:root` };
      const trust = resource("aws:iam/role:Role", "under-test", { assumeRolePolicy: policyJson(policyDocument({ Sid: "Own", Effect: "Allow", Principal: ownRoot, Action: "sts:*" } as unknown as PolicyStatement)) });
      expect(levels(of("no-wildcard-actions", trust))).to.deep.equal(["mandatory"]);
      expect(levels(of("no-wildcard-actions", keyPolicy({ Sid: "NoPrincipal", Effect: "Allow", Action: "kms:*", Resource: "*" })))).to.deep.equal(["mandatory"]);
    });

    it("is refused for another account, a role of the own account, a mix, a service, or when the owner is unknown", () => {
      expect(levels(of("no-wildcard-actions", delegate({ AWS: `arn:aws:iam::${OTHER}:root` })))).to.deep.equal(["mandatory"]);
      expect(levels(of("no-wildcard-actions", delegate({ AWS: `arn:aws:iam::${CASE_ACCOUNT}:role/admin` })))).to.deep.equal(["mandatory"]);
      expect(levels(of("no-wildcard-actions", delegate({ AWS: [`arn:aws:iam::${CASE_ACCOUNT}:root`, `arn:aws:iam::${OTHER}:root`] })))).to.deep.equal(["mandatory"]);
      expect(levels(of("no-wildcard-actions", delegate({ Service: "sns.amazonaws.com" })))).to.deep.equal(["mandatory"]);
      expect(levels(of("no-wildcard-actions", delegate({ AWS: `arn:aws:iam::${CASE_ACCOUNT}:root` }), {}))).to.deep.equal(["mandatory"]);
      // In an identity policy nothing is delegated: the statement itself grants.
      expect(levels(of("no-wildcard-actions", identity({ Sid: "Kms", Effect: "Allow", Action: "kms:*", Resource: "*" })))).to.deep.equal(["mandatory"]);
    });
  });
});

describe("policy no-wildcard-resource", () => {
  const judge = (statement: Record<string, unknown>, config?: PackConfig) => of("no-wildcard-resource", identity(statement), { accountId: CASE_ACCOUNT, config });

  it("refuses * and ARNs that are * in every part that names the resource, for actions that take a resource", () => {
    for (const arn of ["*", " * ", "arn:aws:sqs:*:*:*", "arn:aws:sqs:eu-west-1::*", "arn:aws:s3:::*/*"]) {
      expect(levels(judge({ Sid: "Send", Effect: "Allow", Action: "sqs:SendMessage", Resource: arn })), arn).to.deep.equal(["mandatory"]);
    }
    for (const arn of ["arn:aws:sqs:eu-west-1:111111111111:*", "arn:aws:sqs:*:111111111111:queue", "not-an-arn:*:*:*:*:*", "arn:aws:sqs"]) {
      expect(judge({ Sid: "Send", Effect: "Allow", Action: "sqs:SendMessage", Resource: arn }), arn).to.deep.equal([]);
    }
  });

  it("accepts * for actions that take no resource, and for reviewed exceptions; skips Deny", () => {
    expect(judge({ Sid: "List", Effect: "Allow", Action: "sqs:ListQueues", Resource: "*" })).to.deep.equal([]);
    expect(judge({ Sid: "Deny", Effect: "Deny", Action: "sqs:SendMessage", Resource: "*" })).to.deep.equal([]);
    expect(judge({ Sid: "Send", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }, { "no-wildcard-resource": { starOnlyActions: ["SQS:SendMessage"] } })).to.deep.equal([]);
  });

  it("names an action or the pattern's actions that take a resource", () => {
    const [single] = judge({ Sid: "Send", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" });
    expect(single.message).to.include("sqs:SendMessage");
    const [pattern] = judge({ Sid: "Gets", Effect: "Allow", Action: "sqs:Get*", Resource: "*" });
    expect(pattern.message).to.include("sqs:Get*");
    expect(pattern.message).to.match(/sqs:Get(QueueAttributes|QueueUrl)/);
  });

  it("shows a literal action as written, a pattern with the first three actions it covers, each action of the statement", () => {
    const star = (action: unknown) => of("no-wildcard-resource", identity({ Sid: "Star", Effect: "Allow", Action: action, Resource: "*" }));
    expect(star(["SNS:publish", "sqs:SendMessage"])[0].message).to.match(/^policy, statement "Star": Resource "\*" on actions that accept resource ARNs \(SNS:publish, sqs:SendMessage\)\. Fix: name the resources/);
    const covered = classifyAction("aps:Get*").resourceLevelMatches;
    expect(covered.length).to.be.greaterThan(3);
    expect(star("aps:Get*")[0].message).to.include(`(aps:Get* (covers ${covered.slice(0, 3).join(", ")} and ${covered.length - 3} more with resource types))`);
    const three = classifyAction("logs:Describe*").resourceLevelMatches;
    expect(three).to.have.length(3);
    expect(star("logs:Describe*")[0].message).to.include(`(logs:Describe* (covers ${three.join(", ")}))`);
  });

  it("reports an unknown resource or action as advisory", () => {
    expect(levels(judge({ Sid: "R", Effect: "Allow", Action: "sqs:SendMessage", Resource: UNKNOWN }))).to.deep.equal(["advisory"]);
    expect(levels(judge({ Sid: "A", Effect: "Allow", Action: [UNKNOWN], Resource: "*" }))).to.deep.equal(["advisory"]);
  });
});
