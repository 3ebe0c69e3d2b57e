/**
 * How documents are measured against their quota, one rule at a time: the unit each service
 * counts, a role's inline policies summed across the role and its RolePolicies (IAM role names
 * are case-insensitive), values unknown at preview, Lambda environments, raised limits.
 */
import { expect } from "chai";
import { largestAgainstQuota, measureDocuments, measureText, QUOTAS, QuotaRecord, resolveQuotaLimits } from "../../policies/analysis/quotas";
import { UNKNOWN } from "../../policies/analysis/unknown";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const LAMBDA = "aws:lambda/function:Function";

function record(type: string, name: string, inputs: Record<string, unknown>, accountId = "111111111111"): QuotaRecord {
  return { urn: `urn:pulumi:test::quotas::${type}::${name}`, type, name, inputs, accountId };
}

/** A policy document of exactly `size` non-whitespace characters of JSON. */
function policyOf(size: number): string {
  const skeleton = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "" }] });
  const padding = size - skeleton.length;
  if (padding < 0) throw new Error(`a policy cannot be ${size} characters`);
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "r".repeat(padding) }] });
}

const inlineOf = (documents: ReturnType<typeof measureDocuments>) => documents.filter((d) => d.kind === "iam-role-inline-policies");

describe("document size quotas: measuring", () => {
  it("counts what each service counts: IAM ignores white space, SNS counts UTF-8 bytes, others characters", () => {
    expect(measureText("a b\tc\nd\re", "non-whitespace characters")).to.equal(5);
    expect(measureText("a b\tc\nd\re", "characters")).to.equal(9);
    expect(measureText("é😀", "bytes")).to.equal(6);
    expect(measureText("é😀", "characters")).to.equal(2);
  });

  it("sums a role's inline policies and its RolePolicies, matching the role name in any case, per account", () => {
    const documents = measureDocuments([
      record(ROLE, "collector-logical", { name: "Collector", assumeRolePolicy: policyOf(100), inlinePolicies: [{ name: "a", policy: policyOf(300) }] }),
      record(ROLE_POLICY, "extra", { role: "collector", policy: policyOf(200) }),
      record(ROLE_POLICY, "by-arn", { role: "arn:aws:iam::111111111111:role/team/COLLECTOR", policy: policyOf(150) }),
      record(ROLE_POLICY, "elsewhere", { role: "collector", policy: policyOf(400) }, "222222222222"),
    ]);
    const trust = documents.find((d) => d.kind === "iam-role-trust-policy")!;
    expect([trust.size, trust.limit, trust.resource]).to.deep.equal([100, QUOTAS["iam-role-trust-policy"].limit, "collector-logical"]);
    const inline = inlineOf(documents);
    expect(inline.map((d) => [d.role, d.size, d.status, d.resource])).to.deep.equal([
      ["Collector", 650, "known", "collector-logical"],
      ["collector", 400, "known", "elsewhere"],
    ]);
    expect(inline[0].property).to.equal('inline policies of role "Collector" (inlinePolicies[0].policy, extra.policy, by-arn.policy)');
    expect(inline[0].parts!.map((p) => p.size)).to.deep.equal([300, 200, 150]);
  });

  it("names an autonamed role by its logical name, and a role without inline policies has no inline entry", () => {
    const documents = measureDocuments([
      record(ROLE, "notifier", { assumeRolePolicy: policyOf(100) }),
      record(ROLE_POLICY, "notifier-logs", { role: "notifier", policy: policyOf(120) }),
      record(ROLE, "bare", { name: "bare", assumeRolePolicy: policyOf(100) }),
    ]);
    expect(inlineOf(documents).map((d) => [d.role, d.size, d.resource])).to.deep.equal([["notifier", 120, "notifier"]]);
  });

  it("a role's inline total is partial (with an upper bound) when a part is partly unknown, and unbounded when the list is unknown", () => {
    const partial = inlineOf(measureDocuments([
      record(ROLE, "r", { name: "r", inlinePolicies: [{ name: "a", policy: `${policyOf(100)}${UNKNOWN}` }] }),
    ]))[0];
    expect([partial.status, partial.size]).to.deep.equal(["partial", 100]);
    expect(partial).to.not.have.property("upperBound");
    const knownPlusUnknownList = inlineOf(measureDocuments([
      record(ROLE, "r", { name: "r", inlinePolicies: UNKNOWN }),
      record(ROLE_POLICY, "p", { role: "r", policy: policyOf(100) }),
    ]))[0];
    expect([knownPlusUnknownList.status, knownPlusUnknownList.size]).to.deep.equal(["partial", 100]);
    expect(knownPlusUnknownList).to.not.have.property("upperBound");
    const unknownItem = inlineOf(measureDocuments([record(ROLE, "r", { name: "r", inlinePolicies: [UNKNOWN, { name: "b", policy: policyOf(110) }] })]))[0];
    expect([unknownItem.status, unknownItem.size]).to.deep.equal(["partial", 110]);
    expect(unknownItem).to.not.have.property("upperBound");
    const allUnknown = inlineOf(measureDocuments([record(ROLE, "r", { name: "r", inlinePolicies: UNKNOWN })]))[0];
    expect(allUnknown.status).to.equal("unknown");
  });

  it("a RolePolicy whose role is unknown counts against the largest role, with every other such policy", () => {
    const documents = measureDocuments([
      record(ROLE, "big", { name: "big", inlinePolicies: [{ name: "a", policy: policyOf(500) }] }),
      record(ROLE_POLICY, "small", { role: "small", policy: policyOf(100) }),
      record(ROLE_POLICY, "floating-1", { role: UNKNOWN, policy: policyOf(200) }),
      record(ROLE_POLICY, "floating-2", { role: "", policy: policyOf(300) }),
    ]);
    const floating = documents.filter((d) => d.property === "policy (its role is not known yet)");
    expect(floating.map((d) => [d.resource, d.size, d.status, d.upperBound])).to.deep.equal([
      ["floating-1", 200, "partial", 1000],
      ["floating-2", 300, "partial", 1000],
    ]);
    expect(floating[0].parts!.map((p) => p.resource)).to.deep.equal(["floating-1"]);
    const unbounded = measureDocuments([record(ROLE_POLICY, "floating", { role: UNKNOWN, policy: UNKNOWN }), record(ROLE_POLICY, "other", { role: UNKNOWN, policy: policyOf(100) })]);
    expect(unbounded.map((d) => [d.resource, d.status, d.upperBound])).to.deep.equal([["floating", "unknown", undefined], ["other", "partial", undefined]]);
  });

  it("measures a Lambda environment's variables, not an empty or missing one, and reports an unknown one", () => {
    const [measured] = measureDocuments([record(LAMBDA, "fn", { environment: { variables: { A: "1" } } })]);
    expect([measured.kind, measured.size, measured.status, measured.property]).to.deep.equal(["lambda-environment", JSON.stringify({ A: "1" }).length, "known", "environment.variables"]);
    expect(measureDocuments([record(LAMBDA, "empty", { environment: { variables: {} } }), record(LAMBDA, "none", {}), record(LAMBDA, "null", { environment: null })])).to.deep.equal([]);
    const [unknown] = measureDocuments([record(LAMBDA, "later", { environment: UNKNOWN })]);
    expect([unknown.status, unknown.size]).to.deep.equal(["unknown", 0]);
  });

  it("skips a document that is absent, null or empty", () => {
    expect(measureDocuments([record(ROLE, "r", { name: "r", assumeRolePolicy: "" }), record(ROLE_POLICY, "p", { role: "r", policy: null })])).to.deep.equal([]);
  });

  it("raises only the adjustable limits, within what AWS grants", () => {
    expect(resolveQuotaLimits({ trustPolicyMaxCharacters: 4096 })["iam-role-trust-policy"]).to.equal(4096);
    expect(resolveQuotaLimits({ eventBusPolicyMaxCharacters: 20_000 })["eventbridge-bus-policy"]).to.equal(20_000);
    expect(resolveQuotaLimits({})["iam-role-trust-policy"]).to.equal(QUOTAS["iam-role-trust-policy"].limit);
    expect(() => resolveQuotaLimits({ trustPolicyMaxCharacters: 4097 })).to.throw(/trustPolicyMaxCharacters must be an integer from 2048 to 4096 .*got 4097/);
    expect(() => resolveQuotaLimits({ trustPolicyMaxCharacters: 1000 })).to.throw(/from 2048 to 4096/);
    expect(() => resolveQuotaLimits({ trustPolicyMaxCharacters: 3000.5 })).to.throw(/must be an integer/);
    expect(() => resolveQuotaLimits({ eventBusPolicyMaxCharacters: "20000" as unknown as number })).to.throw(/eventBusPolicyMaxCharacters must be an integer from 10240 up/);
    expect(resolveQuotaLimits({ trustPolicyMaxCharacters: null as unknown as undefined })["iam-role-trust-policy"]).to.equal(2048);
  });

  it("largestAgainstQuota compares how full each document is, not its size", () => {
    const documents = measureDocuments([
      record(ROLE, "r", { name: "r", assumeRolePolicy: policyOf(1800), inlinePolicies: [{ name: "a", policy: policyOf(5000) }] }),
    ]);
    expect(largestAgainstQuota(documents)?.kind).to.equal("iam-role-trust-policy");
    expect(largestAgainstQuota([])).to.equal(undefined);
  });
});
