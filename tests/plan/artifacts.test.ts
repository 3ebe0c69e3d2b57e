import { expect } from "chai";
import { extractArtifacts } from "../../stacks/plan/artifacts";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { ofType, planOf, hubSideOf } from "../support/plans";

describe("plan artifacts: every deployed document has its own file", () => {
  it("dev: each account's rule namespaces are separate files, named by account", async () => {
    const hub = await hubSideOf("dev");
    const namespaces = ofType(hub, "aws:amp/ruleGroupNamespace:RuleGroupNamespace");
    expect(namespaces).to.have.length(7);
    const rules = hub.artifacts.filter((a) => a.path.startsWith("rules/"));
    expect(rules.map((a) => a.path).sort()).to.deep.equal([
      "rules/payments/amp-quota.yaml",
      "rules/payments/collector-health.yaml",
      "rules/payments/kubernetes-health.yaml",
      "rules/payments/service-red.yaml",
      "rules/search/collector-health.yaml",
      "rules/search/kubernetes-health.yaml",
      "rules/search/service-red.yaml",
    ]);
    // payments overrides serviceLatencyP95Seconds to 0.3; search keeps the default.
    const serviceRed = (account: string) => rules.find((a) => a.path === `rules/${account}/service-red.yaml`)!.content;
    expect(serviceRed("payments")).to.include("p95_rate5m > 0.3 and");
    expect(serviceRed("search")).not.to.include("p95_rate5m > 0.3 and");
    for (const namespace of namespaces) {
      const account = (namespace.inputs.tags as Record<string, string>)["observability:account"];
      expect(rules.find((a) => a.path === `rules/${account}/${namespace.inputs.name}.yaml`)!.content).to.equal(namespace.inputs.data);
    }
  });

  for (const environment of ["dev", "prod"]) {
    it(`${environment}: no two documents of a stack share a path`, async () => {
      const plan = await planOf(environment);
      for (const planned of plan.stacks) {
        const paths = planned.artifacts.map((a) => a.path);
        expect(new Set(paths).size, planned.stack).to.equal(paths.length);
      }
    });
  }

  it("refuses two documents on one path instead of keeping the last", () => {
    const record = (name: string, account: string): ResourceRecord => ({
      urn: `urn:pulumi:dev::p::aws:amp/ruleGroupNamespace:RuleGroupNamespace::${name}`, type: "aws:amp/ruleGroupNamespace:RuleGroupNamespace", name,
      custom: true, parent: null, provider: null, accountId: null, inputs: { name: "service-red", data: "groups: []\n", tags: { "observability:account": account } },
    });
    expect(extractArtifacts([record("a", "payments"), record("b", "search")]).map((a) => a.path)).to.deep.equal(["rules/payments/service-red.yaml", "rules/search/service-red.yaml"]);
    expect(() => extractArtifacts([record("a", "payments"), record("b", "payments")])).to.throw(/rules\/payments\/service-red\.yaml would hold the documents of both .*::a and .*::b/);
  });
});
