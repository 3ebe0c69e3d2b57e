/** The policy language as data: building a document, and reading one the way AWS resources carry it. */
import { expect } from "chai";
import { asArray, parsePolicyDocument, policyDocument, policyJson } from "../../components/iam/policy-document";

const statement = { Effect: "Allow" as const, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111111111111:q" };

describe("IAM policy documents", () => {
  it("policyDocument: the 2012-10-17 language with the statements given, and none is refused", () => {
    expect(policyDocument(statement)).to.deep.equal({ Version: "2012-10-17", Statement: [statement] });
    expect(() => policyDocument()).to.throw(/at least one statement/);
  });

  it("policyJson: the JSON AWS receives, read back as the same document", () => {
    const doc = policyDocument(statement);
    expect(JSON.parse(policyJson(doc))).to.deep.equal(doc);
  });

  it("asArray: one value or a list read as a list, nothing as an empty list", () => {
    expect(asArray("a")).to.deep.equal(["a"]);
    expect(asArray(["a", "b"])).to.deep.equal(["a", "b"]);
    expect(asArray(undefined)).to.deep.equal([]);
  });

  it("parsePolicyDocument: a JSON string or an object, a single statement read as a list", () => {
    const doc = policyDocument(statement);
    expect(parsePolicyDocument(JSON.stringify(doc))).to.deep.equal(doc);
    expect(parsePolicyDocument(doc)).to.deep.equal(doc);
    expect(parsePolicyDocument({ Version: "2012-10-17", Id: "queue", Statement: statement })).to.deep.equal({ Version: "2012-10-17", Id: "queue", Statement: [statement] });
  });

  it("parsePolicyDocument: refuses what is not a document", () => {
    expect(() => parsePolicyDocument(null)).to.throw(/neither a JSON string nor an object/);
    expect(() => parsePolicyDocument(42)).to.throw(/neither a JSON string nor an object/);
    expect(() => parsePolicyDocument("null")).to.throw(/neither a JSON string nor an object/);
    expect(() => parsePolicyDocument({ Version: "2012-10-17" })).to.throw(/has no Statement/);
  });
});
