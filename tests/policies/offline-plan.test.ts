import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writePlan } from "../../stacks/plan/plan";
import { DOCUMENT_TYPES } from "../../policies/analysis/documents";
import { evaluatePlan, evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { hubSide, planOf } from "../support/plans";

describe("policy pack over the offline plans of dev and prod", function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-offline-plan-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const environment of ["dev", "prod"]) {
    it(`${environment}: every stack passes with zero mandatory violations`, async () => {
      const plan = await planOf(environment);
      writePlan(plan, path.join(tmp, environment));
      const result = evaluatePlan(path.join(tmp, environment), { config: loadProjectPolicyConfig() });
      expect(result.stacks.map((s) => s.stack).sort()).to.deep.equal(plan.stacks.map((s) => s.stack).sort());
      expect(result.stacks.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"))).to.deep.equal([]);
      // Not vacuous: the plan carries the IAM documents the pack reads.
      const documents = plan.stacks.flatMap((s) => s.resources).filter((r) => DOCUMENT_TYPES.has(r.type));
      expect(documents.length).to.be.greaterThan(10);
      console.log(`      ${environment}: ${result.resourceCount} resources in ${result.stacks.length} stacks, ${result.mandatory} mandatory, ${result.advisory} advisory, evaluated in ${result.durationMs.toFixed(1)} ms`);
    });
  }

  it("without the project's reviewed exceptions, exactly what they cover is flagged", async () => {
    const plan = await planOf("prod");
    writePlan(plan, path.join(tmp, "prod-strict"));
    const result = evaluatePlan(path.join(tmp, "prod-strict"));
    const mandatory = result.stacks.flatMap((s) => s.violations.filter((v) => v.enforcementLevel === "mandatory"));
    expect([...new Set(mandatory.map((v) => `${v.policy} ${v.resourceName}`))].sort()).to.deep.equal([
      // CloudWatch reads on "*" the reference gives an optional resource type (cloudwatch:GetMetricData, ListMetrics).
      "no-wildcard-resource data-cloudwatch-read-access",
      "no-wildcard-resource hub-prod-grafana-role-access",
      // The Load Balancer Controller's discovery actions, which cannot name their resources in advance.
      "no-wildcard-resource hub-prod-unified-query-lb-controller-1",
      "no-wildcard-resource payments-cloudwatch-read-access",
      "no-wildcard-resource search-cloudwatch-read-access",
      // ARNs of types the reference does not give the statement's actions (and ELB v2 tagging, which iam-data lacks: README).
      "resource-arns-fit-actions hub-prod-unified-query-lb-controller-1",
      "resource-arns-fit-actions hub-prod-unified-query-lb-controller-2",
    ]);
  });

  it("flags the plan's own ingest role policy once it is widened to Resource *", async () => {
    const hub = hubSide(await planOf("prod"));
    const ingest = hub.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /ingest/.test(r.name));
    expect(ingest, "the prod hub has an ingest role policy").to.not.equal(undefined);
    const document = JSON.parse(typeof ingest!.inputs.policy === "string" ? ingest!.inputs.policy : JSON.stringify(ingest!.inputs.policy));
    document.Statement[0].Resource = "*";
    const widened = { ...ingest!, inputs: { ...ingest!.inputs, policy: JSON.stringify(document) } };
    const violations = evaluateResources([widened]);
    expect(violations.map((v) => `${v.enforcementLevel} ${v.policy}`)).to.include.members(["mandatory no-wildcard-resource", "mandatory remote-write-one-workspace-per-role"]);
  });
});
