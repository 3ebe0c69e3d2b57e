/**
 * Which IAM documents the pack finds in each resource type, and how it reads them: JSON text
 * or objects, values unknown at preview, missing or malformed parts, and the statement a
 * Lambda permission stands for.
 */
import { expect } from "chai";
import { policyDocument, policyJson } from "../../components/iam/policy-document";
import { readDocuments } from "../../policies/analysis/documents";
import { ENGINE_UNKNOWN_STRING, UNKNOWN } from "../../policies/analysis/unknown";
import { resource } from "./cases";

const statement = { Sid: "Send", Effect: "Allow" as const, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111111111111:q" };
const document = policyDocument(statement);

const summary = (record: ReturnType<typeof resource>) =>
  readDocuments(record).map((read) => [read.site.role, read.site.property, read.status, read.status === "ok" ? read.document.Statement.length : read.status === "invalid" ? read.error : ""]);

describe("policy analysis: reading documents", () => {
  it("reads a policy as JSON text or as an object, and skips an absent or empty one", () => {
    for (const policy of [policyJson(document), document]) {
      const [read] = readDocuments(resource("aws:sqs/queuePolicy:QueuePolicy", "q", { policy }));
      expect(read.status).to.equal("ok");
      expect(read.site).to.deep.equal({ role: "resource", property: "policy" });
      expect(read.status === "ok" && read.document.Statement).to.deep.equal([statement]);
    }
    for (const policy of [undefined, null, ""]) expect(readDocuments(resource("aws:sqs/queue:Queue", "q", { policy }))).to.deep.equal([]);
    expect(readDocuments(resource("aws:s3/bucket:Bucket", "b", { policy: policyJson(document) }))).to.deep.equal([]);
  });

  it("reads a value unknown at preview as unknown, and text that is no JSON as unknown only when it holds an unknown value", () => {
    expect(summary(resource("aws:iam/policy:Policy", "p", { policy: UNKNOWN }))).to.deep.equal([["identity", "policy", "unknown", ""]]);
    // An output interpolated into the text leaves it unparseable until deploy.
    expect(summary(resource("aws:iam/policy:Policy", "p", { policy: `{"Statement":[${UNKNOWN}]}` }))).to.deep.equal([["identity", "policy", "unknown", ""]]);
    expect(summary(resource("aws:iam/policy:Policy", "p", { policy: `{"Statement":[${ENGINE_UNKNOWN_STRING}]}` }))).to.deep.equal([["identity", "policy", "unknown", ""]]);
    const [broken] = readDocuments(resource("aws:iam/policy:Policy", "p", { policy: `{"Statement":[` }));
    expect(broken.status).to.equal("invalid");
    // A parseable text keeps its unknown values for the statements to judge.
    expect(summary(resource("aws:iam/policy:Policy", "p", { policy: `{"Version":"2012-10-17","Statement":[{"Resource":"${UNKNOWN}"}]}` }))).to.deep.equal([["identity", "policy", "ok", 1]]);
  });

  it("reads a role's trust policy and every inline policy, skipping empty ones", () => {
    const role = resource("aws:iam/role:Role", "r", {
      assumeRolePolicy: policyJson(document),
      inlinePolicies: [{ name: "a", policy: policyJson(document) }, { name: "empty", policy: "" }, { name: "none" }, null, { name: "b", policy: document }],
    });
    expect(summary(role)).to.deep.equal([
      ["trust", "assumeRolePolicy", "ok", 1],
      ["identity", "inlinePolicies[0].policy", "ok", 1],
      ["identity", "inlinePolicies[4].policy", "ok", 1],
    ]);
  });

  it("reports a role's missing trust policy and a malformed inline list as invalid, and unknown parts as unknown", () => {
    expect(summary(resource("aws:iam/role:Role", "r", {}))).to.deep.equal([["trust", "assumeRolePolicy", "invalid", "assumeRolePolicy is missing"]]);
    const listUnknown = summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: document, inlinePolicies: UNKNOWN }));
    expect(listUnknown).to.deep.equal([["trust", "assumeRolePolicy", "ok", 1], ["identity", "inlinePolicies", "unknown", ""]]);
    const notAList = summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: document, inlinePolicies: { name: "a" } }));
    expect(notAList[1]).to.deep.equal(["identity", "inlinePolicies", "invalid", "inlinePolicies is not a list"]);
    expect(summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: null }))).to.deep.equal([["trust", "assumeRolePolicy", "invalid", "assumeRolePolicy is missing"]]);
    // An entry whose policy is empty declares no inline policy.
    expect(summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: document, inlinePolicies: [{ name: "none", policy: "" }, { name: "a", policy: document }] })))
      .to.deep.equal([["trust", "assumeRolePolicy", "ok", 1], ["identity", "inlinePolicies[1].policy", "ok", 1]]);
    // A document object that cannot be read is invalid, never unknown.
    expect(summary(resource("aws:sqs/queuePolicy:QueuePolicy", "q", { policy: { Version: "2012-10-17" } }))).to.deep.equal([["resource", "policy", "invalid", "IAM policy document has no Statement"]]);
    const entryUnknown = summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: document, inlinePolicies: [UNKNOWN] }));
    expect(entryUnknown[1]).to.deep.equal(["identity", "inlinePolicies[0].policy", "unknown", ""]);
    expect(summary(resource("aws:iam/role:Role", "r", { assumeRolePolicy: document, inlinePolicies: null }))).to.have.length(1);
  });

  describe("a Lambda permission, read as the resource policy statement it adds", () => {
    const permission = (inputs: Record<string, unknown>) => readDocuments(resource("aws:lambda/permission:Permission", "p", { function: "notifier", ...inputs }))[0];

    it("names a service, an account or everyone, and carries its pinning arguments as conditions", () => {
      const read = permission({
        statementId: "AllowSns", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com",
        sourceArn: "arn:aws:sns:eu-west-1:111111111111:t", sourceAccount: "111111111111", principalOrgId: "o-abcdefghij",
      });
      expect(read.site).to.deep.equal({ role: "resource", property: "principal", synthesisedFrom: "lambdaPermission" });
      expect(read.status === "ok" && read.document).to.deep.equal({
        Version: "2012-10-17",
        Statement: [{
          Sid: "AllowSns", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "lambda:InvokeFunction", Resource: "<this function>",
          Condition: {
            ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111111111111:t" },
            StringEquals: { "aws:SourceAccount": "111111111111", "aws:PrincipalOrgID": "o-abcdefghij" },
          },
        }],
      });
      const account = permission({ action: "lambda:InvokeFunction", principal: "222222222222", sourceArn: "" });
      expect(account.status === "ok" && account.document.Statement[0]).to.deep.equal({ Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "lambda:InvokeFunction", Resource: "<this function>" });
      const anyone = permission({ action: "lambda:InvokeFunction", principal: "*", statementId: UNKNOWN });
      expect(anyone.status === "ok" && anyone.document.Statement[0]).to.deep.equal({ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: "<this function>" });
    });

    it("is unknown while its principal or action is, and invalid without them", () => {
      expect(permission({ action: "lambda:InvokeFunction", principal: UNKNOWN }).status).to.equal("unknown");
      expect(permission({ action: UNKNOWN, principal: "sns.amazonaws.com" }).status).to.equal("unknown");
      const invalid = permission({ action: "lambda:InvokeFunction" });
      expect(invalid.status === "invalid" && invalid.error).to.equal("a Lambda permission needs principal and action strings");
      expect(permission({ principal: "sns.amazonaws.com", action: 7 }).status).to.equal("invalid");
    });
  });
});
