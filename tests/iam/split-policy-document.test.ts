/** Dealing one IAM document into several policies that each fit a size quota. */
import { expect } from "chai";
import { PolicyStatement, policyDocument, splitPolicyDocument } from "../../components/iam/policy-document";
import { loadBalancerControllerPolicy } from "../../components/unified-query/lb-controller-policy";

const statement = (sid: string, resources: number): PolicyStatement => ({
  Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: resources }, (_, i) => `arn:aws:s3:::bucket-${sid}/${i}`),
});

describe("splitPolicyDocument", () => {
  it("keeps every statement exactly once, in document order within each part", () => {
    const doc = policyDocument(statement("A", 1), statement("B", 9), statement("C", 4), statement("D", 5), statement("E", 2));
    const parts = splitPolicyDocument(doc, 2);
    expect(parts).to.have.length(2);
    expect(parts.flatMap((p) => p.Statement.map((s) => s.Sid)).sort()).to.deep.equal(["A", "B", "C", "D", "E"]);
    for (const part of parts) {
      const sids = part.Statement.map((s) => s.Sid!);
      expect(sids).to.deep.equal([...sids].sort());
    }
  });

  it("balances the parts: they differ by at most the largest statement", () => {
    const doc = policyDocument(statement("A", 1), statement("B", 9), statement("C", 4), statement("D", 5), statement("E", 2), statement("F", 7));
    const size = (s: PolicyStatement) => JSON.stringify(s).length;
    for (const parts of [2, 3]) {
      const totals = splitPolicyDocument(doc, parts).map((p) => p.Statement.reduce((n, s) => n + size(s), 0));
      expect(Math.max(...totals) - Math.min(...totals), `${parts} parts`).to.be.at.most(Math.max(...doc.Statement.map(size)));
    }
    // The largest statement alone would be heavier than the rest together in no part: B and F are apart.
    const parts = splitPolicyDocument(doc, 2).map((p) => p.Statement.map((s) => s.Sid));
    expect(parts.find((sids) => sids.includes("B"))).to.not.include("F");
  });

  it("deals statements of equal size in document order, the first lightest part first", () => {
    const doc = policyDocument(statement("A", 2), statement("B", 2), statement("C", 2), statement("D", 2));
    expect(splitPolicyDocument(doc, 2).map((p) => p.Statement.map((s) => s.Sid))).to.deep.equal([["A", "C"], ["B", "D"]]);
  });

  it("leaves a document whole when asked for one part", () => {
    const doc = policyDocument(statement("A", 1), statement("B", 3));
    expect(splitPolicyDocument(doc, 1)).to.deep.equal([doc]);
  });

  it("is deterministic and refuses a split it cannot make", () => {
    const doc = policyDocument(statement("A", 3), statement("B", 3));
    expect(splitPolicyDocument(doc, 2)).to.deep.equal(splitPolicyDocument(doc, 2));
    expect(() => splitPolicyDocument(doc, 3)).to.throw("cannot split 2 statements into 3 policies");
    expect(() => splitPolicyDocument(doc, 0)).to.throw("cannot split 2 statements into 0 policies");
  });

  it("fits the Load Balancer Controller's policy into two managed policies under 80% of IAM's 6,144 characters each", () => {
    const doc = loadBalancerControllerPolicy({ partition: "aws", region: "eu-west-1", accountId: "111122223333", clusterName: "hub" });
    const whole = JSON.stringify(doc).replace(/\s/g, "").length;
    expect(whole, "too large for one managed policy").to.be.above(6_144);
    const sizes = splitPolicyDocument(doc, 2).map((p) => JSON.stringify(p).replace(/\s/g, "").length);
    for (const size of sizes) expect(size).to.be.below(0.8 * 6_144);
  });
});
