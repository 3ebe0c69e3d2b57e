/** The plan shows which reviewed exceptions of policies/policy-config.json each stack relies on. */
import { expect } from "chai";
import { evaluateResources } from "../../policies/evaluate";
import { evaluatePlanPolicy } from "../../stacks/plan/run-plan";
import { exceptionLines } from "../../stacks/plan/report";
import { planOf } from "../support/plans";

describe("plan: policy exceptions applied", () => {
  it("lists, per stack, exactly the findings the project's config turns off", async () => {
    const plan = await planOf("prod");
    const results = evaluatePlanPolicy(plan);
    const hub = results.find((r) => r.stack === "prod")!;
    expect(hub.violations.filter((v) => v.enforcementLevel === "mandatory")).to.deep.equal([]);
    expect(hub.exceptionsApplied!.map((e) => `${e.policy} ${e.resourceName}`)).to.include("no-wildcard-resource hub-prod-grafana-role-access");
    // Without the config each applied exception is a finding again, and nothing else is.
    for (const result of results) {
      const planned = plan.stacks.find((s) => s.stack === result.stack)!;
      const strict = evaluateResources(planned.resources, { accountId: planned.accountId });
      expect(strict.length, result.stack).to.equal(result.violations.length + result.exceptionsApplied!.length);
    }
  });

  it("renders one line per stack, policy and resource", () => {
    const lines = exceptionLines({
      policy: {
        exceptionsApplied: [
          { stack: "prod", policy: "resource-arns-fit-actions", resourceName: "lbc", message: "a" },
          { stack: "prod", policy: "resource-arns-fit-actions", resourceName: "lbc", message: "b" },
          { stack: "prod-data", policy: "no-wildcard-resource", resourceName: "read", message: "c" },
        ],
      },
    } as never);
    expect(lines).to.deep.equal(["prod: resource-arns-fit-actions on lbc (2 findings)", "prod-data: no-wildcard-resource on read"]);
  });
});
